/**
 * People of an organisation (AppApi; SPEC O2-O6): login, who am I, members and invitations,
 * removing a member, one's own password, signing out everywhere. Every operation but the
 * login and the two public invitation steps runs through `principals.member` with the
 * ability it needs, so the role is read from the store on every call (O4).
 *
 * An invitation link's secret is shown once, in the answer to the invite; the store keeps
 * only its SHA-256 as the invitation's id, so a copy of the database opens no invitation.
 */
import { createHash, randomBytes } from 'node:crypto';
import { asId, INVITATION_DAYS, invitationState } from '@gt/core';
import type { Invitation, InvitationState, Membership, OrgId } from '@gt/core';
import {
  acceptInvitationRequestSchema,
  changePasswordRequestSchema,
  fail,
  inviteRequestSchema,
  loginRequestSchema,
  ok,
} from '@gt/protocol';
import type { InvitationView, LoginAck, MembersApi, Result } from '@gt/protocol';
import type { AccountStore, MemberStore, OrganiserAccount, SessionStore } from '../store/store.js';
import type { Shared } from './context.js';
import type { LoginThrottle } from './login-throttle.js';
import { hashPassword, normaliseEmail } from './organiser-auth.js';
import type { OrganiserAuth } from './organiser-auth.js';
import type { Principals } from './principals.js';
import { newId } from './tokens.js';

const ORGANISER_TOKEN_HOURS = 12;
const DAY_MS = 86_400_000;

export type MembersStore = MemberStore & AccountStore & Pick<SessionStore, 'getOrganisation'>;

export interface MembersDeps {
  store: MembersStore;
  shared: Shared;
  principals: Principals;
  organiserAuth: Pick<OrganiserAuth, 'check'>;
  throttle: LoginThrottle;
}

/** The id an invitation is stored under: the hash of its link's secret. */
const invitationId = (token: string) =>
  createHash('sha256').update(token).digest('base64url').slice(0, 32);

/** [O3] What a link that no longer stands says, for the page to translate. */
const STATE_REFUSALS: Record<Exclude<InvitationState, 'pending'>, string> = {
  accepted: 'this invitation has been used',
  revoked: 'this invitation was withdrawn',
  expired: 'this invitation has expired',
};

/** [O6] The wait, in the message and (for the page to translate) in the details. */
function throttled(waitMs: number): Result<never> {
  const minutes = Math.max(1, Math.ceil(waitMs / 60_000));
  return fail('rate_limited', `too many wrong passwords; try again in ${minutes} minutes`, {
    retryAfterMs: waitMs,
    retryAfterMinutes: minutes,
  });
}

