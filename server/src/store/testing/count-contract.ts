/**
 * Contract cases for votes and reactions (CountStore; SPEC ST9). store-contract.ts adds them
 * to the cases every implementation runs.
 */
import { expect } from 'vitest';
import type { Post } from '@gt/core';
import type { Store } from '../store.js';
import { appendsForNew, makeCommand, makePost, storedSession, testId } from './factories.js';
import type { ContractCase } from './factories.js';

async function insert(store: Store, post: Post) {
  const commit = await store.insertPost(makeCommand(), post, appendsForNew(post), {
    post: post.id,
  });
  expect(commit.kind).toBe('committed');
}

export const countContractCases: ContractCase[] = [
  {
    name: '[ST9] a device upvotes a post once, can take it back, and a replay counts nothing',
    async run(store) {
      const { session } = await storedSession(store);
      const post = makePost(session);
      const other = makePost(session);
      await insert(store, post);
      await insert(store, other);
      const vote = (device: string, isOn: boolean, cmd = makeCommand(device), postId = post.id) =>
        store.setVote(cmd, { sessionId: session.id, postId, deviceId: device, isOn }, { isOn });
      const cmd = makeCommand('dev-1');
      expect(await vote('dev-1', true, cmd)).toEqual({
        kind: 'committed',
        ack: { isOn: true },
        entries: [],
      });
      expect(await vote('dev-1', true, cmd)).toEqual({ kind: 'replay', ack: { isOn: true } });
      expect((await vote('dev-1', true)).kind).toBe('committed');
      await vote('dev-2', true);
      await vote('dev-2', true, makeCommand('dev-2'), other.id);
      expect((await store.getCounts(session.id)).votes).toEqual({ [post.id]: 2, [other.id]: 1 });
      expect((await store.listDeviceVotes(session.id, 'dev-2')).sort()).toEqual(
        [post.id, other.id].sort(),
      );
      await vote('dev-1', false);
      await vote('dev-1', false);
      await vote('dev-2', false, makeCommand('dev-2'), other.id);
      expect((await store.getCounts(session.id)).votes).toEqual({ [post.id]: 1 });
      expect(await store.listDeviceVotes(session.id, 'dev-1')).toEqual([]);
    },
  },
  {
    name: '[ST9] reaction taps add up per session',
    async run(store) {
      const one = await storedSession(store);
      const two = await storedSession(store);
      await store.addReactions(one.session.id, { applause: 3, heart: 1 });
      await store.addReactions(one.session.id, { applause: 2 });
      await store.addReactions(two.session.id, { agree: 1 });
      expect(await store.getCounts(one.session.id)).toEqual({
        votes: {},
        reactions: { applause: 5, heart: 1 },
      });
      expect(await store.getCounts(two.session.id)).toEqual({ votes: {}, reactions: { agree: 1 } });
      expect(await store.getCounts(testId('ses'))).toEqual({ votes: {}, reactions: {} });
    },
  },
];
