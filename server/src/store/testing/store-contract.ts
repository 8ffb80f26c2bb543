/**
 * The store contract (SPEC ST0-ST18): every Store implementation runs exactly these cases.
 * Each port of store.ts has its cases: this file holds SessionStore (ST1, ST5), CommandStore
 * and PostStore (ST2-ST4) and StreamStore (ST6-ST8); the others are in their own files:
 * CountStore count-contract.ts, PostStore's merge and receipt merge-contract.ts and
 * receipt-contract.ts, ExposureStore exposure-contract.ts, QueueStore queue-contract.ts,
 * LogStore log-contract.ts, TopicStore topic-contract.ts, LinkStore link-contract.ts,
 * AccountStore account-contract.ts.
 * The cases are plain data so that a test can also run them against a deliberately broken
 * store and prove that the suite notices (store-contract-broken.int.test.ts).
 */
import { expect, describe, it } from 'vitest';
import {
  DEFAULT_SETTINGS,
  moderate,
  postAppends,
  privateStream,
  sessionAppends,
  applySettings,
} from '@gt/core';
import type { Post, Session } from '@gt/core';
import type { Store, StoreOptions } from '../store.js';
import { topicContractCases } from './topic-contract.js';
import { logContractCases } from './log-contract.js';
import { exposureContractCases } from './exposure-contract.js';
import { queueContractCases } from './queue-contract.js';
import { pollContractCases } from './poll-contract.js';
import { mergeContractCases } from './merge-contract.js';
import { countContractCases } from './count-contract.js';
import { receiptContractCases } from './receipt-contract.js';
import { linkContractCases } from './link-contract.js';
import { accountContractCases } from './account-contract.js';
import { memberContractCases } from './member-contract.js';
import {
  appendsForNew,
  makeCommand,
  makeEvent,
  makeOrg,
  makePost,
  makeSession,
  storedSession,
  testId,
  tick,
} from './factories.js';
import type { ContractCase } from './factories.js';

export interface StoreHarness {
  store: Store;
  cleanup(): Promise<void>;
}
export type MakeStore = (options: StoreOptions) => Promise<StoreHarness>;

export type { ContractCase } from './factories.js';

async function insert(store: Store, post: Post) {
  const commit = await store.insertPost(makeCommand(), post, appendsForNew(post), {
    post: post.id,
  });
  expect(commit.kind).toBe('committed');
  return commit;
}

function approve(post: Post): Post {
  const result = moderate(post, { type: 'approve' }, tick());
  if (!result.ok) throw new Error(result.message);
  return result.post;
}

