/**
 * The Redis store against a real Redis (TEST_REDIS_URL, or the shared one on 6379). The
 * Redis is shared with other test runs: every test works under its own random key prefix and
 * deletes only the keys under it. Never FLUSHALL/FLUSHDB.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { connect as connectTcp } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { runStoreContract } from '../testing/store-contract.js';
import {
  appendsForNew,
  makeCommand,
  makeEvent,
  makeOrg,
  makePost,
  makeSession,
} from '../testing/factories.js';
import type { Store } from '../store.js';
import { createRedisStore } from './redis-store.js';
import type { RedisStore, RedisStoreOptions } from './redis-store.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

// One plain connection for cleanup and for looking at the key layout.
const admin = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
afterAll(async () => {
  if (admin.status === 'ready') await admin.quit();
  else admin.disconnect();
});

/** Hex only, so the prefix holds no glob characters for SCAN MATCH. */
const newPrefix = () => `gt-test:${randomBytes(8).toString('hex')}:`;

async function keysUnder(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return keys;
}

async function deleteUnder(prefix: string): Promise<void> {
  const keys = await keysUnder(prefix);
  for (let i = 0; i < keys.length; i += 500) await admin.unlink(...keys.slice(i, i + 500));
}

function storeOn(prefix: string, options: Partial<RedisStoreOptions> = {}): Promise<RedisStore> {
  return createRedisStore({ url: REDIS_URL, keyPrefix: prefix, ...options });
}

runStoreContract('redis', async (opts) => {
  const prefix = newPrefix();
  const store = await createRedisStore({
    url: REDIS_URL,
    keyPrefix: prefix,
    retainEntries: opts.retainEntries,
  });
  return {
    store,
    cleanup: async () => {
      await deleteUnder(prefix);
      await store.close();
    },
  };
});

async function sessionIn(store: Store) {
  const org = makeOrg();
  await store.saveOrganisation(org);
  const event = makeEvent(org.id);
  await store.createEvent(event);
  const session = makeSession(event);
  expect(await store.createSession(session)).toBe('created');
  return session;
}

