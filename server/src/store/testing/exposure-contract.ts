/**
 * Contract cases for exposure and the wall's rotation (SPEC FV1, FV4, ST14). store-contract.ts
 * adds them to the cases every implementation runs.
 */
import { expect } from 'vitest';
import type { Store } from '../store.js';
import { makeEvent, makeOrg, makeSession, testId } from './factories.js';
import type { ContractCase } from './factories.js';

async function sessionId(store: Store): Promise<string> {
  const org = makeOrg();
  await store.saveOrganisation(org);
  const event = makeEvent(org.id);
  await store.createEvent(event);
  const session = makeSession(event);
  await store.createSession(session);
  return session.id;
}

export const exposureContractCases: ContractCase[] = [
  {
    name: '[ST14] [FV1] impressions count each (device, post) pair once; wall seconds add up; sessions are apart',
    async run(store) {
      const one = await sessionId(store);
      const two = await sessionId(store);
      const [a, b, c] = [testId('pst'), testId('pst'), testId('pst')];
      const phone = testId('dev');
      const other = testId('dev');
      expect(await store.getExposure(one)).toEqual({});
      expect((await store.addImpressions(one, phone, [a, b, a])).sort()).toEqual([a, b].sort());
      expect(await store.addImpressions(one, phone, [a, b])).toEqual([]);
      expect(await store.addImpressions(one, other, [b, c])).toEqual([b, c]);
      const concurrent = await Promise.all(
        Array.from({ length: 5 }, () => store.addImpressions(one, testId('dev'), [c])),
      );
      expect(concurrent.flat()).toEqual([c, c, c, c, c]);
      expect(await store.addImpressions(one, phone, [])).toEqual([]);
      await store.addWallSeconds(one, { [a]: 8, [c]: 2.5 });
      await store.addWallSeconds(one, { [a]: 8.25, [b]: 0 });
      expect(await store.getExposure(one)).toEqual({
        [a]: { wallSeconds: 16.25, impressions: 1 },
        [b]: { wallSeconds: 0, impressions: 2 },
        [c]: { wallSeconds: 2.5, impressions: 6 },
      });
      // The same device in another session is counted there afresh.
      expect(await store.addImpressions(two, phone, [a])).toEqual([a]);
      expect(await store.getExposure(two)).toEqual({ [a]: { wallSeconds: 0, impressions: 1 } });
    },
  },
  {
    name: '[ST14] [FV4] the wall set is kept per session, and one owner at a time holds the rotation claim until it lapses',
    async run(store) {
      const one = await sessionId(store);
      expect(await store.getWall(one)).toBeNull();
      await store.saveWall(one, { postIds: ['p1', 'p2'], at: 5 });
      await store.saveWall(one, { postIds: ['p3'], at: 9 });
      expect(await store.getWall(one)).toEqual({ postIds: ['p3'], at: 9 });
      expect(await store.claimWallTick(one, 'node-a', 60_000)).toBe(true);
      expect(await store.claimWallTick(one, 'node-a', 300)).toBe(true);
      if (store.kind === 'redis') {
        // Several nodes share Redis: only the holder may tick, until its claim lapses.
        expect(await store.claimWallTick(one, 'node-b', 60_000)).toBe(false);
        await new Promise((resolve) => setTimeout(resolve, 450));
        expect(await store.claimWallTick(one, 'node-b', 60_000)).toBe(true);
        expect(await store.claimWallTick(one, 'node-a', 60_000)).toBe(false);
      }
    },
  },
];
