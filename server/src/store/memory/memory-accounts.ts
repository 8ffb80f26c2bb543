/**
 * The memory store's organiser accounts (AccountStore without its promises; the
 * first-organisation claim is with the organisations, in memory-sessions.ts).
 */
import type { OrganiserAccount } from '../store.js';
import { json, parse } from './memory-journal.js';

export class MemoryAccounts {
  /** accountId -> account JSON */
  readonly #accounts = new Map<string, string>();
  /** e-mail -> accountId */
  readonly #byEmail = new Map<string, string>();

  create(account: OrganiserAccount): 'created' | 'email_taken' {
    if (this.#byEmail.has(account.email)) return 'email_taken';
    if (this.#accounts.has(account.id)) throw new Error(`id ${account.id} is taken`);
    this.#accounts.set(account.id, json(account));
    this.#byEmail.set(account.email, account.id);
    return 'created';
  }

  byEmail(email: string): OrganiserAccount | null {
    const id = this.#byEmail.get(email);
    return id === undefined ? null : parse<OrganiserAccount>(this.#accounts.get(id));
  }

  byId(id: string): OrganiserAccount | null {
    return parse<OrganiserAccount>(this.#accounts.get(id));
  }

  bumpTokenVersion(id: string): number | null {
    const account = this.byId(id);
    if (!account) return null;
    const tokenVersion = (account.tokenVersion ?? 0) + 1;
    this.#accounts.set(id, json({ ...account, tokenVersion }));
    return tokenVersion;
  }

  setPassword(id: string, password: { passwordSalt: string; passwordHash: string }): boolean {
    const account = parse<OrganiserAccount>(this.#accounts.get(id));
    if (!account) return false;
    const { passwordSalt, passwordHash } = password;
    this.#accounts.set(id, json({ ...account, passwordSalt, passwordHash }));
    return true;
  }
}