describe('redis store: several server nodes on one Redis', () => {
  it('20 concurrent inserts on each of two nodes number the public stream 1..40 without gaps or duplicates', async () => {
    const prefix = newPrefix();
    const [a, b] = await Promise.all([storeOn(prefix), storeOn(prefix)]);
    try {
      const session = await sessionIn(a);
      const insertMany = (store: Store) =>
        Array.from({ length: 20 }, () => {
          const post = makePost(session);
          return store.insertPost(makeCommand(), post, appendsForNew(post), { post: post.id });
        });
      const commits = await Promise.all([...insertMany(a), ...insertMany(b)]);
      expect(commits.every((c) => c.kind === 'committed')).toBe(true);
      const published = commits
        .flatMap((c) => (c.kind === 'committed' ? c.entries : []))
        .filter((e) => e.stream === 'public');
      const expected = Array.from({ length: 40 }, (_, i) => i + 1);
      expect(published.map((e) => e.seq).sort((x, y) => x - y)).toEqual(expected);
      for (const store of [a, b]) {
        const read = await store.readStream(session.id, 'public', 0, 100);
        expect(read.head).toBe(40);
        expect(read.isComplete).toBe(true);
        expect(read.entries.map((e) => e.seq)).toEqual(expected);
        expect(await store.listPosts(session.id)).toHaveLength(40);
      }
    } finally {
      await deleteUnder(prefix);
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('one command sent to both nodes at once is applied once: one commit, one replay with the same acknowledgement', async () => {
    const prefix = newPrefix();
    const [a, b] = await Promise.all([storeOn(prefix), storeOn(prefix)]);
    try {
      const session = await sessionIn(a);
      for (let round = 0; round < 10; round++) {
        const cmd = makeCommand();
        const first = makePost(session);
        const second = makePost(session);
        const results = await Promise.all([
          a.insertPost(cmd, first, appendsForNew(first), { post: first.id }),
          b.insertPost(cmd, second, appendsForNew(second), { post: second.id }),
        ]);
        const committed = results.filter((r) => r.kind === 'committed');
        const replays = results.filter((r) => r.kind === 'replay');
        expect(committed).toHaveLength(1);
        expect(replays).toHaveLength(1);
        expect(replays[0]!.ack).toEqual(committed[0]!.ack);
      }
      expect(await b.listPosts(session.id)).toHaveLength(10);
      expect((await a.readStream(session.id, 'staff', 0, 100)).head).toBe(10);
    } finally {
      await deleteUnder(prefix);
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe('redis store: keys', () => {
  it('keeps every key under its prefix: stores on different prefixes do not see each other', async () => {
    const [p1, p2] = [newPrefix(), newPrefix()];
    const [one, two] = await Promise.all([storeOn(p1), storeOn(p2)]);
    try {
      const session = await sessionIn(one);
      const post = makePost(session);
      await one.insertPost(makeCommand(), post, appendsForNew(post), null);
      await one.setVote(
        makeCommand('dev-1'),
        { sessionId: session.id, postId: post.id, deviceId: 'dev-1', isOn: true },
        null,
      );
      await one.addReactions(session.id, { heart: 2 });
      expect(await two.getSession(session.id)).toBeNull();
      expect(await two.findSessionByCode(session.joinCode)).toBeNull();
      expect(await two.listPosts(session.id)).toEqual([]);
      expect(await two.readStream(session.id, 'public', 0, 10)).toEqual({
        head: 0,
        entries: [],
        isComplete: true,
      });
      expect(await two.getCounts(session.id)).toEqual({ votes: {}, reactions: {} });
      // The second store may reuse the join code: the code index is per prefix too.
      const event = makeEvent(session.orgId);
      await two.createEvent(event);
      expect(await two.createSession(makeSession(event, { joinCode: session.joinCode }))).toBe(
        'created',
      );
      // Scripts received every key they wrote: all of them sit under the first prefix.
      const keys = (await keysUnder(p1)).map((k) => k.slice(p1.length)).sort();
      expect(keys).toEqual(
        expect.arrayContaining([
          `session:${session.id}`,
          `code:${session.joinCode}`,
          `s:${session.id}:posts`,
          `s:${session.id}:head:public`,
          `s:${session.id}:log:staff`,
          `s:${session.id}:head:private%3A${post.authorDevice}`,
          `s:${session.id}:votes`,
          `s:${session.id}:voters:${post.id}`,
          `s:${session.id}:dev:dev-1:votes`,
          `s:${session.id}:reactions`,
        ]),
      );
    } finally {
      await Promise.all([deleteUnder(p1), deleteUnder(p2)]);
      await Promise.all([one.close(), two.close()]);
    }
  });

  it('moves the join code index when updateSession changes the code, and refuses a taken one', async () => {
    const prefix = newPrefix();
    const store = await storeOn(prefix);
    try {
      const session = await sessionIn(store);
      const other = makeSession((await store.getEvent(session.eventId))!, {
        joinCode: session.joinCode === '123456' ? '654321' : '123456',
      });
      expect(await store.createSession(other)).toBe('created');
      const recoded = {
        ...session,
        joinCode: session.joinCode === '000001' ? '000002' : '000001',
        version: 2,
      };
      expect((await store.updateSession(makeCommand('org'), recoded, 1, [], null)).kind).toBe(
        'committed',
      );
      expect(await store.findSessionByCode(recoded.joinCode)).toEqual(recoded);
      expect(await store.findSessionByCode(session.joinCode)).toBeNull();
      const clash = { ...recoded, joinCode: other.joinCode, version: 3 };
      await expect(store.updateSession(makeCommand('org'), clash, 2, [], null)).rejects.toThrow(
        /join_code_taken/,
      );
      expect(await store.getSession(session.id)).toEqual(recoded);
      expect(await store.findSessionByCode(other.joinCode)).toEqual(other);
      expect((await store.listSessions(session.eventId)).map((s) => s.id)).toEqual([
        session.id,
        other.id,
      ]);
    } finally {
      await deleteUnder(prefix);
      await store.close();
    }
  });

  it('tells apart command ids that would read the same once joined with a colon', async () => {
    const prefix = newPrefix();
    const store = await storeOn(prefix);
    try {
      const session = await sessionIn(store);
      const a = makePost(session);
      const b = makePost(session);
      expect(
        (await store.insertPost({ actor: 'staff:1', commandId: 'x' }, a, appendsForNew(a), 1)).kind,
      ).toBe('committed');
      expect(
        (await store.insertPost({ actor: 'staff', commandId: '1:x' }, b, appendsForNew(b), 2)).kind,
      ).toBe('committed');
      expect(await store.getCommandResult({ actor: 'staff:1', commandId: 'x' })).toBe(1);
      expect(await store.getCommandResult({ actor: 'staff', commandId: '1:x' })).toBe(2);
    } finally {
      await deleteUnder(prefix);
      await store.close();
    }
  });

  it('keeps only the retained entries in the log and lets acknowledgements expire', async () => {
    const prefix = newPrefix();
    const store = await storeOn(prefix, { retainEntries: 3, commandTtlSeconds: 60 });
    try {
      const session = await sessionIn(store);
      const cmd = makeCommand();
      for (let i = 0; i < 7; i++) {
        const post = makePost(session);
        await store.insertPost(i === 0 ? cmd : makeCommand(), post, appendsForNew(post), null);
      }
      expect(await admin.zcard(`${prefix}s:${session.id}:log:staff`)).toBe(3);
      expect(
        (await store.readStream(session.id, 'staff', 4, 10)).entries.map((e) => e.seq),
      ).toEqual([5, 6, 7]);
      const ttl = await admin.ttl(`${prefix}cmd:${cmd.actor}:${cmd.commandId}`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60);
    } finally {
      await deleteUnder(prefix);
      await store.close();
    }
  });
});

/** A TCP relay to Redis that the test can cut, like a network partition or a Redis restart. */
async function startRelay(port = 0): Promise<{ url: string; port: number; stop(): Promise<void> }> {
  const target = new URL(REDIS_URL);
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connectTcp(Number(target.port || 6379), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => s.destroy());
      s.on('close', () => {
        sockets.delete(s);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  const url = new URL(REDIS_URL);
  url.hostname = '127.0.0.1';
  url.port = String(bound);
  return {
    url: url.toString(),
    port: bound,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Collects what would otherwise crash the process or vanish. */
function watchProcess() {
  const problems: unknown[] = [];
  const onProblem = (error: unknown) => problems.push(error);
  process.on('unhandledRejection', onProblem);
  process.on('uncaughtException', onProblem);
  return {
    problems,
    stop() {
      process.off('unhandledRejection', onProblem);
      process.off('uncaughtException', onProblem);
    },
  };
}

describe('redis store: Redis unreachable', () => {
  it('refuses to start when nothing listens, instead of waiting forever', async () => {
    const watch = watchProcess();
    try {
      const port = await freePort();
      await expect(
        createRedisStore({
          url: `redis://127.0.0.1:${port}`,
          keyPrefix: newPrefix(),
          connectTimeoutMs: 500,
          maxRetriesPerRequest: 1,
        }),
      ).rejects.toThrow(/cannot connect to Redis at redis:\/\/127\.0\.0\.1:\d+/);
      expect(watch.problems).toEqual([]);
    } finally {
      watch.stop();
    }
  });

  it('rejects operations while Redis is gone, keeps the process alive, and serves again once it is back', async () => {
    const watch = watchProcess();
    const prefix = newPrefix();
    let relay = await startRelay();
    const errors: Error[] = [];
    const store = await createRedisStore({
      url: relay.url,
      keyPrefix: prefix,
      connectTimeoutMs: 500,
      commandTimeoutMs: 3_000,
      maxRetriesPerRequest: 1,
      onError: (error) => errors.push(error),
    });
    try {
      const session = await sessionIn(store);
      const post = makePost(session);
      expect((await store.insertPost(makeCommand(), post, appendsForNew(post), null)).kind).toBe(
        'committed',
      );

      await relay.stop();
      const late = makePost(session);
      await expect(
        store.insertPost(makeCommand(), late, appendsForNew(late), null),
      ).rejects.toThrow();
      await expect(store.readStream(session.id, 'public', 0, 10)).rejects.toThrow();
      await expect(store.ping()).rejects.toThrow();
      // Reconnection errors reach the listener instead of being thrown.
      expect(errors.length).toBeGreaterThan(0);

      relay = await startRelay(relay.port);
      await waitFor(async () => {
        await store.ping();
      });
      expect((await store.readStream(session.id, 'public', 0, 10)).head).toBe(1);
      expect(watch.problems).toEqual([]);
    } finally {
      watch.stop();
      await relay.stop();
      await store.close();
      await deleteUnder(prefix);
    }
  });
});

/** Retry until the check passes; no test asserts elapsed time, the limit only ends a hang. */
async function waitFor(check: () => Promise<void>, limitMs = 15_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
