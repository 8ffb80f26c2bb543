/**
 * Contract cases for merging duplicates (SPEC M13): store-contract.ts adds them to the cases
 * every implementation runs.
 */
import { expect } from 'vitest';
import { mergeChanges, postAppends } from '@gt/core';
import type { Post, Session } from '@gt/core';
import type { Store } from '../store.js';
import { appendsForNew, makeCommand, makePost, storedSession, testId, tick } from './factories.js';
import type { ContractCase } from './factories.js';

async function insert(store: Store, post: Post) {
  const commit = await store.insertPost(makeCommand(), post, appendsForNew(post), null);
  expect(commit.kind).toBe('committed');
}

async function vote(store: Store, session: Session, post: Post, deviceId: string) {
  const commit = await store.setVote(
    makeCommand(deviceId),
    { sessionId: session.id, postId: post.id, deviceId, isOn: true },
    null,
  );
  expect(commit.kind).toBe('committed');
}

function merge(store: Store, session: Session, target: Post, sources: Post[], cmd = makeCommand()) {
  const result = mergeChanges(target, sources, tick());
  if (!result.ok) throw new Error(result.message);
  return store.mergePosts(
    cmd,
    session.id,
    { targetId: target.id, sourceIds: sources.map((s) => s.id) },
    result.changes.map((c) => ({ post: c.after, expectedVersion: c.before.version })),
    result.changes.flatMap((c) => postAppends(c.before, c.after)),
    { merged: target.id },
    [
      {
        id: testId('log'),
        sessionId: session.id,
        at: tick(),
        actor: 'Ordstyrer',
        action: 'merge',
        postId: target.id,
        detail: null,
      },
    ],
  );
}

export const mergeContractCases: ContractCase[] = [
  {
    name: '[ST16] [M13] a merge moves each device vote to the target once, with the posts, entries and log entry, atomically',
    async run(store) {
      const session = (await storedSession(store)).session;
      const target = makePost(session);
      const a = makePost(session);
      const b = makePost(session);
      for (const p of [target, a, b]) await insert(store, p);
      // dev1 voted for the target and a; dev2 for a and b; dev3 for b only.
      await vote(store, session, target, 'dev_1');
      await vote(store, session, a, 'dev_1');
      await vote(store, session, a, 'dev_2');
      await vote(store, session, b, 'dev_2');
      await vote(store, session, b, 'dev_3');
      const headBefore = (await store.readStream(session.id, 'public', 0, 100)).head;

      const cmd = makeCommand('link:l1');
      const commit = await merge(store, session, target, [a, b], cmd);
      expect(commit.kind).toBe('committed');
      if (commit.kind !== 'committed') return;
      expect(commit.ack).toEqual({ merged: target.id });
      expect(commit.log).toMatchObject([{ action: 'merge', postId: target.id }]);
      expect(commit.entries.length).toBeGreaterThan(0);

      const counts = await store.getCounts(session.id);
      expect(counts.votes[target.id]).toBe(3);
      expect(counts.votes[a.id] ?? 0).toBe(0);
      expect(counts.votes[b.id] ?? 0).toBe(0);
      for (const device of ['dev_1', 'dev_2', 'dev_3'])
        expect(await store.listDeviceVotes(session.id, device)).toEqual([target.id]);

      expect(await store.getPost(session.id, a.id)).toMatchObject({
        status: 'hidden',
        mergedInto: target.id,
        version: a.version + 1,
      });
      const merged = await store.getPost(session.id, target.id);
      expect(merged?.merged.map((m) => m.id)).toEqual([a.id, b.id]);
      expect((await store.readStream(session.id, 'public', 0, 100)).head).toBeGreaterThan(
        headBefore,
      );

      // A replay changes nothing more; a stale version is a conflict that writes nothing.
      expect((await merge(store, session, target, [a, b], cmd)).kind).toBe('replay');
      const c = makePost(session);
      await insert(store, c);
      await vote(store, session, c, 'dev_4');
      const stale = await merge(store, session, target, [c]);
      expect(stale.kind).toBe('conflict');
      if (stale.kind === 'conflict')
        expect(stale.currentPosts.map((p) => p.id).sort()).toEqual([c.id, target.id].sort());
      const after = await store.getCounts(session.id);
      expect(after.votes[c.id]).toBe(1);
      expect(after.votes[target.id]).toBe(3);
      expect(await store.getPost(session.id, c.id)).toMatchObject({ status: 'visible' });
      const log = await store.listLog(session.id, null, 10);
      expect(log.filter((e) => e.action === 'merge')).toHaveLength(1);
    },
  },
];
