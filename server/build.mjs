// The production build of the server: `tsc` compiles src/ into dist/ (one file per module,
// type-checked), then
//
//  1. esbuild bundles src/server.ts and everything it imports (the workspace packages from
//     their built dist/) into dist/server.cjs, one CommonJS file;
//  2. esbuild bundles src/production-main.ts into dist/main.js, which replaces tsc's: it runs
//     server.cjs in a vm.Script with V8's code cache;
//  3. the cache is made by starting the server once (`node dist/main.js --write-code-cache`,
//     temporary data directory, loopback, a free port), which writes it beside the bundle,
//     with the build id the bundle ends with, and exits.
//
// A restart after a crash is what this is for: Node spends most of a cold start resolving and
// loading a few hundred modules one by one (about 250 ms on the benchmark machine); read as one
// file it is about 100 ms less, and compiled from the cache about 60 ms less again, and every
// phone is back sooner (docs/PERFORMANCE.md, S3). Without a cache (the warm-up failed, another
// Node version) the server starts as well, only later.
//
// Left out of the bundle: better-sqlite3 (a native addon, loaded from node_modules) and the
// SvelteKit handler (imported at run time from CLIENT_BUILD_DIR). Module boundaries stay
// visible as esbuild's `// path` comments, which the benchmark's profile summary reads.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const path = (relative) => fileURLToPath(new URL(relative, import.meta.url));
const shared = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  allowOverwrite: true,
  legalComments: 'inline',
  logLevel: 'warning',
};

const cache = [path('dist/server.cjs.cache'), path('dist/server.cjs.cache.id')];
for (const file of cache) rmSync(file, { force: true });

await build({
  ...shared,
  entryPoints: [path('src/server.ts')],
  outfile: path('dist/server.cjs'),
  format: 'cjs',
  sourcemap: true,
  external: ['better-sqlite3'],
  // config.ts finds the client build relative to its own module.
  define: { 'import.meta.url': '__gtModuleUrl' },
  banner: { js: "const __gtModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
});
// The build's id, which the cache is made for: production-main.ts uses a cache only beside the
// bundle it was made from (V8 compares only the source's length).
appendFileSync(path('dist/server.cjs'), `\n// gt-build ${randomUUID()}\n`);
await build({
  ...shared,
  entryPoints: [path('src/production-main.ts')],
  outfile: path('dist/main.js'),
  format: 'esm',
});

const port = await new Promise((resolve, reject) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const { port: free } = probe.address();
    probe.close(() => resolve(free));
  });
  probe.on('error', reject);
});
const dataDir = mkdtempSync(join(tmpdir(), 'gt-code-cache-'));
try {
  const warmUp = spawnSync(process.execPath, [path('dist/main.js'), '--write-code-cache'], {
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: dataDir,
      // Without the pages: they are not in the bundle (so not in its cache), and the client
      // may still be building next to this.
      CLIENT_BUILD_DIR: join(dataDir, 'no-client-build'),
      SECRET_KEY: randomBytes(32).toString('hex'),
      ORGANISER_EMAIL: 'code-cache@example.org',
      ORGANISER_PASSWORD: randomBytes(16).toString('hex'),
      LOG_LEVEL: 'warn',
    },
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (warmUp.status !== 0) {
    for (const file of cache) rmSync(file, { force: true });
    console.warn(
      `server build: no code cache (the warm-up start exited with ${warmUp.status ?? warmUp.signal}); ` +
        `the server starts without it.\n${warmUp.stderr ?? ''}`,
    );
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
