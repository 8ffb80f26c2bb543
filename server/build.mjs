// The production build of the server: `tsc` compiles src/ into dist/ (one file per module,
// type-checked), then esbuild bundles src/main.ts and everything it imports (the workspace
// packages from their built dist/) into one file that replaces dist/main.js. A restart after a crash is what the bundle is for: Node spends
// most of a cold start resolving and loading a few hundred modules one by one (about 250 ms
// on the benchmark machine); read as one file it is about 100 ms, and every phone is back
// sooner (docs/PERFORMANCE.md, S3).
//
// Left out of the bundle: better-sqlite3 (a native addon, loaded from node_modules) and the
// SvelteKit handler (imported at run time from CLIENT_BUILD_DIR). Module boundaries stay
// visible as esbuild's `// path` comments, which the benchmark's profile summary reads.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

await build({
  entryPoints: [fileURLToPath(new URL('src/main.ts', import.meta.url))],
  outfile: fileURLToPath(new URL('dist/main.js', import.meta.url)),
  allowOverwrite: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  legalComments: 'inline',
  external: ['better-sqlite3'],
  // CommonJS dependencies (express, ioredis …) call require(); an ES module has none.
  banner: {
    js: "import { createRequire as __gtCreateRequire } from 'node:module'; const require = __gtCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
