import { afterEach, describe, it, expect } from 'vitest';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryStore } from '../store/memory/memory-store.js';
import type { MemoryStore } from '../store/memory/memory-store.js';
import { ensureOrganiser } from './first-start.js';
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

/** A start against `store`, as server.ts makes it, and the login that checks its store. */
async function start(
  options: { password: string | null; store?: MemoryStore; dataDir?: string } = {
    password: PASSWORD,
  },
) {
  const store = options.store ?? createMemoryStore();
  const first = await ensureOrganiser({
    store,
    organisationName: 'Gentofte Kommune',
    email: EMAIL,
    password: options.password,
    legacyFile: join(options.dataDir ?? tempDir(), 'organiser.json'),
  });
  return { ...first, store, auth: new OrganiserAuth(store) };
}

describe('OrganiserAuth with a configured password', () => {
  it('[C6] accepts the right e-mail and password and refuses a wrong password', async () => {
    const { auth, generatedPassword, email, organisation } = await start();
    expect(generatedPassword).toBeNull();
    expect(email).toBe(EMAIL);
    expect(await auth.check(EMAIL, PASSWORD)).toMatchObject({
      email: EMAIL,
      orgId: organisation.id,
    });
    expect(await auth.check(EMAIL, 'korrekt-hest-batteri')).toBeNull();
    expect(await auth.check(EMAIL, `${PASSWORD} `)).toBeNull();
    expect(await auth.check(EMAIL, '')).toBeNull();
  });

  it('[C6] takes the e-mail in any case and with stray spaces', async () => {
    const { auth } = await start();
    expect(await auth.check('BorgerService@Gentofte.DK', PASSWORD)).not.toBeNull();
    expect(await auth.check(`  ${EMAIL}  `, PASSWORD)).not.toBeNull();
  });

  it('[C6] refuses the right password with a wrong e-mail', async () => {
    const { auth } = await start();
    expect(await auth.check('organiser@example.org', PASSWORD)).toBeNull();
    expect(await auth.check('', PASSWORD)).toBeNull();
  });

  it('[C6] takes a password typed with a decomposed "æ" or "å" as the same password', async () => {
    const { auth } = await start({ password: 'blåbærgrød-på-torvet' });
    expect(await auth.check(EMAIL, 'bla\u030Abærgrød-pa\u030A-torvet')).not.toBeNull();
  });

  it('[C6] writes nothing to the data directory', async () => {
    const dataDir = tempDir();
    await start({ password: PASSWORD, dataDir });
    expect(readdirSync(dataDir)).toEqual([]);
  });
});

describe('OrganiserAuth without a password', () => {
  it('[C6] generates a password once and keeps only its hash, in the store', async () => {
    const dataDir = tempDir();
    const { auth, generatedPassword, store } = await start({ password: null, dataDir });
    if (generatedPassword === null) throw new Error('expected a generated password');
    expect(generatedPassword.length).toBeGreaterThanOrEqual(12);
    expect(await auth.check(EMAIL, generatedPassword)).not.toBeNull();
    expect(await auth.check(EMAIL, `${generatedPassword}x`)).toBeNull();

    expect(readdirSync(dataDir)).toEqual([]);
    const stored = JSON.stringify(await store.getAccountByEmail(EMAIL));
    expect(stored).not.toContain(generatedPassword);
    expect(stored).toContain(EMAIL);
  });

  it('[C6] the next start shows no password, and the first one still works', async () => {
    const first = await start({ password: null });
    const before = await first.store.getAccountByEmail(EMAIL);
    const second = await start({ password: null, store: first.store });
    expect(second.generatedPassword).toBeNull();
    expect(await second.auth.check(EMAIL, first.generatedPassword!)).not.toBeNull();
    expect(await first.store.getAccountByEmail(EMAIL)).toEqual(before);
  });

  it('[C6] two stores get two different passwords', async () => {
    const a = await start({ password: null });
    const b = await start({ password: null });
    expect(a.generatedPassword).not.toBe(b.generatedPassword);
    expect(await b.auth.check(EMAIL, a.generatedPassword!)).toBeNull();
  });

  it('[C6] a configured password wins over a stored one', async () => {
    const generated = await start({ password: null });
    const { auth } = await start({ password: PASSWORD, store: generated.store });
    expect(await auth.check(EMAIL, PASSWORD)).not.toBeNull();
    expect(await auth.check(EMAIL, generated.generatedPassword!)).toBeNull();
  });
});
