/**
 * Contract cases for the moderation log (SPEC ML1, ST13). store-contract.ts adds them to the
 * cases every implementation runs.
 */
import { expect } from 'vitest';
import { applySettings, moderate, postAppends, sessionAppends } from '@gt/core';
import type { LogAction, NewLogEntry, Session } from '@gt/core';
import { appendsForNew, makeCommand, makePost, storedSession, testId, tick } from './factories.js';
import type { ContractCase } from './factories.js';

const entry = (
  session: Session,
  action: LogAction,
  postId: string | null,
  detail: string | null = null,
): NewLogEntry => ({
  id: testId('log'),
  sessionId: session.id,
  at: tick(),
  actor: 'Ordstyrer 1 – Søren',
  action,
  postId,
  detail,
});

export const logContractCases: ContractCase[] = [
  {
    name: '[ST13] [ML1] log entries are written with the change they record, numbered per session, and listed newest first',
    async run(store) {
      const session = (await storedSession(store)).session;
      const other = (await storedSession(store)).session;
      const post = makePost(session);
      const created = entry(session, 'create-from-room', post.id);
      const insert = await store.insertPost(makeCommand('org'), post, appendsForNew(post), null, [
        created,
      ]);
      expect(insert).toMatchObject({ kind: 'committed', log: [{ ...created, seq: 1 }] });

      const hidden = moderate(post, { type: 'hide', reason: 'Personangreb "citat"' }, tick());
      if (!hidden.ok) throw new Error(hidden.message);
      const hide = entry(session, 'hide', post.id, 'Personangreb "citat"');
      const cmd = makeCommand('link:l1');
      const commit = await store.updatePosts(
        cmd,
        session.id,
        [{ post: hidden.post, expectedVersion: 1 }],
        postAppends(post, hidden.post),
        { ok: 1 },
        [hide],
      );
      expect(commit).toMatchObject({ kind: 'committed', log: [{ ...hide, seq: 2 }] });
      // A replay writes no second entry; a conflict writes none at all.
      const replay = await store.updatePosts(
        cmd,
        session.id,
        [{ post: hidden.post, expectedVersion: 1 }],
        [],
        { ok: 2 },
        [entry(session, 'hide', post.id)],
      );
      expect(replay.kind).toBe('replay');
      const stale = await store.updatePosts(
        makeCommand('link:l1'),
        session.id,
        [{ post: hidden.post, expectedVersion: 1 }],
        [],
        null,
        [entry(session, 'restore', post.id)],
      );
      expect(stale.kind).toBe('conflict');

      const next = applySettings(session, { hideVotes: true });
      const configure = entry(session, 'configure', null, 'hideVotes: true');
      const configured = await store.updateSession(
        makeCommand('org'),
        next,
        1,
        sessionAppends(next),
        null,
        [configure],
      );
      expect(configured).toMatchObject({ kind: 'committed', log: [{ ...configure, seq: 3 }] });
      // A change without entries writes none.
      const quiet = makePost(other);
      const plain = await store.insertPost(makeCommand(), quiet, appendsForNew(quiet), null);
      expect(plain.kind === 'committed' && plain.log).toBeFalsy();

      expect(await store.listLog(session.id, null, 10)).toEqual([
        { ...configure, seq: 3 },
        { ...hide, seq: 2 },
        { ...created, seq: 1 },
      ]);
      expect(await store.listLog(session.id, 3, 1)).toEqual([{ ...hide, seq: 2 }]);
      expect(await store.listLog(session.id, 2, 10)).toEqual([{ ...created, seq: 1 }]);
      expect(await store.listLog(session.id, 1, 10)).toEqual([]);
      expect(await store.listLog(other.id, null, 10)).toEqual([]);
    },
  },
  {
    name: '[ST13] concurrent changes number their log entries without gaps or repeats',
    async run(store) {
      const session = (await storedSession(store)).session;
      const posts = Array.from({ length: 12 }, () => makePost(session));
      await Promise.all(
        posts.map((p) =>
          store.insertPost(makeCommand(), p, appendsForNew(p), null, [
            entry(session, 'create-from-room', p.id),
            entry(session, 'pin', p.id),
          ]),
        ),
      );
      const log = await store.listLog(session.id, null, 100);
      expect(log.map((e) => e.seq)).toEqual(Array.from({ length: 24 }, (_, i) => 24 - i));
      // The two entries of one change stay together and in order.
      for (let i = 0; i < 24; i += 2) {
        expect(log[i]!.postId).toBe(log[i + 1]!.postId);
        expect([log[i + 1]!.action, log[i]!.action]).toEqual(['create-from-room', 'pin']);
      }
    },
  },
];
