/**
 * Contract cases for moderator links (LinkStore; SPEC ST13). store-contract.ts adds them to
 * the cases every implementation runs.
 */
import { expect } from 'vitest';
import { makeEvent, makeOrg, makeSession, testId, tick } from './factories.js';
import type { ContractCase } from './factories.js';

export const linkContractCases: ContractCase[] = [
  {
    name: '[ST13] moderator links are saved, listed per session oldest first, and revoked by replacing them',
    async run(store) {
      const org = makeOrg();
      await store.saveOrganisation(org);
      const event = makeEvent(org.id);
      await store.createEvent(event);
      const session = makeSession(event);
      await store.createSession(session);
      const first = {
        id: testId('lnk'),
        sessionId: session.id,
        label: 'Ordstyrer 1',
        createdAt: tick(),
        revokedAt: null,
      };
      const second = {
        id: testId('lnk'),
        sessionId: session.id,
        label: 'Frivillig: Åse',
        createdAt: tick(),
        revokedAt: null,
      };
      await store.saveModeratorLink(first);
      await store.saveModeratorLink(second);
      expect(await store.getModeratorLink(first.id)).toEqual(first);
      expect(await store.getModeratorLink(testId('lnk'))).toBeNull();
      const revoked = { ...first, revokedAt: tick() };
      await store.saveModeratorLink(revoked);
      expect(await store.listModeratorLinks(session.id)).toEqual([revoked, second]);
      expect(await store.listModeratorLinks(testId('ses'))).toEqual([]);
    },
  },
];
