/**
 * The organiser login. The first start either takes ORGANISER_PASSWORD or generates a
 * password, prints it once and keeps only its scrypt hash in DATA_DIR.
 */
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface StoredHash {
  email: string;
  salt: string;
  hash: string;
}

const hashPassword = (password: string, salt: Buffer) =>
  scryptSync(password.normalize('NFC'), salt, 32);

export class OrganiserAuth {
  readonly email: string;
  readonly #salt: Buffer;
  readonly #hash: Buffer;

  private constructor(stored: StoredHash) {
    this.email = stored.email;
    this.#salt = Buffer.from(stored.salt, 'base64url');
    this.#hash = Buffer.from(stored.hash, 'base64url');
  }

  /**
   * With a configured password, hash it in memory. Without one, reuse the hash kept in
   * dataDir, or generate a password (returned once, for the start-up message) and keep its hash.
   */
  static load(options: { email: string; password: string | null; dataDir: string }): {
    auth: OrganiserAuth;
    generatedPassword: string | null;
  } {
    const make = (password: string): StoredHash => {
      const salt = randomBytes(16);
      return {
        email: options.email,
        salt: salt.toString('base64url'),
        hash: hashPassword(password, salt).toString('base64url'),
      };
    };
    if (options.password)
      return { auth: new OrganiserAuth(make(options.password)), generatedPassword: null };
    const file = join(options.dataDir, 'organiser.json');
    if (existsSync(file)) {
      const stored = JSON.parse(readFileSync(file, 'utf8')) as StoredHash;
      if (stored.email === options.email)
        return { auth: new OrganiserAuth(stored), generatedPassword: null };
    }
    const password = randomBytes(12).toString('base64url');
    const stored = make(password);
    mkdirSync(options.dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(stored) + '\n', { mode: 0o600 });
    // writeFileSync's mode applies to new files only; an older file may be looser.
    chmodSync(file, 0o600);
    return { auth: new OrganiserAuth(stored), generatedPassword: password };
  }

  check(email: string, password: string): boolean {
    const candidate = hashPassword(password, this.#salt);
    // Compare the hash even when the e-mail is wrong, so timing does not tell which was.
    const isPasswordRight = timingSafeEqual(candidate, this.#hash);
    return isPasswordRight && email.trim().toLowerCase() === this.email.toLowerCase();
  }
}
