/**
 * Contract cases for a device's receipt (PostStore.listDevicePosts; SPEC ST12).
 * store-contract.ts adds them to the cases every implementation runs.
 */
import { expect } from 'vitest';
import {
  appendsForNew,
  makeCommand,
  makePost,
  makeSession,
  testId,
  storedEvent,
} from './factories.js';
import type { ContractCase } from './factories.js';

export const receiptContractCases: ContractCase[] = [
  {
    name: "[ST12] a device finds every post it wrote, across sessions, and no one else's",
    async run(store) {
      const event = (await storedEvent(store)).event;
      const one = makeSession(event);
      const two = makeSession(event);
      await store.createSession(one);
      await store.createSession(two);
      const mine = makePost(one);
      const device = mine.authorDevice!;
      const alsoMine = makePost(two, { authorDevice: device, moderation: 'pre' });
      const theirs = makePost(one);
      for (const p of [mine, theirs, alsoMine])
        await store.insertPost(makeCommand(), p, appendsForNew(p), null);
      expect(await store.listDevicePosts(device)).toEqual([mine, alsoMine]);
      expect(await store.listDevicePosts(testId('dev'))).toEqual([]);
    },
  },
];
