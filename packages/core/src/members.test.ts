import { describe, expect, it } from 'vitest';
import { asId } from './ids.js';
import type { OrgId } from './ids.js';
import { invitationState, MEMBER_ROLES, roleMay } from './members.js';
import type { Invitation, MemberRole, OrgAbility } from './members.js';

// SPEC O2, written out in full.
const EXPECTED: Record<MemberRole, Record<OrgAbility, boolean>> = {
  admin: { read: true, change: true, people: true },
  organiser: { read: true, change: true, people: false },
  viewer: { read: true, change: false, people: false },
};

describe('[O2] what each role may do in its organisation', () => {
  for (const role of MEMBER_ROLES)
    for (const [ability, expected] of Object.entries(EXPECTED[role]))
      it(`${role} ${expected ? 'may' : 'may not'} ${ability}`, () => {
        expect(roleMay(role, ability as OrgAbility)).toBe(expected);
      });
});

describe('[O3] the state of an invitation', () => {
  const invitation: Invitation = {
    id: 'inv_1',
    orgId: asId<OrgId>('org_1'),
    email: 'ny@gentofte.example',
    role: 'organiser',
    invitedBy: 'acc_1',
    createdAt: 1_000,
    expiresAt: 2_000,
    revokedAt: null,
    acceptedAt: null,
  };

  it('is pending until it expires, at its expiry exactly', () => {
    expect(invitationState(invitation, 1_999)).toBe('pending');
    expect(invitationState(invitation, 2_000)).toBe('expired');
  });

  it('once accepted stays accepted; revoked wins over expired', () => {
    expect(invitationState({ ...invitation, acceptedAt: 1_500 }, 5_000)).toBe('accepted');
    expect(invitationState({ ...invitation, revokedAt: 1_500 }, 5_000)).toBe('revoked');
  });
});
