/**
 * The entry point under tsx (`npm run dev`, the reliability tier) and of tsc's output. The
 * production build replaces dist/main.js with production-main.ts, which starts the same
 * runServer from a bundle (build.mjs).
 */
import { runServer } from './server.js';

runServer({ importModule: (url) => import(url) }).catch((error: unknown) => {
  console.error('Gentofte Talks could not start:', error);
  process.exit(1);
});
