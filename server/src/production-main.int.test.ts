/**
 * The production entry (dist/main.js, production-main.ts) starts the server bundle from V8's
 * code cache the build made, and starts just as well when the cache is missing, belongs to
 * another bundle, or is refused by V8. Runs against the build (`npm test` builds first).
 */
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startServerProcess } from './reliability/server-process.js';

const serverRoot = fileURLToPath(new URL('..', import.meta.url));
const dist = join(serverRoot, 'dist');
const files = ['main.js', 'server.cjs', 'server.cjs.cache', 'server.cjs.cache.id'];
const cleanup: string[] = [];

afterAll(() => {
  for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the build inside server/ (so that better-sqlite3 resolves from node_modules). */
function copyOfBuild(): string {
  const dir = mkdtempSync(join(serverRoot, '.code-cache-test-'));
  cleanup.push(dir);
  for (const file of files) copyFileSync(join(dist, file), join(dir, file));
  return dir;
}

/** Starts `node <dir>/main.js`, checks it answers, and returns the code cache it reports. */
async function startAndReadCodeCache(dir: string): Promise<unknown> {
  const dataDir = mkdtempSync(join(serverRoot, '.code-cache-data-'));
  cleanup.push(dataDir);
  const server = await startServerProcess(
    {
      DATA_DIR: dataDir,
      CLIENT_BUILD_DIR: join(dataDir, 'none'),
      SECRET_KEY: 'c'.repeat(64),
      ORGANISER_EMAIL: 'organiser@example.org',
      ORGANISER_PASSWORD: 'a long enough password',
      LOG_LEVEL: 'info',
    },
    undefined,
    [join(dir, 'main.js')],
  );
  try {
    expect(await (await fetch(`${server.url}/healthz`)).json()).toMatchObject({ status: 'ok' });
    await expect
      .poll(() => server.output().includes('"codeCache"'), { timeout: 15_000 })
      .toBe(true);
    const line = server
      .output()
      .split('\n')
      .find((l) => l.includes('"codeCache"'))!;
    return (JSON.parse(line) as { codeCache: unknown }).codeCache;
  } finally {
    await server.kill('SIGTERM');
  }
}

describe.skipIf(!files.every((file) => existsSync(join(dist, file))))(
  'the production entry and its code cache',
  () => {
    it('uses the cache the build made', async () => {
      expect(await startAndReadCodeCache(copyOfBuild())).toBe('used');
    }, 60_000);

    it('does not use a cache made from another bundle, and starts without it', async () => {
      const dir = copyOfBuild();
      // Another build of the same length: V8 would take the cache; the build id tells.
      const bundle = join(dir, 'server.cjs');
      const source = readFileSync(bundle, 'utf8');
      const other = source.replace(/gt-build (\S{8})/, 'gt-build 00000000');
      expect(other).not.toBe(source);
      expect(other.length).toBe(source.length);
      writeFileSync(bundle, other);
      expect(await startAndReadCodeCache(dir)).toBe('none');
    }, 60_000);

    it('starts when V8 refuses the cache, and when there is none', async () => {
      const refused = copyOfBuild();
      writeFileSync(join(refused, 'server.cjs.cache'), Buffer.alloc(4096, 7));
      expect(await startAndReadCodeCache(refused)).toBe('rejected');
      const none = copyOfBuild();
      rmSync(join(none, 'server.cjs.cache'));
      expect(await startAndReadCodeCache(none)).toBe('none');
    }, 60_000);
  },
);
