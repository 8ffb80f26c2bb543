// The development path of AppApi: SvelteKit in Vite's process calls the real API server over
// HTTP and must get the same Results the in-process service gives in production.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppApi } from '@gt/protocol';
import { ORGANISER, makeTestStore, startTestApp } from '../../../../server/src/testing/test-app.js';
import type { TestApp, TestStore } from '../../../../server/src/testing/test-app.js';
import { createHttpAppApi } from './http-app-api';

let testStore: TestStore;
let server: TestApp;
let api: AppApi;

beforeAll(async () => {
  testStore = await makeTestStore('sqlite');
  server = await startTestApp(testStore.store);
  api = createHttpAppApi(server.url);
});
afterAll(async () => {
  await server.close();
  await testStore.cleanup();
});

describe('HttpAppApi against the real server', () => {
  it('logs in, creates an event and a talk, lists and finds them, as the service does', async () => {
    const login = await api.login(ORGANISER);
    expect(login.ok).toBe(true);
    if (!login.ok) return;
    const creds = { staff: login.data.staffToken };

    const event = await api.createEvent(creds, { title: 'Kulturnat 2026' });
    expect(event).toMatchObject({ ok: true, data: { title: 'Kulturnat 2026' } });
    if (!event.ok) return;
    const created = await api.createSession(creds, {
      eventId: event.data.id,
      title: 'Trafik på Strandvejen',
      settings: { moderation: 'post' },
    });
    expect(created).toMatchObject({
      ok: true,
      data: { session: { settings: { moderation: 'post' } } },
    });
    if (!created.ok) return;

    expect(await api.listEvents(creds)).toMatchObject({ ok: true, data: [{ id: event.data.id }] });
    const found = await api.findSessionByCode(` ${created.data.session.joinCode} `);
    expect(found).toMatchObject({ ok: true, data: { id: created.data.session.id } });
  });

  it('runs commands with the device token it is given', async () => {
    const registered = await api.command({}, 'device:register', {});
    expect(registered.ok).toBe(true);
    if (!registered.ok) return;
    const { session } = await server.createSession({ moderation: 'post' });
    const posted = await api.command({ device: registered.data.deviceToken }, 'post:create', {
      sessionId: session.id,
      commandId: 'cmd_http_app_api_1',
      kind: 'question',
      text: 'Hvornår kommer der cykelsti?',
    });
    expect(posted).toMatchObject({ ok: true, data: { post: { status: 'visible' } } });
  });

  it('answers expected errors as Results, just like in process', async () => {
    expect(await api.listEvents({})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await api.login({ email: ORGANISER.email, password: 'wrong password!' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await api.findSessionByCode('000000')).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });

  it('cannot reach service methods outside the AppApi interface', async () => {
    for (const method of ['execute', 'registerDevice', 'setPublisher', 'constructor', 'toString']) {
      const response = await fetch(`${server.url}/api/app/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ args: [] }),
      });
      expect(response.status, method).toBe(404);
      expect(await response.json()).toMatchObject({ ok: false, error: { code: 'not_found' } });
    }
  });

  it('turns an unreachable server into an internal error instead of throwing', async () => {
    const offline = createHttpAppApi('http://127.0.0.1:9');
    expect(await offline.findSessionByCode('123456')).toMatchObject({
      ok: false,
      error: { code: 'internal' },
    });
  });
});
