/**
 * Contract cases for the people of organisations (MemberStore; SPEC ST19): memberships, the
 * last admin, invitations accepted once, token versions. store-contract.ts adds them to the
 * cases every implementation runs.
 */
import { expect } from 'vitest';
import { asId, INVITATION_DAYS } from '@gt/core';
import type { Invitation, Membership, MemberRole, OrgId } from '@gt/core';
import type { OrganiserAccount } from '../store.js';
import { makeOrg, testId, tick } from './factories.js';
import type { ContractCase } from './factories.js';

export function makeAccount(overrides: Partial<OrganiserAccount> = {}): OrganiserAccount {
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

const member = (orgId: OrgId, accountId: string, role: MemberRole): Membership => ({
  orgId,
  accountId,
  role,
  createdAt: tick(),
});

function makeInvitation(orgId: OrgId, overrides: Partial<Invitation> = {}): Invitation {
  const createdAt = tick();
  return {
    id: testId('inv'),
    orgId,
    email: `${testId('i').toLowerCase()}@gentofte.example`,
    role: 'organiser',
    invitedBy: testId('acc'),
    createdAt,
    expiresAt: createdAt + INVITATION_DAYS * 86_400_000,
    revokedAt: null,
    acceptedAt: null,
    ...overrides,
  };
}

export const memberContractCases: ContractCase[] = [
  {
    name: '[ST20] memberships are listed per organisation and per account, oldest first, and an existing one keeps its role',
    async run(store) {
      const org = asId<OrgId>(makeOrg().id);
      const other = asId<OrgId>(makeOrg().id);
      const admin = member(org, testId('acc'), 'admin');
      const viewer = member(org, testId('acc'), 'viewer');
      const elsewhere = member(other, admin.accountId, 'organiser');
      for (const m of [admin, viewer, elsewhere])
        expect(await store.addMembership(m)).toBe('added');
      expect(await store.addMembership({ ...viewer, role: 'admin' })).toBe('exists');
      expect(await store.getMembership(org, viewer.accountId)).toEqual(viewer);
      expect(await store.getMembership(other, viewer.accountId)).toBeNull();
      expect(await store.listMembers(org)).toEqual([admin, viewer]);
      expect(await store.listMembers(other)).toEqual([elsewhere]);
      expect(await store.listMemberships(admin.accountId)).toEqual([admin, elsewhere]);
      expect(await store.listMembers(makeOrg().id)).toEqual([]);
    },
  },
  {
    name: '[ST20] [O5] a member is removed, but never the last admin, also under concurrent removals',
    async run(store) {
      const org = asId<OrgId>(makeOrg().id);
      const first = member(org, testId('acc'), 'admin');
      const second = member(org, testId('acc'), 'admin');
      const organiser = member(org, testId('acc'), 'organiser');
      for (const m of [first, second, organiser]) await store.addMembership(m);

      expect(await store.removeMembership(org, organiser.accountId)).toBe('removed');
      expect(await store.getMembership(org, organiser.accountId)).toBeNull();
      expect(await store.removeMembership(org, organiser.accountId)).toBe('not_found');

      const both = await Promise.all([
        store.removeMembership(org, first.accountId),
        store.removeMembership(org, second.accountId),
      ]);
      expect(both.sort()).toEqual(['last_admin', 'removed']);
      expect(await store.listMembers(org)).toHaveLength(1);
      const [left] = await store.listMembers(org);
      expect(await store.removeMembership(org, left!.accountId)).toBe('last_admin');
      expect(await store.listMembers(org)).toEqual([left]);
    },
  },
  {
    name: '[ST20] [O3] an invitation is saved, listed, revoked in place, and accepted once, creating the account and its membership',
    async run(store) {
      const org = asId<OrgId>(makeOrg().id);
      const invitation = makeInvitation(org, { role: 'viewer' });
      const revoked = makeInvitation(org);
      await store.saveInvitation(invitation);
      await store.saveInvitation(revoked);
      const revokedAt = tick();
      await store.saveInvitation({ ...revoked, revokedAt });
      expect(await store.getInvitation(invitation.id)).toEqual(invitation);
      expect(await store.listInvitations(org)).toEqual([invitation, { ...revoked, revokedAt }]);
      expect(await store.getInvitation('inv_nothing')).toBeNull();

      const account = makeAccount({ orgId: org, email: invitation.email });
      const at = tick();
      const outcomes = await Promise.all([
        store.acceptInvitation(invitation.id, account, at),
        store.acceptInvitation(invitation.id, makeAccount({ email: invitation.email }), at),
      ]);
      expect(outcomes.sort()).toEqual(['accepted', 'used']);
      expect(await store.getAccountByEmail(invitation.email)).toEqual(account);
      expect(await store.getAccount(account.id)).toEqual(account);
      expect(await store.getMembership(org, account.id)).toEqual({
        orgId: org,
        accountId: account.id,
        role: 'viewer',
        createdAt: at,
      });
      expect(await store.getInvitation(invitation.id)).toEqual({ ...invitation, acceptedAt: at });

      const late = makeAccount({ email: revoked.email });
      expect(await store.acceptInvitation(revoked.id, late, tick())).toBe('revoked');
      expect(await store.acceptInvitation('inv_nothing', late, tick())).toBe('not_found');
      expect(await store.getAccountByEmail(revoked.email)).toBeNull();
    },
  },
  {
    name: '[ST20] [O3] an expired invitation writes nothing; an existing account joins only as itself',
    async run(store) {
      const org = asId<OrgId>(makeOrg().id);
      const expired = makeInvitation(org);
      await store.saveInvitation(expired);
      const newcomer = makeAccount({ email: expired.email });
      expect(await store.acceptInvitation(expired.id, newcomer, expired.expiresAt)).toBe('expired');
      expect(await store.getAccountByEmail(expired.email)).toBeNull();
      expect(await store.getInvitation(expired.id)).toEqual(expired);

      const existing = makeAccount();
      await store.createAccount(existing);
      const invitation = makeInvitation(org, { email: existing.email, role: 'admin' });
      await store.saveInvitation(invitation);
      const impostor = makeAccount({ email: existing.email });
      expect(await store.acceptInvitation(invitation.id, impostor, tick())).toBe('email_taken');
      expect(await store.getAccount(impostor.id)).toBeNull();
      expect(await store.getMembership(org, impostor.id)).toBeNull();
      expect(await store.getInvitation(invitation.id)).toEqual(invitation);

      expect(await store.acceptInvitation(invitation.id, existing, tick())).toBe('accepted');
      expect(await store.getAccountByEmail(existing.email)).toEqual(existing);
      expect(await store.getMembership(org, existing.id)).toMatchObject({ role: 'admin' });
    },
  },
  {
    name: '[ST20] [O4] a token version starts at 0, each bump raises it by one, and a password change keeps it',
    async run(store) {
      const account = makeAccount();
      await store.createAccount(account);
      expect((await store.getAccount(account.id))?.tokenVersion ?? 0).toBe(0);
      expect(await store.bumpTokenVersion(account.id)).toBe(1);
      expect(await store.bumpTokenVersion(account.id)).toBe(2);
      const password = { passwordSalt: testId('salt'), passwordHash: testId('hash') };
      await store.setAccountPassword(account.id, password);
      expect(await store.getAccount(account.id)).toEqual({
        ...account,
        ...password,
        tokenVersion: 2,
      });
      expect(await store.bumpTokenVersion('acc_nobody')).toBeNull();
      expect(await store.getAccount('acc_nobody')).toBeNull();
    },
  },
];
