/**
 * The organiser login, checked against the accounts in the store (SPEC C6), so every node
 * accepts every account. first-start.ts creates the first account.
 *
 * scrypt is slow on purpose (tens of milliseconds): every hash runs in libuv's thread pool,
 * so neither a start nor a stream of login attempts stalls the event loop that serves phones.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { AccountStore, OrganiserAccount } from '../store/store.js';

const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

/** [C6] The e-mail is case-insensitive and forgives stray spaces. */
export const normaliseEmail = (email: string) => email.trim().toLowerCase();

const derive = (password: string, salt: Buffer) =>
  new Promise<Buffer>((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );

/** A new salt and the password's scrypt hash, as an account stores them. */
export async function hashPassword(
  password: string,
): Promise<Pick<OrganiserAccount, 'passwordSalt' | 'passwordHash'>> {
  const salt = randomBytes(SALT_LENGTH);
  const hash = await derive(password, salt);
  return { passwordSalt: salt.toString('base64url'), passwordHash: hash.toString('base64url') };
}

/** Compared against when no account has the e-mail: no password derives to it. */
const NO_ACCOUNT = { salt: randomBytes(SALT_LENGTH), hash: randomBytes(KEY_LENGTH) };

export class OrganiserAuth {
  readonly #accounts: Pick<AccountStore, 'getAccountByEmail'>;

  constructor(accounts: Pick<AccountStore, 'getAccountByEmail'>) {
    this.#accounts = accounts;
  }

  /** The account whose e-mail and password these are, or null. */
  async check(email: string, password: string): Promise<OrganiserAccount | null> {
    const account = await this.#accounts.getAccountByEmail(normaliseEmail(email));
    // Derive and compare even when no account has the e-mail, so the time taken does not
    // tell a wrong e-mail from a wrong password.
    const salt = account ? Buffer.from(account.passwordSalt, 'base64url') : NO_ACCOUNT.salt;
    const hash = account ? Buffer.from(account.passwordHash, 'base64url') : NO_ACCOUNT.hash;
    const candidate = await derive(password, salt);
    const isPasswordRight = candidate.length === hash.length && timingSafeEqual(candidate, hash);
    return isPasswordRight && account ? account : null;
  }
}
