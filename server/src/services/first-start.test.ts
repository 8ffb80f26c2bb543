/**
 * The first start (SPEC C6, C7): the organisation and the organiser's account in the store,
 * the migration of an earlier release's organiser.json, and two nodes starting at once.
 */
import { randomBytes, scryptSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../store/memory/memory-store.js';
import type { MemoryStore } from '../store/memory/memory-store.js';
import { ensureOrganiser, LEGACY_ORG_ID, MIGRATED_SUFFIX } from './first-start.js';
import type { FirstStartOptions } from './first-start.js';
import { OrganiserAuth } from './organiser-auth.js';

const EMAIL = 'borgerservice@gentofte.dk';
const made: string[] = [];

afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function legacyFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gt-first-start-'));
  made.push(dir);
  return join(dir, 'organiser.json');
}

/** organiser.json as the releases before accounts wrote it: scrypt, 32 bytes, base64url. */
function writeLegacy(file: string, email: string, password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password.normalize('NFC'), salt, 32);
  const text = JSON.stringify({
    email,
    salt: salt.toString('base64url'),
    hash: hash.toString('base64url'),
  });
  writeFileSync(file, text + '\n', { mode: 0o600 });
  return text;
}

function start(store: MemoryStore, options: Partial<FirstStartOptions> = {}) {
  return ensureOrganiser({
    store,
    organisationName: 'Gentofte Kommune',
    email: EMAIL,
    password: null,
    legacyFile: null,
    ...options,
  });
}

describe('the first start', () => {
  it('[C7] creates the organisation from ORGANISATION_NAME; later starts keep it, whatever the name', async () => {
    const store = createMemoryStore();
    const first = await start(store, { organisationName: 'Lyngby-Taarbæk Kommune' });
    expect(first.organisation.name).toBe('Lyngby-Taarbæk Kommune');
    expect(first.organisation.id).not.toBe(LEGACY_ORG_ID);
    expect(await store.getOrganisation(first.organisation.id)).toEqual(first.organisation);
    const again = await start(store, { organisationName: 'Gentofte Kommune' });
    expect(again.organisation).toEqual(first.organisation);
    const account = await store.getAccountByEmail(EMAIL);
    expect(account?.orgId).toBe(first.organisation.id);
  });

  it('[C7] adopts the organisation a release before accounts saved, so its events stay', async () => {
    const store = createMemoryStore();
    const legacy = { id: LEGACY_ORG_ID, name: 'Gentofte Kommune' };
    await store.saveOrganisation(legacy);
    const { organisation } = await start(store, { organisationName: 'Et andet navn' });
    expect(organisation).toEqual(legacy);
    expect((await store.getAccountByEmail(EMAIL))?.orgId).toBe(LEGACY_ORG_ID);
  });

  it('[C6] a configured password creates the account, and a later configured one replaces it', async () => {
    const store = createMemoryStore();
    const auth = new OrganiserAuth(store);
    const first = await start(store, {
      password: 'første-adgangskode',
      email: ' BorgerService@Gentofte.dk',
    });
    expect(first.email).toBe(EMAIL);
    expect(first.generatedPassword).toBeNull();
    expect(await auth.check(EMAIL, 'første-adgangskode')).not.toBeNull();
    const account = await store.getAccountByEmail(EMAIL);
    await start(store, { password: 'anden-adgangskode' });
    expect(await auth.check(EMAIL, 'anden-adgangskode')).toMatchObject({ id: account?.id });
    expect(await auth.check(EMAIL, 'første-adgangskode')).toBeNull();
  });

  it('[C6] moves an organiser.json of an earlier release into the store once, and renames it', async () => {
    const store = createMemoryStore();
    const file = legacyFile();
    const text = writeLegacy(file, 'BorgerService@gentofte.dk', 'den-gamle-adgangskode');
    const first = await start(store, { legacyFile: file });
    expect(first.isMigrated).toBe(true);
    expect(first.generatedPassword).toBeNull();
    expect(await new OrganiserAuth(store).check(EMAIL, 'den-gamle-adgangskode')).not.toBeNull();
    expect(existsSync(file)).toBe(false);
    expect(readFileSync(file + MIGRATED_SUFFIX, 'utf8')).toBe(text + '\n');
  });

  it('[C6] does not apply a migrated organiser.json twice', async () => {
    const store = createMemoryStore();
    const file = legacyFile();
    writeLegacy(file, EMAIL, 'den-gamle-adgangskode');
    await start(store, { legacyFile: file });
    // The organiser changes the password; a later start must not bring the old one back.
    await start(store, { password: 'den-nye-adgangskode' });
    const changed = await store.getAccountByEmail(EMAIL);
    const again = await start(store, { legacyFile: file });
    expect(again.isMigrated).toBe(false);
    expect(await store.getAccountByEmail(EMAIL)).toEqual(changed);
    const auth = new OrganiserAuth(store);
    expect(await auth.check(EMAIL, 'den-gamle-adgangskode')).toBeNull();
    expect(await auth.check(EMAIL, 'den-nye-adgangskode')).not.toBeNull();
  });

  it('[C6] leaves an organiser.json for another e-mail alone and generates a password', async () => {
    const store = createMemoryStore();
    const file = legacyFile();
    const text = writeLegacy(file, 'someone-else@gentofte.dk', 'den-gamle-adgangskode');
    const first = await start(store, { legacyFile: file });
    expect(first.isMigrated).toBe(false);
    expect(first.generatedPassword).not.toBeNull();
    expect(await store.getAccountByEmail('someone-else@gentofte.dk')).toBeNull();
    expect(readFileSync(file, 'utf8')).toBe(text + '\n');
  });

  it('[C6] [C7] two starts at the same moment on one store make one organisation, one account and show one password', async () => {
    const store = createMemoryStore();
    const starts = await Promise.all([
      start(store, { organisationName: 'Node A' }),
      start(store, { organisationName: 'Node B' }),
    ]);
    expect(starts[0].organisation).toEqual(starts[1].organisation);
    const shown = starts.flatMap((s) => s.generatedPassword ?? []);
    expect(shown).toHaveLength(1);
    const account = await new OrganiserAuth(store).check(EMAIL, shown[0]!);
    expect(account?.orgId).toBe(starts[0].organisation.id);
  });

  it("[O7] the configured account is the first organisation's admin, also in a store written before roles", async () => {
    const store = createMemoryStore();
    const NOW = Date.UTC(2026, 5, 13);
    const { organisation } = await start(store, { password: 'en-adgangskode', now: () => NOW });
    const account = await store.getAccountByEmail(EMAIL);
    expect(await store.listMembers(organisation.id)).toEqual([
      { orgId: organisation.id, accountId: account!.id, role: 'admin', createdAt: NOW },
    ]);
    // A store of the release before roles: the account exists, its membership does not.
    const before = createMemoryStore();
    await before.saveOrganisation({ id: LEGACY_ORG_ID, name: 'Gentofte Kommune' });
    await before.createAccount({ ...account!, orgId: LEGACY_ORG_ID });
    expect(await before.listMembers(LEGACY_ORG_ID)).toEqual([]);
    await start(before, { password: 'en-adgangskode' });
    expect(await before.getMembership(LEGACY_ORG_ID, account!.id)).toMatchObject({ role: 'admin' });
    await start(before, { password: 'en-adgangskode' });
    expect(await before.listMembers(LEGACY_ORG_ID)).toHaveLength(1);
  });
});
