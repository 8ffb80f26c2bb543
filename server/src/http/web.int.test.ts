// One port: the SvelteKit handler is mounted last, gets the in-process AppApi on each request,
// reads form bodies itself, and sees ORIGIN from PUBLIC_URL; without a build the API still runs.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import type { App } from '../app.js';
import { exportWebEnvironment, loadConfig } from '../config.js';
import { ensureOrganiser } from '../services/first-start.js';
import { makeTestStore } from '../testing/test-app.js';
import type { TestStore } from '../testing/test-app.js';
import { deferredWebHandler, loadWebHandler } from './web.js';

// Stands in for adapter-node's build/handler.js: like the real one it reads ORIGIN once, when
// imported, and it reads the request body itself.
const FAKE_HANDLER = `
const origin = process.env.ORIGIN;
export const handler = (req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk) => (body += chunk));
  req.on('end', async () => {
    const found = req.appApi ? await req.appApi.findSessionByCode('000000') : null;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ origin, path: req.url, body, appApiAnswered: found?.ok === false }));
  });
};
`;

const SECRET = 'web-test-secret-key-that-is-long-enough-0123';
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function capturingLogger() {
  const lines: { level: number; msg: string }[] = [];
  const logger = pino(
    { level: 'info' },
    { write: (line: string) => lines.push(JSON.parse(line) as { level: number; msg: string }) },
  );
  return { logger, lines };
}

async function start(
  web: Awaited<ReturnType<typeof loadWebHandler>> | ReturnType<typeof deferredWebHandler>,
  logger = pino({ level: 'silent' }),
) {
  const testStore: TestStore = await makeTestStore('sqlite');
  const dir = mkdtempSync(join(tmpdir(), 'gt-web-auth-'));
  await ensureOrganiser({
    store: testStore.store,
    organisationName: 'Gentofte Kommune',
    email: 'organiser@example.org',
    password: 'correct horse battery',
    legacyFile: join(dir, 'organiser.json'),
  });
  const app: App = await createApp({
    config: {
      secretKey: SECRET,
      allowedOrigins: ['http://talks.example:8080'],
      trustProxy: false,
      publicUrl: 'http://talks.example:8080',
    },
    store: testStore.store,
    logger,
    web,
  });
  await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    await app.close();
    await testStore.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });
  return `http://127.0.0.1:${(app.httpServer.address() as AddressInfo).port}`;
}

describe('the web app on the API port', () => {
  it('CLIENT_BUILD_DIR chooses the build; by default it is client/build of this repository', () => {
    const env = { SECRET_KEY: SECRET };
    expect(loadConfig(env).clientBuildDir).toMatch(/[/\\]client[/\\]build$/);
    expect(loadConfig({ ...env, CLIENT_BUILD_DIR: '/srv/talks/web' }).clientBuildDir).toBe(
      '/srv/talks/web',
    );
  });

  it('sets ORIGIN from PUBLIC_URL, so form posts over plain http are not refused', () => {
    const env: Record<string, string | undefined> = { ORIGIN: 'https://stale.example' };
    exportWebEnvironment({ publicUrl: 'http://192.168.1.20:3000' }, env);
    expect(env.ORIGIN).toBe('http://192.168.1.20:3000');
  });

  it('mounts the handler last, with the AppApi on each request and the body unread', async () => {
    const buildDir = mkdtempSync(join(tmpdir(), 'gt-web-build-'));
    cleanups.push(() => rmSync(buildDir, { recursive: true, force: true }));
    writeFileSync(join(buildDir, 'handler.js'), FAKE_HANDLER);
    exportWebEnvironment({ publicUrl: 'http://talks.example:8080' });
    const url = await start(await loadWebHandler(buildDir, pino({ level: 'silent' })));

    const page = await fetch(`${url}/organiser?/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'email=a%40b.dk&password=x',
    });
    expect(await page.json()).toEqual({
      origin: 'http://talks.example:8080',
      path: '/organiser?/login',
      body: 'email=a%40b.dk&password=x',
      appApiAnswered: true,
    });
    // The routes before it still answer for themselves.
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const api = await fetch(`${url}/api/sessions/by-code/000000`);
    expect(api.status).toBe(404);
    expect(await api.json()).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('listens before the pages are imported: a page asked for meanwhile waits and is served, sockets and the API answer at once', async () => {
    const buildDir = mkdtempSync(join(tmpdir(), 'gt-web-build-'));
    cleanups.push(() => rmSync(buildDir, { recursive: true, force: true }));
    writeFileSync(join(buildDir, 'handler.js'), FAKE_HANDLER);
    exportWebEnvironment({ publicUrl: 'http://talks.example:8080' });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const loading = gate.then(() => loadWebHandler(buildDir, pino({ level: 'silent' })));
    const url = await start(deferredWebHandler(loading));

    let isPageAnswered = false;
    const page = fetch(`${url}/organiser`).then(async (response) => {
      isPageAnswered = true;
      return { status: response.status, body: (await response.json()) as { path: string } };
    });
    // The API and the health check do not wait for the pages.
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/api/sessions/by-code/000000`)).status).toBe(404);
    expect(isPageAnswered).toBe(false);
    release();
    expect(await page).toEqual({
      status: 200,
      body: expect.objectContaining({ path: '/organiser', appApiAnswered: true }),
    });
    // Once loaded, later requests go straight through.
    const later = (await (await fetch(`${url}/receipt`)).json()) as { path: string };
    expect(later.path).toBe('/receipt');
  });

  it('a deferred handler without a build passes every page on, as if none were mounted', async () => {
    const missing = join(tmpdir(), 'gt-no-such-build');
    const url = await start(deferredWebHandler(loadWebHandler(missing, pino({ level: 'silent' }))));
    expect((await fetch(`${url}/`)).status).toBe(404);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });

  it('without a build, serves the API and says so in the log', async () => {
    const { logger, lines } = capturingLogger();
    const missing = join(tmpdir(), 'gt-no-such-build');
    const web = await loadWebHandler(missing, logger);
    expect(web).toBeNull();
    expect(lines.some((l) => l.level === 40 && l.msg.includes('no client build'))).toBe(true);

    const url = await start(web);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/api/sessions/by-code/000000`)).status).toBe(404);
    expect((await fetch(`${url}/`)).status).toBe(404);
  });
});
