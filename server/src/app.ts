/**
 * createApp wires one application instance from its dependencies and never listens, so
 * tests build it on port 0 and main.ts decides where it runs.
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import express from 'express';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import helmet from 'helmet';
import { createWordFilter } from '@gt/core';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { Store } from './store/store.js';
import { apiRouter } from './http/api.routes.js';
import { appApiRouter } from './http/app-api.routes.js';
import { qrRouter } from './http/qr.routes.js';
import { webRouter } from './http/web.js';
import { createRealtime } from './realtime/socket-server.js';
import type { FanOut } from './realtime/redis-adapter.js';
import { OrganiserAuth } from './services/organiser-auth.js';
import { ReactionBuffer } from './services/reactions.js';
import { RateLimits } from './services/rate-limits.js';
import { Application } from './services/application.js';
import { TokenSigner } from './services/tokens.js';

/** Reaction taps are written to the store this often. */
const REACTION_FLUSH_MS = 2000;
/** Follow-ups past their deletion date are deleted this often (SPEC F8). */
const FOLLOW_UP_SWEEP_MS = 10 * 60_000;

export interface AppDeps {
  config: Pick<Config, 'secretKey' | 'allowedOrigins' | 'trustProxy' | 'publicUrl'> &
    Partial<Pick<Config, 'extraWords' | 'rateLimits'>>;
  store: Store;
  logger: Logger;
  /** Cross-node fan-out (Redis); absent for a single node. */
  fanOut?: FanOut;
  /** adapter-node's handler (http/web.ts loadWebHandler); absent: API, sockets and QR only. */
  web?: RequestHandler | null;
}

export interface App {
  httpServer: Server;
  service: Application;
  /** Stop taking connections, write what is buffered, close sockets. The store stays open. */
  close(): Promise<void>;
}

export async function createApp({
  config,
  store,
  logger,
  fanOut,
  web: webHandler,
}: AppDeps): Promise<App> {
  const reactions = new ReactionBuffer(store);
  const service = new Application({
    store,
    signer: new TokenSigner(config.secretKey),
    // Accounts live in the store (first-start.ts makes the first one before the app starts).
    organiserAuth: new OrganiserAuth(store),
    reactions,
    logger,
    wordFilter: createWordFilter(config.extraWords ?? []),
    rateLimits: new RateLimits(config.secretKey, config.rateLimits === false ? {} : undefined),
  });

  const web = express();
  web.disable('x-powered-by');
  web.set('trust proxy', config.trustProxy);
  web.use(helmet({ contentSecurityPolicy: false, referrerPolicy: { policy: 'no-referrer' } }));
  web.get('/healthz', async (_req, res) => {
    try {
      await store.ping();
      res.json({ status: 'ok', store: store.kind });
    } catch {
      res.status(503).json({ status: 'unavailable', store: store.kind });
    }
  });
  web.use('/qr', qrRouter({ api: service, publicUrl: config.publicUrl }));
  web.use('/api/app', appApiRouter(service));
  web.use('/api', apiRouter(service));
  // Last: every path the routes above did not answer is SvelteKit's (pages, assets, 404s).
  if (webHandler) web.use(webRouter(webHandler, service));
  const onError: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
    const status = (error as { status?: number }).status ?? 500;
    if (status >= 500) logger.error({ err: error }, 'request failed');
    res.status(status).json({
      ok: false,
      error: {
        code: status < 500 ? 'invalid_input' : 'internal',
        message: status < 500 ? 'bad request' : 'something went wrong',
      },
    });
  };
  web.use(onError);

  const httpServer = createServer(web);
  const realtime = createRealtime({
    httpServer,
    service,
    logger,
    allowedOrigins: config.allowedOrigins,
    trustProxy: config.trustProxy,
    ...(fanOut ? { adapter: fanOut.adapter } : {}),
    store,
  });
  service.setPublisher(realtime.publisher);

  const flushTimer = setInterval(() => {
    reactions
      .flush()
      .then((sessionIds) => {
        // [V3] With several nodes, another node's counts carry the store's totals plus only
        // its own pending taps; once ours are in the store, send the totals again, or screens
        // would keep counts that miss this node's last taps.
        if (fanOut) for (const sessionId of sessionIds) realtime.publisher.countsChanged(sessionId);
      })
      .catch((error: unknown) => logger.warn({ err: error }, 'reaction flush failed; will retry'));
  }, REACTION_FLUSH_MS);
  flushTimer.unref();
  // Every node sweeps; deleting what another node already deleted is harmless.
  const sweepTimer = setInterval(() => {
    service
      .deleteDueFollowUps(FOLLOW_UP_SWEEP_MS)
      .then((count) => {
        if (count > 0) logger.info({ count }, 'deleted follow-ups past their deletion date');
      })
      .catch((error: unknown) => logger.warn({ err: error }, 'follow-up sweep failed; will retry'));
  }, FOLLOW_UP_SWEEP_MS);
  sweepTimer.unref();

  return {
    httpServer,
    service,
    async close() {
      clearInterval(flushTimer);
      clearInterval(sweepTimer);
      await realtime.close();
      await fanOut?.close();
      await reactions
        .flush()
        .catch((error: unknown) => logger.error({ err: error }, 'final reaction flush failed'));
      if (httpServer.listening)
        await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}
