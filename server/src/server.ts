/**
 * The composition root: configuration, store, app, listen, and a graceful shutdown that
 * finishes in-flight writes before the store closes. Clients reconnect to the next process
 * by themselves and catch up.
 *
 * Started by main.ts (tsx, and tsc's dist/main.js) or, in the production build, by
 * production-main.ts, which runs this module's bundle from V8's code cache (see build.mjs).
 */
import { join } from 'node:path';
import { ConfigError, exportWebEnvironment, loadConfig } from './config.js';
import type { Config } from './config.js';
import { createApp } from './app.js';
import { createLogger } from './logger.js';
import { ensureOrganiser } from './services/first-start.js';
import { openStore } from './store/open-store.js';
import { deferredWebHandler, loadWebHandler } from './http/web.js';
import type { ModuleImporter } from './http/web.js';

/** Connections the kernel queues for accept (see the listen call). */
const LISTEN_BACKLOG = 4096;

export interface RunOptions {
  /** How the client build's handler is imported (see ModuleImporter). */
  importModule: ModuleImporter;
  /**
   * Whether V8's code cache was used to compile this code (production-main.ts): logged at
   * start-up, so that an operator (and a test) can see it.
   */
  codeCache?: 'used' | 'rejected' | 'none';
}

/** Starts the server; resolves once it listens and the pages are loaded. */
export async function runServer({ importModule, codeCache }: RunOptions): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  for (const warning of config.warnings) logger.warn(warning);

  const store = await openStore({
    redisUrl: config.redisUrl,
    redisPrefix: config.redisPrefix,
    dataDir: config.dataDir,
  });
  const organiser = await ensureOrganiser({
    store,
    organisationName: config.organisationName,
    email: config.organiserEmail,
    password: config.organiserPassword,
    legacyFile: join(config.dataDir, 'organiser.json'),
  });
  if (organiser.isMigrated)
    logger.info({ email: organiser.email }, 'moved organiser.json into the store');
  // Imported only with REDIS_URL: a single node never loads ioredis or the adapter.
  const fanOut = config.redisUrl
    ? await (
        await import('./realtime/redis-adapter.js')
      ).createRedisFanOut(config.redisUrl, `${config.redisPrefix}socket.io`)
    : undefined;
  // adapter-node reads ORIGIN when its handler is imported: set it first.
  exportWebEnvironment(config);
  // Listen first and import the pages then. After a crash every phone reconnects to Socket.IO
  // within a second or so; importing SvelteKit's server build takes about 100 ms, and a phone
  // that finds the port closed waits for its next back-off (up to 2 s) before it tries again
  // (docs/PERFORMANCE.md, S3). The import starts once the port is open, so that compiling the
  // pages' modules cannot run while createApp waits for its first write; page requests in that
  // moment wait for it.
  let listening!: () => void;
  const webLoading = new Promise<void>((resolve) => (listening = resolve)).then(() =>
    loadWebHandler(config.clientBuildDir, logger, importModule),
  );
  const app = await createApp({
    config,
    store,
    logger,
    ...(fanOut ? { fanOut } : {}),
    web: deferredWebHandler(webLoading),
  });

  await new Promise<void>((resolve, reject) => {
    app.httpServer.once('error', reject);
    // After a restart every phone reconnects at once, faster than a busy event loop accepts.
    // Node's default queue of 511 then fills, the kernel drops the next SYNs, and those phones
    // retry a second later (TCP's first retransmission): docs/PERFORMANCE.md, S3. The kernel
    // caps it at net.core.somaxconn (4096 on current Linux).
    app.httpServer.listen(
      { port: config.port, host: config.host, backlog: LISTEN_BACKLOG },
      resolve,
    );
  });
  listening();
  // A build that cannot be imported stops the server, as it did when this came first.
  const web = await webLoading;
  const address = app.httpServer.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info(
    { store: store.kind, port, secret: config.secretSource, ...(codeCache ? { codeCache } : {}) },
    'Gentofte Talks is running',
  );
  console.log(
    `\nGentofte Talks is running at ${config.publicUrl} (listening on ${config.host}:${port}, store: ${store.kind})`,
  );
  if (web) {
    console.log(`Join a talk: ${config.publicUrl}/ · organisers: ${config.publicUrl}/organiser`);
  } else {
    console.log(
      `No client build in ${config.clientBuildDir}: serving the API only (run \`npm run build\`).`,
    );
  }
  console.log(`Organisation: ${organiser.organisation.name} · organiser login: ${organiser.email}`);
  if (organiser.generatedPassword)
    console.log(
      `Organiser password (shown once, stored hashed in the ${store.kind} store): ${organiser.generatedPassword}`,
    );
  console.log(`Health: ${config.publicUrl}/healthz\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    try {
      await app.close();
      await store.close();
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}
