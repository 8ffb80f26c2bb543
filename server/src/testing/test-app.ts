/**
 * Test harness: a real app on port 0 over a real store (a fresh SQLite file, or Redis under
 * a prefix of its own), and real socket.io-client connections with a promise-returning
 * `call` and a record of every raw packet received.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { io as connect } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import { pino } from 'pino';
import { afterEach, beforeEach } from 'vitest';
import { PROTOCOL_VERSION } from '@gt/protocol';
import type {
  ClientToServerEvents,
  CommandAck,
  CommandName,
  CommandRequest,
  Result,
  ServerToClientEvents,
  SessionWire,
} from '@gt/protocol';
import { createApp } from '../app.js';
import type { App } from '../app.js';
import { ensureOrganiser } from '../services/first-start.js';
import { hashPassword } from '../services/organiser-auth.js';
import type { MemberRole, OrgId } from '@gt/core';
import { createRedisFanOut } from '../realtime/redis-adapter.js';
import type { Store } from '../store/store.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import { createRedisStore } from '../store/redis/redis-store.js';

export type StoreKind = 'sqlite' | 'redis';
export const STORE_KINDS: StoreKind[] = ['sqlite', 'redis'];
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const ORGANISER = { email: 'ordstyrer@gentofte.example', password: 'correct horse battery' };
const SECRET = 'test-secret-key-that-is-long-enough-0123456789';

export interface TestStore {
  store: Store;
  /** Reopen a store over the same data (a restarted process). */
  reopen(): Promise<Store>;
  cleanup(): Promise<void>;
  /**
   * Every value the store holds, as text (SQLite: every row of every table; Redis: every key
   * under the test's prefix with its value), for tests that prove what is NOT kept anywhere.
   */
  dump(): Promise<string>;
}

export async function makeTestStore(kind: StoreKind): Promise<TestStore> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'gt-test-'));
    const file = join(dir, 'talks.sqlite');
    const stores: Store[] = [await openSqliteStore({ file })];
    return {
      store: stores[0]!,
      async reopen() {
        const s = await openSqliteStore({ file });
        stores.push(s);
        return s;
      },
      async cleanup() {
        for (const s of stores) await s.close().catch(() => undefined);
        rmSync(dir, { recursive: true, force: true });
      },
      async dump() {
        const { default: Database } = await import('better-sqlite3');
        const db = new Database(file, { readonly: true });
        try {
          const tables = db
            .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
            .all();
          // One line per row, so a test can ask what one record holds.
          return tables
            .flatMap(({ name }) =>
              db
                .prepare(`SELECT * FROM "${name}"`)
                .all()
                .map((row) => `${name}: ${JSON.stringify(row)}`),
            )
            .join('\n');
        } finally {
          db.close();
        }
      },
    };
  }
  const keyPrefix = `gt-test:${randomBytes(6).toString('hex')}:`;
  const stores: Store[] = [await createRedisStore({ url: TEST_REDIS_URL, keyPrefix })];
  return {
    store: stores[0]!,
    async reopen() {
      const s = await createRedisStore({ url: TEST_REDIS_URL, keyPrefix });
      stores.push(s);
      return s;
    },
    async cleanup() {
      await deleteRedisKeys(keyPrefix);
      for (const s of stores) await s.close().catch(() => undefined);
    },
    dump: () => dumpRedisKeys(keyPrefix),
  };
}

async function dumpRedisKeys(prefix: string): Promise<string> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(TEST_REDIS_URL);
  const lines: string[] = [];
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      for (const key of keys) {
        const type = await redis.type(key);
        const value =
          type === 'string'
            ? await redis.get(key)
            : type === 'hash'
              ? await redis.hgetall(key)
              : type === 'set'
                ? await redis.smembers(key)
                : type === 'zset'
                  ? await redis.zrange(key, 0, -1, 'WITHSCORES')
                  : type === 'list'
                    ? await redis.lrange(key, 0, -1)
                    : type === 'stream'
                      ? await redis.xrange(key, '-', '+')
                      : `(${type})`;
        lines.push(`${key}: ${JSON.stringify(value)}`);
      }
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
  return lines.join('\n');
}

/** Remove a test's keys from the shared Redis (never FLUSHALL: other runs use it too). */
export async function deleteRedisKeys(prefix: string): Promise<void> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(TEST_REDIS_URL);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== '0');
  await redis.quit();
}

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface TestClient {
  socket: TestSocket;
  /** Every packet the client received, as engine.io delivered it (raw text). */
  raw: string[];
  /** Every update received, in order. */
  updates: { name: string; payload: Record<string, unknown> }[];
  call<K extends CommandName>(name: K, payload: CommandRequest<K>): Promise<Result<CommandAck<K>>>;
  /** Like call, but fails the test unless the result is ok. */
  must<K extends CommandName>(name: K, payload: CommandRequest<K>): Promise<CommandAck<K>>;
  close(): void;
}

export interface TestApp {
  app: App;
  url: string;
  store: Store;
  /** The first start's account: an admin of `orgId` [O7]. */
  organiserToken: string;
  orgId: OrgId;
  /**
   * [O2] A new account with `role` in `orgId` (default: the first organisation; another id
   * makes that organisation first), logged in through the API.
   */
  member(
    role: MemberRole,
    orgId?: OrgId,
  ): Promise<{ token: string; email: string; password: string; accountId: string }>;
  createSession(
    settings?: Record<string, unknown>,
  ): Promise<{ session: SessionWire; moderatorToken: string }>;
  client(
    auth?: { device?: string; staff?: string; v?: number },
    options?: { extraHeaders?: Record<string, string> },
  ): Promise<TestClient>;
  /** A registered attendee: a device token and a connected client. */
  attendee(): Promise<TestClient & { deviceToken: string }>;
  close(): Promise<void>;
}

