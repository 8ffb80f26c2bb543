/**
 * The SvelteKit app on the same port as the API and Socket.IO: adapter-node's build exports a
 * request handler, which createApp mounts last, after /api, /qr and /healthz.
 *
 * SvelteKit's server code reaches the application only through AppApi: each request it gets
 * carries the in-process implementation as `req.appApi`, which client/src/hooks.server.ts
 * reads from `event.platform.req`. The server never calls its own public URL.
 */
import { existsSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import express from 'express';
import type { RequestHandler, Router } from 'express';
import type { Logger } from 'pino';
import type { AppApi } from '@gt/protocol';

/** What hooks.server.ts expects on the Node request (its App.Platform declares the same). */
export type RequestWithAppApi = IncomingMessage & { appApi?: AppApi };

/**
 * `import(url)` as the caller's module would do it. The production bundle runs in a vm.Script
 * (for V8's code cache, server/src/production-main.ts), where an `import()` of its own fails
 * once the script comes from the cache (Node 20); its loader passes one from outside.
 */
export type ModuleImporter = (url: string) => Promise<unknown>;

/**
 * Imports `handler.js` from the client build, or returns null when there is none: the server
 * still serves the API, Socket.IO and QR images, and says so in the log.
 *
 * Call config's exportWebEnvironment() first: the handler reads ORIGIN when it is imported
 * (and it uses top-level await, so it can only be imported, never required).
 */
export async function loadWebHandler(
  buildDir: string,
  logger: Logger,
  importModule: ModuleImporter = (url) => import(url),
): Promise<RequestHandler | null> {
  const file = join(buildDir, 'handler.js');
  if (!existsSync(file)) {
    logger.warn(
      { buildDir },
      'no client build: serving the API, Socket.IO and QR images only (run `npm run build`)',
    );
    return null;
  }
  const { handler } = (await importModule(pathToFileURL(file).href)) as { handler: RequestHandler };
  logger.info({ buildDir }, 'serving the client build');
  return handler;
}

/**
 * A handler that serves the pages once `loading` has settled: requests that come before
 * wait for it, later ones go straight through. Without a client build, every request passes
 * on (`next()`), as if no web app were mounted; a failed import answers 500 (main.ts stops
 * the server on it anyway).
 */
export function deferredWebHandler(loading: Promise<RequestHandler | null>): RequestHandler {
  let loaded: RequestHandler | null | undefined;
  loading.then(
    (handler) => {
      loaded = handler;
    },
    () => {
      loaded = null;
    },
  );
  return (req, res, next) => {
    if (loaded !== undefined) return loaded ? loaded(req, res, next) : next();
    loading.then((handler) => (handler ? handler(req, res, next) : next()), next);
  };
}

/**
 * The web app as an Express router: no body parser in front of it (a parser would drain the
 * stream SvelteKit's form actions read), and the AppApi attached to every request.
 */
export function webRouter(handler: RequestHandler, appApi: AppApi): Router {
  const router = express.Router();
  router.use((req, _res, next) => {
    (req as RequestWithAppApi).appApi = appApi;
    next();
  });
  router.use(handler);
  return router;
}