export const storeContractCases: ContractCase[] = [
  {
    name: '[ST1] saves organisations and events, and lists events newest first',
    async run(store) {
      const org = makeOrg('Gentofte Kommune');
      await store.saveOrganisation(org);
      await store.saveOrganisation({ ...org, name: 'Gentofte Kommune – Kultur' });
      expect(await store.getOrganisation(org.id)).toEqual({
        ...org,
        name: 'Gentofte Kommune – Kultur',
      });
      expect(await store.getOrganisation(testId('org'))).toBeNull();
      const first = makeEvent(org.id, 'Folkemøde');
      const second = makeEvent(org.id, 'Kulturnat');
      await store.createEvent(first);
      await store.createEvent(second);
      expect(await store.getEvent(first.id)).toEqual(first);
      expect((await store.listEvents(org.id)).map((e) => e.id)).toEqual([second.id, first.id]);
      expect(await store.listEvents(makeOrg().id)).toEqual([]);
    },
  },
  {
    name: '[ST1] finds a session by id and by join code; a taken code writes nothing',
    async run(store) {
      const { event, session } = await storedSession(store);
      expect(await store.getSession(session.id)).toEqual(session);
      expect(await store.findSessionByCode(session.joinCode)).toEqual(session);
      const clash = makeSession(event, { joinCode: session.joinCode, title: 'Another' });
      expect(await store.createSession(clash)).toBe('code_taken');
      expect(await store.getSession(clash.id)).toBeNull();
      expect(await store.findSessionByCode(session.joinCode)).toEqual(session);
      const other = makeSession(event);
      await store.createSession(other);
      expect((await store.listSessions(event.id)).map((s) => s.id)).toEqual([session.id, other.id]);
    },
  },
  {
    name: '[ST2] inserting a post stores it and numbers its stream entries from 1',
    async run(store) {
      const { session } = await storedSession(store);
      const post = makePost(session, { displayName: 'Ærlige Åse "quote" \'single\'' });
      const commit = await insert(store, post);
      if (commit.kind !== 'committed') return;
      expect(commit.ack).toEqual({ post: post.id });
      expect(commit.entries.map((e) => [e.stream, e.seq, e.update.type, e.sessionId])).toEqual([
        ['public', 1, 'post:created', session.id],
        ['staff', 1, 'post:created', session.id],
        [privateStream(post.authorDevice!), 1, 'post:created', session.id],
      ]);
      expect(await store.getPost(session.id, post.id)).toEqual(post);
      expect(await store.getPost(session.id, testId('pst'))).toBeNull();
    },
  },
  {
    name: '[ST3] a repeated command is a replay: same acknowledgement, no second post, no new entries',
    async run(store) {
      const { session } = await storedSession(store);
      const post = makePost(session);
      const cmd = makeCommand();
      const ack = { post: post.id, note: 'first' };
      const first = await store.insertPost(cmd, post, appendsForNew(post), ack);
      expect(first.kind).toBe('committed');
      // The retry arrives with a fresh post id (the server made a new one); it must not land.
      const retry = { ...post, id: testId('pst') as Post['id'] };
      const second = await store.insertPost(cmd, retry, appendsForNew(retry), {
        post: retry.id,
        note: 'second',
      });
      expect(second).toEqual({ kind: 'replay', ack });
      expect(await store.listPosts(session.id)).toHaveLength(1);
      expect((await store.readStream(session.id, 'public', 0, 100)).head).toBe(1);
      expect(await store.getCommandResult(cmd)).toEqual(ack);
    },
  },
  {
    name: '[ST3] five concurrent sends of one command store one post and give five identical acknowledgements',
    async run(store) {
      const { session } = await storedSession(store);
      const cmd = makeCommand();
      const attempts = Array.from({ length: 5 }, () => makePost(session));
      const commits = await Promise.all(
        attempts.map((p) => store.insertPost(cmd, p, appendsForNew(p), { post: p.id })),
      );
      expect(commits.filter((c) => c.kind === 'committed')).toHaveLength(1);
      expect(commits.filter((c) => c.kind === 'replay')).toHaveLength(4);
      const acks = commits.map((c) => (c.kind === 'conflict' ? null : c.ack));
      expect(new Set(acks.map((a) => JSON.stringify(a))).size).toBe(1);
      expect(await store.listPosts(session.id)).toHaveLength(1);
    },
  },
  {
    name: '[ST3] the same command id from two actors is two commands',
    async run(store) {
      const { session } = await storedSession(store);
      const commandId = testId('cmd');
      const a = makePost(session);
      const b = makePost(session);
      expect(
        (await store.insertPost({ actor: 'dev-a', commandId }, a, appendsForNew(a), 1)).kind,
      ).toBe('committed');
      expect(
        (await store.insertPost({ actor: 'dev-b', commandId }, b, appendsForNew(b), 2)).kind,
      ).toBe('committed');
      expect(await store.listPosts(session.id)).toHaveLength(2);
    },
  },
  {
    name: '[ST4] updating a post at its stored version applies and appends to the streams that see it',
    async run(store) {
      const { session } = await storedSession(store);
      const pending = makePost(session, { moderation: 'pre' });
      const created = await insert(store, pending);
      if (created.kind !== 'committed') return;
      expect(created.entries.map((e) => e.stream)).not.toContain('public');
      const approved = approve(pending);
      const commit = await store.updatePosts(
        makeCommand('mod'),
        session.id,
        [{ post: approved, expectedVersion: pending.version }],
        postAppends(pending, approved),
        { ok: 1 },
      );
      expect(commit.kind).toBe('committed');
      if (commit.kind !== 'committed') return;
      expect(commit.entries.map((e) => [e.stream, e.seq, e.update.type])).toEqual([
        ['public', 1, 'post:created'],
        ['staff', 2, 'post:updated'],
        [privateStream(pending.authorDevice!), 2, 'post:updated'],
      ]);
      expect(await store.getPost(session.id, pending.id)).toEqual(approved);
    },
  },
  {
    name: '[ST4] a stale version is a conflict that writes nothing and returns the current post',
    async run(store) {
      const { session } = await storedSession(store);
      const pending = makePost(session, { moderation: 'pre' });
      await insert(store, pending);
      const approved = approve(pending);
      const cmd = makeCommand('mod');
      await store.updatePosts(
        makeCommand('mod'),
        session.id,
        [{ post: approved, expectedVersion: 1 }],
        postAppends(pending, approved),
        1,
      );
      const heads = await store.snapshot(session.id, ['public', 'staff']);
      // A second moderator, still holding version 1, tries to hide it.
      const hidden = moderate(pending, { type: 'hide', reason: 'spam' }, tick());
      if (!hidden.ok) throw new Error('unexpected');
      const stale = await store.updatePosts(
        cmd,
        session.id,
        [{ post: hidden.post, expectedVersion: 1 }],
        postAppends(pending, hidden.post),
        2,
      );
      expect(stale).toEqual({ kind: 'conflict', currentPosts: [approved], currentSession: null });
      expect(await store.getPost(session.id, pending.id)).toEqual(approved);
      expect((await store.snapshot(session.id, ['public', 'staff'])).heads).toEqual(heads.heads);
      expect(await store.getCommandResult(cmd)).toBeNull();
      // The same command, retried with the current version, now applies.
      const rehidden = moderate(approved, { type: 'hide', reason: 'spam' }, tick());
      if (!rehidden.ok) throw new Error('unexpected');
      const retry = await store.updatePosts(
        cmd,
        session.id,
        [{ post: rehidden.post, expectedVersion: approved.version }],
        postAppends(approved, rehidden.post),
        3,
      );
      expect(retry.kind).toBe('committed');
    },
  },
  {
    name: '[ST4] a change to several posts applies all or none',
    async run(store) {
      const { session } = await storedSession(store);
      const a = makePost(session);
      const b = makePost(session);
      await insert(store, a);
      await insert(store, b);
      const a2 = { ...a, isHighlighted: true, version: 2 };
      const b2 = { ...b, isHighlighted: true, version: 2 };
      const conflict = await store.updatePosts(
        makeCommand('mod'),
        session.id,
        [
          { post: a2, expectedVersion: 1 },
          { post: b2, expectedVersion: 7 },
        ],
        [...postAppends(a, a2), ...postAppends(b, b2)],
        null,
      );
      expect(conflict.kind).toBe('conflict');
      if (conflict.kind === 'conflict')
        expect(conflict.currentPosts.map((p) => p.id).sort()).toEqual([a.id, b.id].sort());
      expect(await store.getPost(session.id, a.id)).toEqual(a);
      const missing = makePost(session);
      const gone = await store.updatePosts(
        makeCommand('mod'),
        session.id,
        [{ post: { ...missing, version: 2 }, expectedVersion: 1 }],
        [],
        null,
      );
      expect(gone).toEqual({ kind: 'conflict', currentPosts: [], currentSession: null });
      const both = await store.updatePosts(
        makeCommand('mod'),
        session.id,
        [
          { post: a2, expectedVersion: 1 },
          { post: b2, expectedVersion: 1 },
        ],
        [...postAppends(a, a2), ...postAppends(b, b2)],
        null,
      );
      expect(both.kind).toBe('committed');
      expect((await store.listPosts(session.id)).map((p) => p.isHighlighted)).toEqual([true, true]);
    },
  },
  {
    name: '[ST4] a repeated moderation command is a replay with the first acknowledgement',
    async run(store) {
      const { session } = await storedSession(store);
      const pending = makePost(session, { moderation: 'pre' });
      await insert(store, pending);
      const approved = approve(pending);
      const cmd = makeCommand('mod');
      const first = await store.updatePosts(
        cmd,
        session.id,
        [{ post: approved, expectedVersion: 1 }],
        postAppends(pending, approved),
        { v: 2 },
      );
      expect(first.kind).toBe('committed');
      const again = await store.updatePosts(
        cmd,
        session.id,
        [{ post: approved, expectedVersion: 1 }],
        postAppends(pending, approved),
        { v: 99 },
      );
      expect(again).toEqual({ kind: 'replay', ack: { v: 2 } });
      expect((await store.readStream(session.id, 'staff', 0, 100)).head).toBe(2);
    },
  },
  {
    name: '[ST5] session settings change at the stored version only; a stale one returns the current session',
    async run(store) {
      const { session } = await storedSession(store);
      const next = applySettings(session, { moderation: 'pre' });
      const cmd = makeCommand('org');
      const commit = await store.updateSession(cmd, next, 1, sessionAppends(next), { s: 2 });
      expect(commit.kind).toBe('committed');
      if (commit.kind === 'committed')
        expect(commit.entries.map((e) => [e.stream, e.seq])).toEqual([
          ['public', 1],
          ['staff', 1],
        ]);
      expect(await store.getSession(session.id)).toEqual(next);
      expect(await store.findSessionByCode(session.joinCode)).toEqual(next);
      expect(await store.updateSession(cmd, next, 1, sessionAppends(next), { s: 3 })).toEqual({
        kind: 'replay',
        ack: { s: 2 },
      });
      const stale = applySettings(session, { isOpen: false });
      expect(
        await store.updateSession(makeCommand('org'), stale, 1, sessionAppends(stale), null),
      ).toEqual({
        kind: 'conflict',
        currentPosts: [],
        currentSession: next,
      });
    },
  },
  {
    name: '[ST5] [SC2] a session stored before the wall settings existed reads with their defaults, by id, by code, in lists and in a conflict',
    async run(store) {
      const org = makeOrg();
      await store.saveOrganisation(org);
      const event = makeEvent(org.id);
      await store.createEvent(event);
      // The shape sessions had before the wall settings: five settings only.
      const old = makeSession(event, {
        settings: {
          moderation: 'pre',
          isOpen: true,
          hideVotes: true,
          maxLength: 400,
          reactions: ['heart'],
        } as Session['settings'],
      });
      expect(await store.createSession(old)).toBe('created');
      const expected = {
        ...old,
        settings: { ...DEFAULT_SETTINGS, ...old.settings },
      };
      expect(await store.getSession(old.id)).toEqual(expected);
      expect(await store.findSessionByCode(old.joinCode)).toEqual(expected);
      expect(await store.listSessions(event.id)).toEqual([expected]);
      const stale = applySettings(old, { wallMode: 'fresh' });
      const conflict = await store.updateSession(makeCommand('org'), stale, 7, [], null);
      expect(conflict).toEqual({ kind: 'conflict', currentPosts: [], currentSession: expected });
      const next = applySettings(expected, {
        wallMode: 'pinned',
        panel: [{ id: 'pm_aaaaaaaa', name: 'Søren Ærø', party: 'Venstre' }],
      });
      expect((await store.updateSession(makeCommand('org'), next, 1, [], null)).kind).toBe(
        'committed',
      );
      expect(await store.getSession(old.id)).toEqual(next);
    },
  },
  {
    name: '[ST6] each stream of each session counts on its own, without gaps',
    async run(store) {
      const one = await storedSession(store);
      const two = await storedSession(store);
      const seqs: Record<string, number[]> = {};
      for (let i = 0; i < 4; i++) {
        for (const { session } of [one, two]) {
          const post = makePost(session, { moderation: i % 2 ? 'pre' : 'post' });
          const commit = await store.insertPost(makeCommand(), post, appendsForNew(post), null);
          if (commit.kind !== 'committed') throw new Error('not committed');
          for (const e of commit.entries)
            if (!e.stream.startsWith('private'))
              (seqs[`${session.id}/${e.stream}`] ??= []).push(e.seq);
        }
      }
      for (const { session } of [one, two]) {
        expect(seqs[`${session.id}/staff`]).toEqual([1, 2, 3, 4]);
        expect(seqs[`${session.id}/public`]).toEqual([1, 2]);
      }
    },
  },
  {
    name: '[ST7] reading a stream returns the entries after a sequence number, in order, within a limit',
    async run(store) {
      const { session } = await storedSession(store);
      const posts = [makePost(session), makePost(session), makePost(session)];
      for (const p of posts) await insert(store, p);
      const all = await store.readStream(session.id, 'public', 0, 100);
      expect(all.head).toBe(3);
      expect(all.isComplete).toBe(true);
      expect(all.entries.map((e) => e.seq)).toEqual([1, 2, 3]);
      expect(
        all.entries.map((e) => (e.update.type === 'post:created' ? e.update.post.id : null)),
      ).toEqual(posts.map((p) => p.id));
      expect(
        (await store.readStream(session.id, 'public', 1, 1)).entries.map((e) => e.seq),
      ).toEqual([2]);
      expect(await store.readStream(session.id, 'public', 3, 100)).toEqual({
        head: 3,
        entries: [],
        isComplete: true,
      });
      const ahead = await store.readStream(session.id, 'public', 9, 100);
      expect(ahead.isComplete).toBe(false);
      expect(ahead.head).toBe(3);
      expect(await store.readStream(testId('ses'), 'public', 0, 100)).toEqual({
        head: 0,
        entries: [],
        isComplete: true,
      });
    },
  },
  {
    name: '[ST7] entries beyond the retained window are reported as gone, so the reader takes a snapshot',
    options: { retainEntries: 5 },
    async run(store) {
      const { session } = await storedSession(store);
      for (let i = 0; i < 12; i++) await insert(store, makePost(session));
      const old = await store.readStream(session.id, 'staff', 0, 100);
      expect(old.head).toBe(12);
      expect(old.isComplete).toBe(false);
      const recent = await store.readStream(session.id, 'staff', 7, 100);
      expect(recent.isComplete).toBe(true);
      expect(recent.entries.map((e) => e.seq)).toEqual([8, 9, 10, 11, 12]);
      expect((await store.readStream(session.id, 'staff', 6, 100)).isComplete).toBe(false);
    },
  },
  {
    name: '[ST8] a snapshot gives every post, oldest first, with the heads of the asked streams',
    async run(store) {
      const { session } = await storedSession(store);
      const visible = makePost(session);
      const pending = makePost(session, { moderation: 'pre' });
      await insert(store, visible);
      await insert(store, pending);
      const device = privateStream(pending.authorDevice!);
      const snap = await store.snapshot(session.id, [
        'public',
        'staff',
        device,
        privateStream('nobody' as never),
      ]);
      expect(snap.posts).toEqual([visible, pending]);
      expect(snap.heads).toEqual({ public: 1, staff: 2, [device]: 1, 'private:nobody': 0 });
    },
  },
  {
    name: '[ST8] a snapshot, post list or post read before a write never hides the write',
    async run(store) {
      const { session } = await storedSession(store);
      const pending = makePost(session, { moderation: 'pre' });
      await insert(store, pending);
      // Read first (a store may keep what it read), then change a post and add one.
      expect((await store.snapshot(session.id, ['staff'])).posts).toEqual([pending]);
      expect(await store.listPosts(session.id)).toEqual([pending]);
      expect(await store.getPost(session.id, pending.id)).toEqual(pending);
      const approved = approve(pending);
      await store.updatePosts(
        makeCommand('mod'),
        session.id,
        [{ post: approved, expectedVersion: pending.version }],
        postAppends(pending, approved),
        1,
      );
      const later = makePost(session);
      await insert(store, later);
      const snap = await store.snapshot(session.id, ['staff']);
      expect(snap.posts).toEqual([approved, later]);
      expect(snap.heads).toEqual({ staff: 3 });
      expect(await store.listPosts(session.id)).toEqual([approved, later]);
      expect(await store.getPost(session.id, pending.id)).toEqual(approved);
      expect(await store.getPost(session.id, later.id)).toEqual(later);
      expect(await store.getPost(session.id, 'no-such-post')).toBeNull();
      // What one caller got is its own: changing its list changes nobody else's.
      snap.posts.pop();
      expect((await store.snapshot(session.id, ['staff'])).posts).toHaveLength(2);
    },
  },
  {
    name: '[ST8] the session, counts, exposure and wall set read before a write never hide the write',
    async run(store) {
      const { session } = await storedSession(store);
      const post = makePost(session);
      await insert(store, post);
      // Read everything a join reads (a store may keep what it read) ...
      expect(await store.getSession(session.id)).toEqual(session);
      expect(await store.getCounts(session.id)).toEqual({ votes: {}, reactions: {} });
      expect(await store.getExposure(session.id)).toEqual({});
      expect(await store.getWall(session.id)).toBeNull();
      // ... and what a caller does with its copy is its own.
      (await store.getCounts(session.id)).reactions.applause = 99;
      expect((await store.getCounts(session.id)).reactions).toEqual({});
      // Then write each, and read again.
      const next = applySettings(session, { hideVotes: true });
      await store.updateSession(makeCommand('org'), next, session.version, [], null);
      await store.setVote(
        makeCommand('dev-1'),
        { sessionId: session.id, postId: post.id, deviceId: 'dev-1', isOn: true },
        null,
      );
      await store.addReactions(session.id, { heart: 2 });
      await store.addWallSeconds(session.id, { [post.id]: 9 });
      await store.saveWall(session.id, { postIds: [post.id], at: 1 });
      expect(await store.getSession(session.id)).toEqual(next);
      expect(await store.getCounts(session.id)).toEqual({
        votes: { [post.id]: 1 },
        reactions: { heart: 2 },
      });
      expect((await store.getExposure(session.id))[post.id]).toMatchObject({ wallSeconds: 9 });
      expect(await store.getWall(session.id)).toEqual({ postIds: [post.id], at: 1 });
    },
  },
  {
    name: '[ST2] concurrent inserts in one session keep every stream contiguous',
    async run(store) {
      const { session } = await storedSession(store);
      const posts = Array.from({ length: 30 }, () => makePost(session));
      const commits = await Promise.all(
        posts.map((p) => store.insertPost(makeCommand(), p, appendsForNew(p), null)),
      );
      const seqs = commits.flatMap((c) =>
        c.kind === 'committed'
          ? c.entries.filter((e) => e.stream === 'public').map((e) => e.seq)
          : [],
      );
      expect(seqs.sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
      const read = await store.readStream(session.id, 'public', 0, 100);
      expect(read.entries.map((e) => e.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
      await store.ping();
    },
  },
];

storeContractCases.push(
  ...countContractCases,
  ...receiptContractCases,
  ...topicContractCases,
  ...linkContractCases,
  ...accountContractCases,
  ...memberContractCases,
  ...logContractCases,
  ...exposureContractCases,
  ...queueContractCases,
  ...mergeContractCases,
  ...pollContractCases,
);

/** Register the contract as vitest cases for one implementation. */
export function runStoreContract(name: string, make: MakeStore): void {
  describe(`store contract: ${name}`, () => {
    for (const c of storeContractCases) {
      it(c.name, async () => {
        const harness = await make(c.options ?? {});
        try {
          await c.run(harness.store);
        } finally {
          await harness.cleanup();
        }
      });
    }
  });
}
