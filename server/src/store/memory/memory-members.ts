/**
 * The memory store's people of organisations (MemberStore without its promises): memberships,
 * invitations and token versions. Accounts themselves are in memory-accounts.ts; accepting an
 * invitation is given them, so the whole step runs to its end before anything else does.
 */
import { invitationState } from '@gt/core';
import type { Invitation, Membership } from '@gt/core';
import type { AcceptInvitationOutcome, OrganiserAccount } from '../store.js';
import type { MemoryAccounts } from './memory-accounts.js';
import { json, parse } from './memory-journal.js';

const byCreated = (a: { createdAt: number }, b: { createdAt: number }) => a.createdAt - b.createdAt;

export class MemoryMembers {
  /** `${orgId} ${accountId}` -> membership JSON (ids never contain a space) */
  readonly #memberships = new Map<string, string>();
  /** invitationId -> invitation JSON */
  readonly #invitations = new Map<string, string>();
  readonly #accounts: MemoryAccounts;

  constructor(accounts: MemoryAccounts) {
    this.#accounts = accounts;
  }

  add(membership: Membership): 'added' | 'exists' {
    const key = `${membership.orgId} ${membership.accountId}`;
    if (this.#memberships.has(key)) return 'exists';
    this.#memberships.set(key, json(membership));
    return 'added';
  }

  get(orgId: string, accountId: string): Membership | null {
    return parse<Membership>(this.#memberships.get(`${orgId} ${accountId}`));
  }

  #all(): Membership[] {
    return [...this.#memberships.values()].map((text) => parse<Membership>(text)!);
  }

  ofOrg(orgId: string): Membership[] {
    return this.#all()
      .filter((m) => m.orgId === orgId)
      .sort(byCreated);
  }

  ofAccount(accountId: string): Membership[] {
    return this.#all()
      .filter((m) => m.accountId === accountId)
      .sort(byCreated);
  }

  remove(orgId: string, accountId: string): 'removed' | 'not_found' | 'last_admin' {
    const membership = this.get(orgId, accountId);
    if (!membership) return 'not_found';
    const admins = this.ofOrg(orgId).filter((m) => m.role === 'admin');
    if (membership.role === 'admin' && admins.length === 1) return 'last_admin';
    this.#memberships.delete(`${orgId} ${accountId}`);
    return 'removed';
  }

  saveInvitation(invitation: Invitation): void {
    this.#invitations.set(invitation.id, json(invitation));
  }

  invitation(id: string): Invitation | null {
    return parse<Invitation>(this.#invitations.get(id));
  }

  invitations(orgId: string): Invitation[] {
    return [...this.#invitations.values()]
      .map((text) => parse<Invitation>(text)!)
      .filter((i) => i.orgId === orgId)
      .sort(byCreated);
  }

  accept(id: string, account: OrganiserAccount, at: number): AcceptInvitationOutcome {
    const invitation = this.invitation(id);
    if (!invitation) return 'not_found';
    const state = invitationState(invitation, at);
    if (state !== 'pending') return state === 'accepted' ? 'used' : state;
    const existing = this.#accounts.byEmail(account.email);
    if (existing && existing.id !== account.id) return 'email_taken';
    if (!existing) this.#accounts.create(account);
    this.add({
      orgId: invitation.orgId,
      accountId: account.id,
      role: invitation.role,
      createdAt: at,
    });
    this.saveInvitation({ ...invitation, acceptedAt: at });
    return 'accepted';
  }
}
