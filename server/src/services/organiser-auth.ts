/**
 * The organiser login. The first start either takes ORGANISER_PASSWORD or generates a
 * password, prints it once and keeps only its scrypt hash in DATA_DIR.
 *
 * scrypt is slow on purpose (tens of milliseconds): a configured password is hashed in
 * libuv's thread pool while the server starts, and every login is checked there too, so
 * neither a restart nor a stream of login attempts stalls the event loop that serves phones.
 */
import { randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface StoredHash {
  email: string;
  salt: string;
  hash: string;
}

const KEY_LENGTH = 32;

const hashPasswordSync = (password: string, salt: Buffer) =>
  scryptSync(password.normalize('NFC'), salt, KEY_LENGTH);

const hashPassword = (password: string, salt: Buffer) =>
  new Promise<Buffer>((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );

export class OrganiserAuth {
  readonly email: string;
  readonly #salt: Buffer;
  readonly #hash: Promise<Buffer>;

  private constructor(email: string, salt: Buffer, hash: Promise<Buffer>) {
    this.email = email;
    this.#salt = salt;
    this.#hash = hash;
    // A failed hash surfaces at the first login; it must not crash the process before that.
    hash.catch(() => undefined);
  }

  static #fromStored(stored: StoredHash): OrganiserAuth {
    return new OrganiserAuth(
      stored.email,
      Buffer.from(stored.salt, 'base64url'),
      Promise.resolve(Buffer.from(stored.hash, 'base64url')),
    );
  }

  /**
   * With a configured password, hash it in memory. Without one, reuse the hash kept in
   * dataDir, or generate a password (returned once, for the start-up message) and keep its hash.
   */
  static load(options: { email: string; password: string | null; dataDir: string }): {
    auth: OrganiserAuth;
    generatedPassword: string | null;
  } {
    if (options.password) {
      const salt = randomBytes(16);
      return {
        auth: new OrganiserAuth(options.email, salt, hashPassword(options.password, salt)),
        generatedPassword: null,
      };
    }
    const file = join(options.dataDir, 'organiser.json');
    if (existsSync(file)) {
      const stored = JSON.parse(readFileSync(file, 'utf8')) as StoredHash;
      if (stored.email === options.email)
        return { auth: OrganiserAuth.#fromStored(stored), generatedPassword: null };
    }
    // First start without a configured password: the hash must be on disk before the
    // password is printed, so this one path hashes synchronously (once per data directory).
    const password = randomBytes(12).toString('base64url');
    const salt = randomBytes(16);
    const stored: StoredHash = {
      email: options.email,
      salt: salt.toString('base64url'),
      hash: hashPasswordSync(password, salt).toString('base64url'),
    };
    mkdirSync(options.dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(stored) + '\n', { mode: 0o600 });
    // writeFileSync's mode applies to new files only; an older file may be looser.
    chmodSync(file, 0o600);
    return { auth: OrganiserAuth.#fromStored(stored), generatedPassword: password };
  }

  async check(email: string, password: string): Promise<boolean> {
    const [candidate, hash] = await Promise.all([hashPassword(password, this.#salt), this.#hash]);
    // Compare the hash even when the e-mail is wrong, so timing does not tell which was.
    const isPasswordRight = timingSafeEqual(candidate, hash);
    return isPasswordRight && email.trim().toLowerCase() === this.email.toLowerCase();
  }
}