export function createMembers({
  store,
  shared,
  principals,
  organiserAuth,
  throttle,
}: MembersDeps): MembersApi {
  const view = (invitation: Invitation): InvitationView => ({
    id: invitation.id,
    email: invitation.email,
    role: invitation.role,
    createdAt: invitation.createdAt,
    expiresAt: invitation.expiresAt,
    state: invitationState(invitation, shared.now()),
  });

  /** A login into the account's home organisation if it is a member there, else its oldest. */
  async function loginFor(account: OrganiserAccount, orgId?: OrgId): Promise<Result<LoginAck>> {
    const memberships = await store.listMemberships(account.id);
    const membership: Membership | undefined =
      memberships.find((m) => m.orgId === (orgId ?? account.orgId)) ?? memberships[0];
    if (!membership) return fail('forbidden', 'this account is no member of any organisation');
    const expiresAt = shared.now() + ORGANISER_TOKEN_HOURS * 3600_000;
    return ok({
      staffToken: principals.loginToken(account, membership.orgId, expiresAt),
      orgId: membership.orgId,
      role: membership.role,
    });
  }

  /** The password checked under the login throttle (O6). */
  async function checkPassword(
    email: string,
    password: string,
    address: string | undefined,
  ): Promise<Result<OrganiserAccount>> {
    const addressKey = address ? principals.addressKey(address) : null;
    const wait = await throttle.waitMs(email, addressKey);
    if (wait > 0) return throttled(wait);
    const account = await organiserAuth.check(email, password);
    if (!account) {
      await throttle.failed(email, addressKey);
      return fail('forbidden', 'wrong e-mail or password');
    }
    await throttle.succeeded(email, addressKey);
    return ok(account);
  }

  /** The invitation behind a link, if it is of a known organisation. */
  async function byToken(token: string): Promise<Invitation | null> {
    if (typeof token !== 'string' || token.length === 0 || token.length > 200) return null;
    return store.getInvitation(invitationId(token));
  }

  return {
    async login(request, client) {
      const parsed = loginRequestSchema.safeParse(request);
      if (!parsed.success) return fail('invalid_input', 'e-mail and password are required');
      const email = normaliseEmail(parsed.data.email);
      const checked = await checkPassword(email, parsed.data.password, client?.address);
      return checked.ok ? loginFor(checked.data) : checked;
    },

    async getMyAccount(creds) {
      const member = await principals.member(creds, 'read');
      if (!member.ok) return member;
      const { org, accountId, user, role } = member.data;
      const organisation = await store.getOrganisation(org);
      return ok({ accountId, email: user, orgId: org, orgName: organisation?.name ?? '', role });
    },

    async listPeople(creds) {
      const member = await principals.member(creds, 'people');
      if (!member.ok) return member;
      const { org, accountId: you } = member.data;
      const [memberships, invitations] = await Promise.all([
        store.listMembers(org),
        store.listInvitations(org),
      ]);
      const accounts = await Promise.all(memberships.map((m) => store.getAccount(m.accountId)));
      return ok({
        members: memberships.map((m, i) => ({
          accountId: m.accountId,
          email: accounts[i]?.email ?? '',
          role: m.role,
          createdAt: m.createdAt,
          isYou: m.accountId === you,
        })),
        invitations: invitations.map(view),
      });
    },

    async inviteMember(creds, request) {
      const member = await principals.member(creds, 'people');
      if (!member.ok) return member;
      const parsed = inviteRequestSchema.safeParse(request);
      if (!parsed.success)
        return fail('invalid_input', 'an e-mail address and a role are required', {
          field: parsed.error.issues[0]?.path[0] === 'role' ? 'role' : 'email',
        });
      const { org, accountId } = member.data;
      const email = normaliseEmail(parsed.data.email);
      const existing = await store.getAccountByEmail(email);
      if (existing && (await store.getMembership(org, existing.id)))
        return fail('conflict', 'this person is a member already', { field: 'email' });
      const token = randomBytes(24).toString('base64url');
      const now = shared.now();
      const invitation: Invitation = {
        id: invitationId(token),
        orgId: org,
        email,
        role: parsed.data.role,
        invitedBy: accountId,
        createdAt: now,
        expiresAt: now + INVITATION_DAYS * DAY_MS,
        revokedAt: null,
        acceptedAt: null,
      };
      await store.saveInvitation(invitation);
      return ok({ invitation: view(invitation), path: `/invite/${token}` });
    },

    async revokeInvitation(creds, id) {
      const member = await principals.member(creds, 'people');
      if (!member.ok) return member;
      const invitation = await store.getInvitation(String(id));
      if (!invitation || invitation.orgId !== member.data.org)
        return fail('not_found', 'no such invitation of yours');
      const state = invitationState(invitation, shared.now());
      if (state === 'accepted') return fail('invalid_state', STATE_REFUSALS.accepted, { state });
      const revoked =
        invitation.revokedAt === null ? { ...invitation, revokedAt: shared.now() } : invitation;
      await store.saveInvitation(revoked);
      return ok(view(revoked));
    },

    async removeMember(creds, accountId) {
      const member = await principals.member(creds, 'people');
      if (!member.ok) return member;
      const outcome = await store.removeMembership(member.data.org, String(accountId));
      if (outcome === 'not_found') return fail('not_found', 'no such member');
      if (outcome === 'last_admin')
        return fail('conflict', 'the organisation needs at least one admin', {
          reason: 'last_admin',
        });
      shared.publisher.loginEnded(member.data.org, String(accountId));
      return ok({ accountId: String(accountId) });
    },

    async findInvitation(token) {
      const invitation = await byToken(token);
      if (!invitation) return fail('not_found', 'no such invitation');
      const organisation = await store.getOrganisation(invitation.orgId);
      return ok({
        orgName: organisation?.name ?? '',
        email: invitation.email,
        role: invitation.role,
        state: invitationState(invitation, shared.now()),
        hasAccount: (await store.getAccountByEmail(invitation.email)) !== null,
      });
    },

    async acceptInvitation(request, client) {
      const parsed = acceptInvitationRequestSchema.safeParse(request);
      if (!parsed.success)
        return fail('invalid_input', 'the password is too short or too long', {
          field: 'password',
        });
      const invitation = await byToken(parsed.data.token);
      if (!invitation) return fail('not_found', 'no such invitation');
      const state = invitationState(invitation, shared.now());
      if (state !== 'pending') return fail('invalid_state', STATE_REFUSALS[state], { state });
      const { email } = invitation;
      let account: OrganiserAccount;
      if (await store.getAccountByEmail(email)) {
        // An account of another organisation joins with its own password, never a new one.
        const checked = await checkPassword(email, parsed.data.password, client?.address);
        if (!checked.ok) return checked;
        account = checked.data;
      } else {
        account = {
          id: newId('acc'),
          orgId: invitation.orgId,
          email,
          ...(await hashPassword(parsed.data.password)),
          createdAt: shared.now(),
        };
      }
      const outcome = await store.acceptInvitation(invitation.id, account, shared.now());
      if (outcome === 'email_taken')
        return fail(
          'conflict',
          'an account with this e-mail was made meanwhile; open the link again',
        );
      if (outcome === 'not_found') return fail('not_found', 'no such invitation');
      if (outcome !== 'accepted') {
        const refused = outcome === 'used' ? 'accepted' : outcome;
        return fail('invalid_state', STATE_REFUSALS[refused], { state: refused });
      }
      return loginFor(account, asId<OrgId>(invitation.orgId));
    },

    async changePassword(creds, request) {
      const member = await principals.member(creds, 'read');
      if (!member.ok) return member;
      const parsed = changePasswordRequestSchema.safeParse(request);
      if (!parsed.success)
        return fail('invalid_input', 'the new password is too short or too long', {
          field: 'newPassword',
        });
      const account = await organiserAuth.check(member.data.user, parsed.data.currentPassword);
      if (!account || account.id !== member.data.accountId)
        return fail('invalid_input', 'the current password is wrong', {
          field: 'currentPassword',
        });
      await store.setAccountPassword(account.id, await hashPassword(parsed.data.newPassword));
      return ok({ isChanged: true as const });
    },

    async signOutEverywhere(creds) {
      const member = await principals.member(creds, 'read');
      if (!member.ok) return member;
      const { accountId } = member.data;
      const tokenVersion = await store.bumpTokenVersion(accountId);
      if (tokenVersion === null) return fail('forbidden', 'organisers of this organisation only');
      for (const membership of await store.listMemberships(accountId))
        shared.publisher.loginEnded(membership.orgId, accountId);
      return ok({ tokenVersion });
    },
  };
}
