import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Post } from '@gt/core';
import { runStoreContract } from '../testing/store-contract.js';
import {
  appendsForNew,
  makeCommand,
  makeEvent,
  makeOrg,
  makePost,
  makeSession,
} from '../testing/factories.js';
import { LATEST_VERSION, MIGRATIONS, migrate } from './migrations.js';
import { openSqliteStore, type SqliteStore, type SqliteStoreOptions } from './sqlite-store.js';

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'gt-sqlite-'));

runStoreContract('sqlite', async (opts) => {
  const dir = tempDir();
  const store = await openSqliteStore({
    file: path.join(dir, 'talks.db'),
    retainEntries: opts.retainEntries,
  });
  return {
    store,
    cleanup: async () => {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('sqlite store', () => {
  const dirs: string[] = [];
  const stores: SqliteStore[] = [];

  /** A fresh file in its own temp folder; closed and removed after the test. */
  async function open(options: Partial<SqliteStoreOptions> = {}, dir = tempDir()) {
    dirs.push(dir);
    const file = path.join(dir, 'talks.db');
    const store = await openSqliteStore({ file, ...options });
    stores.push(store);
    return { store, file, dir };
  }

  /** A second, read-only connection to the file, as an export worker would open it. */
  function peek<T>(file: string, fn: (db: Database.Database) => T): T {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      return fn(db);
    } finally {
      db.close();
    }
  }

  async function sessionIn(store: SqliteStore) {
    const org = makeOrg();
    await store.saveOrganisation(org);
    const event = makeEvent(org.id);
    await store.createEvent(event);
    const session = makeSession(event);
    expect(await store.createSession(session)).toBe('created');
    return session;
  }

  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('durability settings', () => {
    it('opens the file in WAL mode with synchronous=FULL', async () => {
      const { store, file } = await open();
      expect(store.pragmas()).toEqual({ journalMode: 'wal', synchronous: 2 });
      // WAL is a property of the file: another connection sees it too.
      expect(peek(file, (db) => db.pragma('journal_mode', { simple: true }))).toBe('wal');
      expect(peek(file, (db) => db.pragma('user_version', { simple: true }))).toBe(LATEST_VERSION);
    });

    it('acknowledges a write only once another connection can read it', async () => {
      const { store, file } = await open();
      const session = await sessionIn(store);
      const post = makePost(session);
      const pending = store.insertPost(makeCommand(), post, appendsForNew(post), { post: post.id });
      expect(peek(file, (db) => db.prepare('SELECT count(*) AS n FROM posts').get())).toEqual({
        n: 0,
      });
      expect((await pending).kind).toBe('committed');
      const row = peek(file, (db) =>
        db.prepare<[string], { data: string }>('SELECT data FROM posts WHERE id = ?').get(post.id),
      );
      expect(JSON.parse(row!.data)).toEqual(post);
    });
  });

  describe('migrations', () => {
    it('re-opens an existing file cleanly: data kept, schema version unchanged, streams continue', async () => {
      const { store, file, dir } = await open();
      const session = await sessionIn(store);
      const first = makePost(session);
      await store.insertPost(makeCommand(), first, appendsForNew(first), null);
      await store.addReactions(session.id, { applause: 2 });
      await store.close();
      const before = peek(file, (db) => db.pragma('user_version', { simple: true }));

      const { store: again } = await open({}, dir);
      expect(peek(file, (db) => db.pragma('user_version', { simple: true }))).toBe(before);
      expect(before).toBe(LATEST_VERSION);
      expect(await again.getSession(session.id)).toEqual(session);
      expect(await again.listPosts(session.id)).toEqual([first]);
      expect((await again.getCounts(session.id)).reactions).toEqual({ applause: 2 });
      const second = makePost(session);
      const commit = await again.insertPost(makeCommand(), second, appendsForNew(second), null);
      expect(commit.kind === 'committed' && commit.entries.map((e) => e.seq)).toEqual([2, 2, 1]);
    });

    it('[O7] an account of a release before roles becomes the admin of its organisation', async () => {
      const dir = tempDir();
      dirs.push(dir);
      const file = path.join(dir, 'talks.db');
      const db = new Database(file);
      migrate(db, MIGRATIONS.slice(0, 7));
      const org = makeOrg();
      const account = { id: 'acc_old', orgId: org.id, email: 'old@gentofte.example' };
      db.prepare(
        'INSERT INTO organiser_accounts (id, org_id, email, created_at, data) VALUES (?, ?, ?, ?, ?)',
      ).run(account.id, org.id, account.email, 1000, JSON.stringify(account));
      db.close();

      const { store } = await open({}, dir);
      expect(await store.listMembers(org.id)).toEqual([
        { orgId: org.id, accountId: 'acc_old', role: 'admin', createdAt: 1000 },
      ]);
      expect(await store.removeMembership(org.id, 'acc_old')).toBe('last_admin');
    });

    it('refuses a file written by a newer schema, and changes nothing in it', async () => {
      const dir = tempDir();
      dirs.push(dir);
      const file = path.join(dir, 'talks.db');
      const db = new Database(file);
      db.pragma(`user_version = ${LATEST_VERSION + 1}`);
      db.close();
      await expect(openSqliteStore({ file })).rejects.toThrow(/newer/);
      expect(peek(file, (d) => d.pragma('user_version', { simple: true }))).toBe(
        LATEST_VERSION + 1,
      );
    });

    it('applies migrations all or none', () => {
      const db = new Database(':memory:');
      try {
        const broken = [
          ...MIGRATIONS,
          { version: MIGRATIONS.length + 1, name: 'broken', sql: 'CREATE TABLE x (a); NOT SQL' },
        ];
        expect(() => migrate(db, broken)).toThrow(/broken/);
        expect(db.pragma('user_version', { simple: true })).toBe(0);
        expect(
          db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get(),
        ).toEqual({ n: 0 });
        expect(migrate(db)).toEqual({ from: 0, to: LATEST_VERSION });
        expect(migrate(db)).toEqual({ from: LATEST_VERSION, to: LATEST_VERSION });
      } finally {
        db.close();
      }
    });
  });

  describe('group commit', () => {
    it('puts 50 inserts issued in one tick into fewer transactions, all durable and contiguous', async () => {
      const { store } = await open();
      const session = await sessionIn(store);
      const before = store.stats().transactions;
      const posts = Array.from({ length: 50 }, () => makePost(session));
      const commits = await Promise.all(
        posts.map((p) => store.insertPost(makeCommand(), p, appendsForNew(p), { post: p.id })),
      );
      const used = store.stats().transactions - before;
      expect(used).toBeLessThan(50);
      expect(used).toBe(1);
      expect(commits.every((c) => c.kind === 'committed')).toBe(true);
      const seqs = commits.flatMap((c) =>
        c.kind === 'committed'
          ? c.entries.filter((e) => e.stream === 'staff').map((e) => e.seq)
          : [],
      );
      expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      expect(await store.listPosts(session.id)).toHaveLength(50);
    });

    it('with a delay, writes from later turns of the event loop join the same transaction', async () => {
      const { store } = await open({ groupCommitDelayMs: 50 });
      const session = await sessionIn(store);
      const before = store.stats().transactions;
      const pending: Promise<unknown>[] = [];
      for (let i = 0; i < 5; i++) {
        const post = makePost(session);
        pending.push(store.insertPost(makeCommand(), post, appendsForNew(post), null));
        await new Promise((resolve) => setImmediate(resolve));
      }
      await Promise.all(pending);
      expect(store.stats().transactions - before).toBe(1);
    });

    it('a conflict or a failing write in a batch leaves the other writes of the batch applied', async () => {
      const { store } = await open();
      const session = await sessionIn(store);
      const existing = makePost(session);
      await store.insertPost(makeCommand(), existing, appendsForNew(existing), null);
      const before = store.stats().transactions;

      const a = makePost(session);
      const b = makePost(session);
      const clashCmd = makeCommand();
      const clash: Post = { ...makePost(session), id: a.id }; // a second post with a's id: the INSERT fails
      const staleCmd = makeCommand('mod');
      const results = await Promise.allSettled([
        store.insertPost(makeCommand(), a, appendsForNew(a), 'a'),
        store.updatePosts(
          staleCmd,
          session.id,
          [{ post: { ...existing, isPinned: true, version: 3 }, expectedVersion: 2 }],
          [],
          'stale',
        ),
        store.insertPost(clashCmd, clash, appendsForNew(clash), 'clash'),
        store.setVote(
          makeCommand('dev-v'),
          { sessionId: session.id, postId: existing.id, deviceId: 'dev-v', isOn: true },
          'vote',
        ),
        store.insertPost(makeCommand(), b, appendsForNew(b), 'b'),
      ]);
      expect(store.stats().transactions - before).toBe(1);

      const [ra, rstale, rclash, rvote, rb] = results;
      expect(ra).toMatchObject({ status: 'fulfilled', value: { kind: 'committed', ack: 'a' } });
      expect(rstale).toEqual({
        status: 'fulfilled',
        value: { kind: 'conflict', currentPosts: [existing], currentSession: null },
      });
      expect(rclash.status).toBe('rejected');
      expect(rvote).toMatchObject({
        status: 'fulfilled',
        value: { kind: 'committed', ack: 'vote' },
      });
      expect(rb).toMatchObject({ status: 'fulfilled', value: { kind: 'committed', ack: 'b' } });

      // Nothing of the failed write remains: its command, its entries (written before the
      // post in the same savepoint) and its post are gone; the streams have no gap.
      expect(await store.getCommandResult(clashCmd)).toBeNull();
      expect(await store.getCommandResult(staleCmd)).toBeNull();
      expect(await store.getPost(session.id, a.id)).toEqual(a);
      expect((await store.listPosts(session.id)).map((p) => p.id)).toEqual([
        existing.id,
        a.id,
        b.id,
      ]);
      const staff = await store.readStream(session.id, 'staff', 0, 100);
      expect(staff.head).toBe(3);
      expect(staff.entries.map((e) => e.seq)).toEqual([1, 2, 3]);
      expect((await store.getCounts(session.id)).votes).toEqual({ [existing.id]: 1 });
    });

    it('two sends of one command in the same batch: the second is a replay', async () => {
      const { store } = await open();
      const session = await sessionIn(store);
      const post = makePost(session);
      await store.insertPost(makeCommand(), post, appendsForNew(post), null);
      const cmd = makeCommand('mod');
      const pinned = { ...post, isPinned: true, version: 2 };
      const change = [{ post: pinned, expectedVersion: 1 }];
      const [first, second] = await Promise.all([
        store.updatePosts(cmd, session.id, change, [], { n: 1 }),
        store.updatePosts(cmd, session.id, change, [], { n: 2 }),
      ]);
      expect(first).toEqual({ kind: 'committed', ack: { n: 1 }, entries: [] });
      expect(second).toEqual({ kind: 'replay', ack: { n: 1 } });
    });

    it('close() applies the queued writes before closing; later writes are refused', async () => {
      const { store, dir } = await open();
      const session = await sessionIn(store);
      const post = makePost(session);
      const pending = store.insertPost(makeCommand(), post, appendsForNew(post), 'ok');
      await store.close();
      await expect(pending).resolves.toMatchObject({ kind: 'committed', ack: 'ok' });
      await expect(store.insertPost(makeCommand(), post, [], null)).rejects.toThrow(/closed/);
      await expect(store.getPost(session.id, post.id)).rejects.toThrow(/closed/);
      await store.close();

      const { store: again } = await open({}, dir);
      expect(await again.getPost(session.id, post.id)).toEqual(post);
    });
  });

  it('migration 2 indexes the device of posts written under schema 1, for the receipt', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const file = path.join(dir, 'talks.db');
    const old = new Database(file);
    migrate(old, MIGRATIONS.slice(0, 1));
    const org = makeOrg();
    const session = makeSession(makeEvent(org.id));
    const post = makePost(session);
    old
      .prepare(
        'INSERT INTO posts (session_id, id, version, created_at, data) VALUES (?, ?, ?, ?, ?)',
      )
      .run(post.sessionId, post.id, post.version, post.createdAt, JSON.stringify(post));
    old.close();
    const store = await openSqliteStore({ file });
    stores.push(store);
    expect(await store.listDevicePosts(post.authorDevice!)).toEqual([post]);
    expect(peek(file, (db) => db.pragma('user_version', { simple: true }))).toBe(LATEST_VERSION);
  });

  it('keeps no more than retainEntries rows per stream in the file', async () => {
    const { store, file } = await open({ retainEntries: 3 });
    const session = await sessionIn(store);
    for (let i = 0; i < 10; i++) {
      const post = makePost(session);
      await store.insertPost(makeCommand(), post, appendsForNew(post), null);
    }
    const rows = peek(file, (db) =>
      db
        .prepare<[string], { stream: string; n: number; low: number }>(
          'SELECT stream, count(*) AS n, min(seq) AS low FROM stream_entries WHERE session_id = ? GROUP BY stream ORDER BY stream',
        )
        .all(session.id),
    );
    expect(rows.filter((r) => r.stream === 'public' || r.stream === 'staff')).toEqual([
      { stream: 'public', n: 3, low: 8 },
      { stream: 'staff', n: 3, low: 8 },
    ]);
  });
});
