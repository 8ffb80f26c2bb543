/**
 * People of an organisation and what each role may do there (SPEC O2-O5). A pure table, so
 * the server's checks, the organiser page and the role-matrix test read the same rule.
 */
import type { OrgId } from './ids.js';

export const MEMBER_ROLES = ['admin', 'organiser', 'viewer'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

/**
 * What an organiser operation needs:
 *  - `read`: list events and sessions (no personal data);
 *  - `change`: create or change events, sessions and moderator links, or see personal data;
 *  - `people`: invite, list and remove members.
 */
export type OrgAbility = 'read' | 'change' | 'people';

/** [O2] Written out rather than ranked: a new role picks its abilities one by one. */
const ABILITIES: Record<MemberRole, readonly OrgAbility[]> = {
  admin: ['read', 'change', 'people'],
  organiser: ['read', 'change'],
  viewer: ['read'],
};

export function roleMay(role: MemberRole, ability: OrgAbility): boolean {
  return ABILITIES[role].includes(ability);
}

/** One account's role in one organisation. */
export interface Membership {
  orgId: OrgId;
  accountId: string;
  role: MemberRole;
  createdAt: number;
}

/** [O5] The shortest password an account may set. */
export const MIN_PASSWORD_LENGTH = 10;

/** [O3] How long an invitation link stands. */
export const INVITATION_DAYS = 7;

/** An admin's invitation; its id is the hash of the link's secret, never the secret itself. */
export interface Invitation {
  id: string;
  orgId: OrgId;
  email: string;
  role: MemberRole;
  invitedBy: string;
  createdAt: number;
  expiresAt: number;
  revokedAt: number | null;
  acceptedAt: number | null;
}

export type InvitationState = 'pending' | 'accepted' | 'revoked' | 'expired';

/** [O3] An invitation is accepted once, and never after it was revoked or expired. */
export function invitationState(invitation: Invitation, now: number): InvitationState {
  if (invitation.acceptedAt !== null) return 'accepted';
  if (invitation.revokedAt !== null) return 'revoked';
  return invitation.expiresAt <= now ? 'expired' : 'pending';
}
