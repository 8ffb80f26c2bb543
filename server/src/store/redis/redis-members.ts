/**
 * MemberStore on Redis (the key layout is in keys.ts, the atomic steps in redis-member-scripts.ts).
 * RedisStore hands these calls through, so the feature reads as one file.
 */
import type { Invitation, Membership } from '@gt/core';
import type { AcceptInvitationOutcome, MemberStore, OrganiserAccount } from '../store.js';
import type { Keys } from './keys.js';
import type { Client } from './redis-scripts.js';

const byCreated = (a: { createdAt: number }, b: { createdAt: number }) => a.createdAt - b.createdAt;
const parseAll = <T>(values: string[]): T[] => values.map((v) => JSON.parse(v) as T);

function oneOf<T extends string>(reply: unknown, allowed: readonly T[], what: string): T {
  if (typeof reply === 'string' && (allowed as readonly string[]).includes(reply))
    return reply as T;
  throw new Error(`unexpected ${what} reply: ${String(reply)}`);
}

export class RedisMembers implements MemberStore {
  constructor(
    private readonly redis: Client,
    private readonly keys: Keys,
  ) {}

  async getAccount(accountId: string): Promise<OrganiserAccount | null> {
    const raw = await this.redis.get(this.keys.account(accountId));
    return raw === null ? null : (JSON.parse(raw) as OrganiserAccount);
  }

  async addMembership(m: Membership): Promise<'added' | 'exists'> {
    const reply = await this.redis.gtAddMembership(
      2,
      this.keys.orgMembers(m.orgId),
      this.keys.accountOrgs(m.accountId),
      m.accountId,
      m.orgId,
      JSON.stringify(m),
    );
    return oneOf(reply, ['added', 'exists'] as const, 'addMembership');
  }

  async getMembership(orgId: string, accountId: string): Promise<Membership | null> {
    const raw = await this.redis.hget(this.keys.orgMembers(orgId), accountId);
    return raw === null ? null : (JSON.parse(raw) as Membership);
  }

  async listMembers(orgId: string): Promise<Membership[]> {
    return parseAll<Membership>(await this.redis.hvals(this.keys.orgMembers(orgId))).sort(
      byCreated,
    );
  }

  async listMemberships(accountId: string): Promise<Membership[]> {
    return parseAll<Membership>(await this.redis.hvals(this.keys.accountOrgs(accountId))).sort(
      byCreated,
    );
  }

  async removeMembership(
    orgId: string,
    accountId: string,
  ): Promise<'removed' | 'not_found' | 'last_admin'> {
    const reply = await this.redis.gtRemoveMembership(
      2,
      this.keys.orgMembers(orgId),
      this.keys.accountOrgs(accountId),
      accountId,
      orgId,
    );
    return oneOf(reply, ['removed', 'not_found', 'last_admin'] as const, 'removeMembership');
  }

  async saveInvitation(invitation: Invitation): Promise<void> {
    await this.redis
      .multi()
      .set(this.keys.invitation(invitation.id), JSON.stringify(invitation))
      .zadd(this.keys.orgInvitations(invitation.orgId), invitation.createdAt, invitation.id)
      .exec();
  }

  async getInvitation(id: string): Promise<Invitation | null> {
    const raw = await this.redis.get(this.keys.invitation(id));
    return raw === null ? null : (JSON.parse(raw) as Invitation);
  }

  async listInvitations(orgId: string): Promise<Invitation[]> {
    const ids = await this.redis.zrange(this.keys.orgInvitations(orgId), 0, -1);
    if (ids.length === 0) return [];
    const raws = await this.redis.mget(ids.map((id) => this.keys.invitation(id)));
    return raws.flatMap((raw) => (raw === null ? [] : [JSON.parse(raw) as Invitation]));
  }

  async acceptInvitation(
    id: string,
    account: OrganiserAccount,
    at: number,
  ): Promise<AcceptInvitationOutcome> {
    // The organisation names the keys the script touches; an invitation never changes it.
    const invitation = await this.getInvitation(id);
    if (!invitation) return 'not_found';
    const reply = await this.redis.gtAcceptInvitation(
      5,
      this.keys.invitation(id),
      this.keys.accountEmail(account.email),
      this.keys.account(account.id),
      this.keys.orgMembers(invitation.orgId),
      this.keys.accountOrgs(account.id),
      account.id,
      JSON.stringify(account),
      at,
    );
    return oneOf(
      reply,
      ['accepted', 'not_found', 'used', 'revoked', 'expired', 'email_taken'] as const,
      'acceptInvitation',
    );
  }

  async bumpTokenVersion(accountId: string): Promise<number | null> {
    const reply = await this.redis.gtBumpTokenVersion(1, this.keys.account(accountId));
    if (reply === null) return null;
    if (typeof reply !== 'number') throw new Error(`unexpected bump reply: ${String(reply)}`);
    return reply;
  }
}