const quiet = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

/**
 * Per test, a fresh store of `kind` and an app on it, closed and deleted after the test:
 * registers the hooks in the describe block it is called in and hands each pair to `use`.
 */
export function useTestApp(kind: StoreKind, use: (app: TestApp, store: TestStore) => void): void {
  let current: { app: TestApp; store: TestStore } | null = null;
  beforeEach(async () => {
    const store = await makeTestStore(kind);
    current = { app: await startTestApp(store.store), store };
    use(current.app, current.store);
  });
  afterEach(async () => {
    await current?.app.close();
    await current?.store.cleanup();
    current = null;
  });
}

/** `fanOutChannel`: join the Redis fan-out under this channel prefix (several nodes in one test). */
export async function startTestApp(
  store: Store,
  options: {
    port?: number;
    fanOutChannel?: string;
    rateLimits?: boolean;
    /** Express's `trust proxy`: a test sets client addresses with X-Forwarded-For. */
    trustProxy?: boolean;
  } = {},
): Promise<TestApp> {
  // As a start does (server.ts): the organisation and the organiser's account, in the store.
  const { organisation } = await ensureOrganiser({
    store,
    organisationName: 'Gentofte Kommune',
    email: ORGANISER.email,
    password: ORGANISER.password,
    legacyFile: null,
  });
  const app = await createApp({
    config: {
      secretKey: SECRET,
      allowedOrigins: ['http://allowed.example'],
      trustProxy: options.trustProxy ?? false,
      publicUrl: 'http://localhost',
      // Tests post in bursts no person would; the rate-limit test turns the limits on.
      rateLimits: options.rateLimits ?? false,
    },
    store,
    logger: quiet,
    ...(options.fanOutChannel
      ? { fanOut: await createRedisFanOut(TEST_REDIS_URL, options.fanOutChannel) }
      : {}),
  });
  await new Promise<void>((resolve) =>
    app.httpServer.listen(options.port ?? 0, '127.0.0.1', resolve),
  );
  const { port } = app.httpServer.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const login = await app.service.login(ORGANISER);
  if (!login.ok) throw new Error('organiser login failed');
  const organiserToken = login.data.staffToken;
  const clients: TestClient[] = [];

  const client: TestApp['client'] = async (auth = {}, opts = {}) => {
    const socket: TestSocket = connect(url, {
      auth: { v: PROTOCOL_VERSION, ...auth },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      extraHeaders: opts.extraHeaders,
    });
    const raw: string[] = [];
    const updates: TestClient['updates'] = [];
    socket.io.on('packet', () => undefined);
    socket.io.engine?.on('packet', (packet: { data?: unknown }) =>
      raw.push(String(packet.data ?? '')),
    );
    socket.onAny((name: string, payload: Record<string, unknown>) =>
      updates.push({ name, payload }),
    );
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (error) => reject(error));
    });
    // The engine exists only once connecting began: attach the raw listener now as well.
    socket.io.engine.on('packet', (packet: { data?: unknown }) =>
      raw.push(String(packet.data ?? '')),
    );
    const call = <K extends CommandName>(name: K, payload: CommandRequest<K>) =>
      (
        socket.timeout(10_000).emitWithAck as (
          n: string,
          p: unknown,
        ) => Promise<Result<CommandAck<K>>>
      )(name, payload);
    const c: TestClient = {
      socket,
      raw,
      updates,
      call,
      async must(name, payload) {
        const result = await call(name, payload);
        if (!result.ok) throw new Error(`${name} failed: ${JSON.stringify(result.error)}`);
        return result.data;
      },
      close: () => socket.close(),
    };
    clients.push(c);
    return c;
  };

  return {
    app,
    url,
    store,
    organiserToken,
    orgId: organisation.id,
    async member(role, orgId = organisation.id) {
      if (!(await store.getOrganisation(orgId)))
        await store.saveOrganisation({ id: orgId, name: `Forening ${orgId}` });
      const suffix = randomBytes(6).toString('hex');
      const email = `${role}-${suffix}@gentofte.example`;
      const password = `adgangskode ${suffix}`;
      const accountId = `acc_${suffix}`;
      const hashed = await hashPassword(password);
      await store.createAccount({ id: accountId, orgId, email, ...hashed, createdAt: Date.now() });
      await store.addMembership({ orgId, accountId, role, createdAt: Date.now() });
      const login = await app.service.login({ email, password });
      if (!login.ok) throw new Error(`login of the ${role} failed: ${login.error.message}`);
      return { token: login.data.staffToken, email, password, accountId };
    },
    async createSession(settings = {}) {
      const event = await app.service.createEvent(
        { staff: organiserToken },
        { title: 'Kulturnat' },
      );
      if (!event.ok) throw new Error('createEvent failed');
      const created = await app.service.createSession(
        { staff: organiserToken },
        { eventId: event.data.id, title: 'Biblioteket', settings },
      );
      if (!created.ok) throw new Error(`createSession failed: ${created.error.message}`);
      return created.data;
    },
    client,
    async attendee() {
      const { deviceToken } = app.service.registerDevice();
      return Object.assign(await client({ device: deviceToken }), { deviceToken });
    },
    async close() {
      for (const c of clients) c.close();
      await app.close();
    },
  };
}

/** Wait until `predicate` holds, polling; fails with `what` after a generous limit. */
export async function waitFor(
  what: string,
  predicate: () => boolean | Promise<boolean>,
  limitMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

let counter = 0;
export const commandId = () =>
  `cmd_${Date.now().toString(36)}_${(counter++).toString(36)}_${randomBytes(3).toString('hex')}`;
