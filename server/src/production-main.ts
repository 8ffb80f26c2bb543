/**
 * dist/main.js of the production build: runs the server bundle (dist/server.cjs, build.mjs)
 * with V8's code cache, so that a restarted server listens sooner.
 *
 * After a crash every phone reconnects within a second or so, and one that finds the port still
 * closed waits for its next back-off, up to two seconds more (docs/PERFORMANCE.md, S3). Most of
 * a cold start is V8 compiling the 4 MB bundle; with the code it compiled during a start-up,
 * saved by the build, that part mostly goes away. Node 20 has no compile cache for modules
 * (module.enableCompileCache came with Node 22), hence a vm.Script over a CommonJS bundle.
 *
 * The cache is written by the build (`node dist/main.js --write-code-cache`, a start-up on a
 * temporary data directory that exits once it listens) next to the bundle, with the build id
 * the bundle ends with beside it. A cache of another build is not used (V8 itself compares
 * only the source's length); one V8 refuses (another Node version, other flags) costs nothing
 * but the compile.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import type { RunOptions } from './server.js';

const dir = dirname(fileURLToPath(import.meta.url));
const bundle = join(dir, 'server.cjs');
const cacheFile = `${bundle}.cache`;
const buildIdFile = `${bundle}.cache.id`;
const writeCache = process.argv.includes('--write-code-cache');

const source = readFileSync(bundle, 'utf8');
/** build.mjs ends the bundle with `// gt-build <random id>`. */
const buildId = /\/\/ gt-build (\S+)\s*$/.exec(source.slice(-200))?.[1] ?? null;

function readCache(): Buffer | undefined {
  if (writeCache || !buildId) return undefined;
  try {
    if (readFileSync(buildIdFile, 'utf8') !== buildId) return undefined;
    return readFileSync(cacheFile);
  } catch {
    return undefined; // no cache: compile as usual
  }
}

const cachedData = readCache();
// The CommonJS wrapper on the bundle's first line, so that line numbers stay the bundle's.
const script = new vm.Script(
  `(function (exports, require, module, __filename, __dirname) {${source}\n})`,
  { filename: bundle, ...(cachedData ? { cachedData } : {}) },
);
const module = { exports: {} as { runServer?: (options: RunOptions) => Promise<void> } };
(script.runInThisContext() as (...args: unknown[]) => void)(
  module.exports,
  createRequire(bundle),
  module,
  bundle,
  dir,
);

// An import() inside the script fails once the script came from the cache (Node 20), so the
// pages are imported from here.
const codeCache = !cachedData ? 'none' : script.cachedDataRejected ? 'rejected' : 'used';
module.exports.runServer!({ importModule: (url) => import(url), codeCache }).then(
  () => {
    if (!writeCache) return;
    // Written beside, then renamed: a start that reads at the same moment sees all or nothing.
    if (buildId) {
      writeFileSync(`${cacheFile}.tmp`, script.createCachedData());
      renameSync(`${cacheFile}.tmp`, cacheFile);
      writeFileSync(buildIdFile, buildId);
    }
    process.exit(0);
  },
  (error: unknown) => {
    console.error('Gentofte Talks could not start:', error);
    process.exit(1);
  },
);
