import { afterEach, describe, it, expect } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OrganiserAuth } from './organiser-auth.js';

const EMAIL = 'borgerservice@gentofte.dk';
const PASSWORD = 'korrekt-hest-batteri-hæfteklamme';
const made: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gt-organiser-'));
  made.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('OrganiserAuth with a configured password', () => {
  it('[C6] accepts the right e-mail and password and refuses a wrong password', async () => {
    const { auth, generatedPassword } = OrganiserAuth.load({
      email: EMAIL,
      password: PASSWORD,
      dataDir: tempDir(),
    });
    expect(generatedPassword).toBeNull();
    expect(auth.email).toBe(EMAIL);
    expect(await auth.check(EMAIL, PASSWORD)).toBe(true);
    expect(await auth.check(EMAIL, 'korrekt-hest-batteri')).toBe(false);
    expect(await auth.check(EMAIL, `${PASSWORD} `)).toBe(false);
    expect(await auth.check(EMAIL, '')).toBe(false);
  });

  it('[C6] takes the e-mail in any case and with stray spaces', async () => {
    const { auth } = OrganiserAuth.load({ email: EMAIL, password: PASSWORD, dataDir: tempDir() });
    expect(await auth.check('BorgerService@Gentofte.DK', PASSWORD)).toBe(true);
    expect(await auth.check(`  ${EMAIL}  `, PASSWORD)).toBe(true);
  });

  it('[C6] refuses the right password with a wrong e-mail', async () => {
    const { auth } = OrganiserAuth.load({ email: EMAIL, password: PASSWORD, dataDir: tempDir() });
    expect(await auth.check('organiser@example.org', PASSWORD)).toBe(false);
    expect(await auth.check('', PASSWORD)).toBe(false);
  });

  it('[C6] takes a password typed with a decomposed "æ" or "å" as the same password', async () => {
    const { auth } = OrganiserAuth.load({
      email: EMAIL,
      password: 'blåbærgrød-på-torvet',
      dataDir: tempDir(),
    });
    expect(await auth.check(EMAIL, 'bla\u030Abærgrød-pa\u030A-torvet')).toBe(true);
  });

  it('[C6] writes nothing to the data directory', async () => {
    const dataDir = tempDir();
    OrganiserAuth.load({ email: EMAIL, password: PASSWORD, dataDir });
    expect(readdirSync(dataDir)).toEqual([]);
  });
});

describe('OrganiserAuth without a password', () => {
  it('[C6] generates a password once and keeps only its hash, with mode 0600', async () => {
    const dataDir = join(tempDir(), 'data');
    const { auth, generatedPassword } = OrganiserAuth.load({
      email: EMAIL,
      password: null,
      dataDir,
    });
    if (generatedPassword === null) throw new Error('expected a generated password');
    expect(generatedPassword.length).toBeGreaterThanOrEqual(12);
    expect(await auth.check(EMAIL, generatedPassword)).toBe(true);
    expect(await auth.check(EMAIL, `${generatedPassword}x`)).toBe(false);

    const file = join(dataDir, 'organiser.json');
    expect(existsSync(file)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const stored = readFileSync(file, 'utf8');
    expect(stored).not.toContain(generatedPassword);
    expect(stored).toContain(EMAIL);
  });

  it('[C6] the next start shows no password, and the first one still works', async () => {
    const dataDir = tempDir();
    const first = OrganiserAuth.load({ email: EMAIL, password: null, dataDir });
    const before = readFileSync(join(dataDir, 'organiser.json'), 'utf8');
    const second = OrganiserAuth.load({ email: EMAIL, password: null, dataDir });
    expect(second.generatedPassword).toBeNull();
    expect(await second.auth.check(EMAIL, first.generatedPassword!)).toBe(true);
    expect(readFileSync(join(dataDir, 'organiser.json'), 'utf8')).toBe(before);
  });

  it('[C6] two data directories get two different passwords', async () => {
    const a = OrganiserAuth.load({ email: EMAIL, password: null, dataDir: tempDir() });
    const b = OrganiserAuth.load({ email: EMAIL, password: null, dataDir: tempDir() });
    expect(a.generatedPassword).not.toBe(b.generatedPassword);
    expect(await b.auth.check(EMAIL, a.generatedPassword!)).toBe(false);
  });

  it('[C6] a configured password wins over a stored one', async () => {
    const dataDir = tempDir();
    const generated = OrganiserAuth.load({ email: EMAIL, password: null, dataDir });
    const { auth } = OrganiserAuth.load({ email: EMAIL, password: PASSWORD, dataDir });
    expect(await auth.check(EMAIL, PASSWORD)).toBe(true);
    expect(await auth.check(EMAIL, generated.generatedPassword!)).toBe(false);
  });
});
