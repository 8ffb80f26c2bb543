/**
 * The REST API over real HTTP: the organiser operations and the command route that the
 * development AppApi uses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandId, makeTestStore, ORGANISER, startTestApp } from '../testing/test-app.js';
import type { TestApp, TestStore } from '../testing/test-app.js';

describe('REST API', () => {
  let store: TestStore;
  let t: TestApp;
  beforeAll(async () => {
    store = await makeTestStore('sqlite');
    t = await startTestApp(store.store);
  });
  afterAll(async () => {
    await t.close();
    await store.cleanup();
  });

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are asserted, not trusted
  const json = async (response: Response): Promise<any> => response.json();

  const api = (
    path: string,
    init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
  ) =>
    fetch(`${t.url}/api${path}`, {
      method: init.method ?? 'GET',
      headers: { 'content-type': 'application/json', ...init.headers },
      ...(init.body === undefined
        ? {}
        : { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }),
    });

  it('[R4] an organiser logs in, creates an event and a session, and finds it by its code', async () => {
    expect(
      (await api('/login', { method: 'POST', body: { ...ORGANISER, password: 'wrong password!' } }))
        .status,
    ).toBe(403);
    const login = await json(await api('/login', { method: 'POST', body: ORGANISER }));
    const auth = { authorization: `Bearer ${login.data.staffToken}` };
    expect((await api('/events', { method: 'POST', body: { title: 'Folkemøde' } })).status).toBe(
      403,
    );
    const event = await json(
      await api('/events', { method: 'POST', body: { title: 'Folkemøde' }, headers: auth }),
    );
    const created = await api('/sessions', {
      method: 'POST',
      body: { eventId: event.data.id, title: 'Trafik' },
      headers: auth,
    });
    expect(created.status).toBe(201);
    const { session } = (await json(created)).data;
    expect(session.joinCode).toMatch(/^[0-9]{6}$/);
    const spaced = `${session.joinCode.slice(0, 3)} ${session.joinCode.slice(3)}`;
    const found = await json(await api(`/sessions/by-code/${encodeURIComponent(spaced)}`));
    expect(found).toMatchObject({ ok: true, data: { id: session.id } });
    expect((await api('/sessions/by-code/12345')).status).toBe(400);
    const events = await json(await api('/events', { headers: auth }));
    expect(events.data.map((e: { title: string }) => e.title)).toContain('Folkemøde');
  });

  it('[I2] the command route runs a command with the device token and answers its result', async () => {
    const { session } = await t.createSession();
    const device = (await json(await api('/devices', { method: 'POST' }))).data.deviceToken;
    const payload = {
      sessionId: session.id,
      commandId: commandId(),
      kind: 'question',
      text: 'Via HTTP',
    };
    const first = await (
      await api('/commands/post:create', {
        method: 'POST',
        body: payload,
        headers: { 'x-device-token': device },
      })
    ).json();
    const again = await (
      await api('/commands/post:create', {
        method: 'POST',
        body: payload,
        headers: { 'x-device-token': device },
      })
    ).json();
    expect(first).toMatchObject({ ok: true, data: { post: { text: 'Via HTTP' } } });
    expect(again).toEqual(first);
    const anonymous = await api('/commands/post:create', { method: 'POST', body: payload });
    expect(anonymous.status).toBe(403);
    expect((await api('/commands/drop:all', { method: 'POST', body: {} })).status).toBe(404);
    expect(
      (
        await api('/commands/post:create', {
          method: 'POST',
          body: '{"broken',
          headers: { 'x-device-token': device },
        })
      ).status,
    ).toBe(400);
    const tooBig = await api('/commands/post:create', {
      method: 'POST',
      body: { ...payload, text: 'x'.repeat(40_000) },
      headers: { 'x-device-token': device },
    });
    expect(tooBig.status).toBe(413);
  });

  it('[T5] responses carry no-referrer and no x-powered-by; /healthz reports the store', async () => {
    const health = await fetch(`${t.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', store: 'sqlite' });
    expect(health.headers.get('referrer-policy')).toBe('no-referrer');
    expect(health.headers.get('x-powered-by')).toBeNull();
  });

  it('[F1] [R4] only an organiser creates a topic: a device, a moderator link or no token is forbidden and nothing is stored', async () => {
    const { session, moderatorToken } = await t.createSession();
    const device = (await json(await api('/devices', { method: 'POST' }))).data.deviceToken;
    const body = {
      eventId: session.eventId,
      sessionId: session.id,
      title: 'Cykelstier',
      description: '',
      contactName: 'Mette Holm',
    };
    const refusals = {
      'no token': {},
      'a device token': { 'x-device-token': device },
      'a device token as bearer': { authorization: `Bearer ${device}` },
      "this session's moderator link": { authorization: `Bearer ${moderatorToken}` },
    };
    for (const [who, headers] of Object.entries(refusals)) {
      const response = await api('/topics', { method: 'POST', body, headers });
      expect(response.status, who).toBe(403);
      expect(await json(response), who).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect(await t.store.listTopics(session.eventId)).toEqual([]);

    // The organiser may; the same request then stores one topic.
    const login = await json(await api('/login', { method: 'POST', body: ORGANISER }));
    const created = await api('/topics', {
      method: 'POST',
      body,
      headers: { authorization: `Bearer ${login.data.staffToken}` },
    });
    expect(created.status).toBe(201);
    expect((await t.store.listTopics(session.eventId)).map((topic) => topic.title)).toEqual([
      'Cykelstier',
    ]);
  });
});
