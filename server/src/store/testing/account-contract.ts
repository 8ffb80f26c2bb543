/**
 * Contract cases for organiser accounts and the first organisation (AccountStore; SPEC ST18).
 * store-contract.ts adds them to the cases every implementation runs.
 */
import { expect } from 'vitest';
import type { OrganiserAccount } from '../store.js';
import { makeOrg, testId, tick } from './factories.js';
import type { ContractCase } from './factories.js';

function makeAccount(overrides: Partial<OrganiserAccount> = {}): OrganiserAccount {
  return {
    id: testId('acc'),
    orgId: makeOrg().id,
    email: `${testId('o').toLowerCase()}@gentofte.example`,
    passwordSalt: testId('salt'),
    passwordHash: testId('hash'),
    createdAt: tick(),
    ...overrides,
  };
}

export const accountContractCases: ContractCase[] = [
  {
    name: '[ST18] an organiser account is found by its e-mail, a taken e-mail writes nothing, and its password is replaced',
    async run(store) {
      const account = makeAccount();
      expect(await store.createAccount(account)).toBe('created');
      expect(await store.getAccountByEmail(account.email)).toEqual(account);
      expect(await store.getAccountByEmail('nobody@gentofte.example')).toBeNull();
      const clash = makeAccount({ email: account.email });
      expect(await store.createAccount(clash)).toBe('email_taken');
      expect(await store.getAccountByEmail(account.email)).toEqual(account);
      const other = makeAccount({ orgId: account.orgId });
      expect(await store.createAccount(other)).toBe('created');

      const password = { passwordSalt: testId('salt'), passwordHash: testId('hash') };
      expect(await store.setAccountPassword(account.id, password)).toBe(true);
      expect(await store.getAccountByEmail(account.email)).toEqual({ ...account, ...password });
      expect(await store.getAccountByEmail(other.email)).toEqual(other);
      expect(await store.setAccountPassword(clash.id, password)).toBe(false);
      expect(await store.getAccountByEmail(clash.email)).toEqual({ ...account, ...password });
    },
  },
  {
    name: '[ST18] concurrent creates of one e-mail store exactly one account',
    async run(store) {
      const email = 'ordstyrer@gentofte.example';
      const attempts = Array.from({ length: 5 }, () => makeAccount({ email }));
      const results = await Promise.all(attempts.map((a) => store.createAccount(a)));
      expect(results.filter((r) => r === 'created')).toHaveLength(1);
      const winner = attempts[results.indexOf('created')];
      expect(await store.getAccountByEmail(email)).toEqual(winner);
    },
  },
  {
    name: '[ST18] the first organisation is claimed once: concurrent and later claims get it back and write nothing',
    async run(store) {
      const candidates = Array.from({ length: 4 }, (_, i) => makeOrg(`Kommune ${i}`));
      const claims = await Promise.all(candidates.map((c) => store.claimFirstOrganisation(c)));
      const first = claims[0]!;
      expect(candidates).toContainEqual(first);
      expect(claims).toEqual(candidates.map(() => first));
      expect(await store.getOrganisation(first.id)).toEqual(first);
      for (const loser of candidates.filter((c) => c.id !== first.id))
        expect(await store.getOrganisation(loser.id)).toBeNull();

      // A rename is seen by later claims; a later candidate is never saved.
      const renamed = { ...first, name: 'Gentofte Kommune – Kultur' };
      await store.saveOrganisation(renamed);
      const late = makeOrg('Lyngby-Taarbæk Kommune');
      expect(await store.claimFirstOrganisation(late)).toEqual(renamed);
      expect(await store.getOrganisation(late.id)).toBeNull();
    },
  },
];
