/**
 * Contract cases for a device's receipt (PostStore.listDevicePosts; SPEC ST12).
 * store-contract.ts adds them to the cases every implementation runs.
 */
import { expect } from 'vitest';
import type { Store } from '../store.js';
import {
  appendsForNew,
  makeCommand,
  makeEvent,
  makeOrg,
  makePost,
  makeSession,
  testId,
} from './factories.js';

export interface ReceiptContractCase {
  name: string;
  run(store: Store): Promise<void>;
}

async function eventIn(store: Store) {
  const org = makeOrg();
  await store.saveOrganisation(org);
  const event = makeEvent(org.id);
  await store.createEvent(event);
  return event;
}

export const receiptContractCases: ReceiptContractCase[] = [
  {
    name: "[ST12] a device finds every post it wrote, across sessions, and no one else's",
    async run(store) {
      const event = await eventIn(store);
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
