/**
 * What a start makes sure of before it serves (SPEC C6, C7): the store has its organisation
 * and the configured organiser has an account in it. Every node runs this at every start;
 * the store's atomic claims make two nodes starting at the same moment agree.
 *
 *  - The organisation: the first start creates it from ORGANISATION_NAME; every later start,
 *    on any node, gets that one back. A store written by a release before accounts already
 *    has its organisation under LEGACY_ORG_ID: that one is adopted, so its events stay.
 *  - The account, for ORGANISER_EMAIL: a configured ORGANISER_PASSWORD is authoritative and
 *    (re)sets the account's hash at every start; else an organiser.json of an earlier release
 *    (its hash, for the same e-mail) is moved into the store once and the file renamed; else,
 *    when the account does not exist yet, a password is generated and returned once.
 *  - [O7] That account is an admin of the first organisation. At every start, so a store
 *    written before roles (Redis; SQLite's migration does the same) gets its admin, and the
 *    configured owner of the installation can always get back in. An existing membership
 *    keeps its role.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { asId } from '@gt/core';
import type { OrgId, Organisation } from '@gt/core';
import type { AccountStore, MemberStore, OrganiserAccount, SessionStore } from '../store/store.js';
import { hashPassword, normaliseEmail } from './organiser-auth.js';
import { newId } from './tokens.js';

/** The id releases before organiser accounts gave their one organisation. */
export const LEGACY_ORG_ID = asId<OrgId>('org_gentofte');
/** What a migrated organiser.json is renamed to, so it is not applied again. */
export const MIGRATED_SUFFIX = '.migrated';

export interface FirstStartOptions {
  store: AccountStore & Pick<SessionStore, 'getOrganisation'> & Pick<MemberStore, 'addMembership'>;
  organisationName: string;
  email: string;
  password: string | null;
  /** DATA_DIR/organiser.json, where earlier releases kept the login; null: nothing to migrate. */
  legacyFile: string | null;
  now?: () => number;
}

export interface FirstStart {
  organisation: Organisation;
  /** The organiser's e-mail as the login compares it. */
  email: string;
  /** Shown once by the caller; null unless this start created the account with it. */
  generatedPassword: string | null;
  /** Whether this start moved an organiser.json into the store. */
  isMigrated: boolean;
}

interface LegacyLogin {
  email: string;
  salt: string;
  hash: string;
}

export async function ensureOrganiser(options: FirstStartOptions): Promise<FirstStart> {
  const { store } = options;
  const now = options.now ?? Date.now;
  const organisation = await store.claimFirstOrganisation(
    (await store.getOrganisation(LEGACY_ORG_ID)) ?? {
      id: asId<OrgId>(newId('org')),
      name: options.organisationName,
    },
  );
  const email = normaliseEmail(options.email);
  const newAccount = (password: Pick<OrganiserAccount, 'passwordSalt' | 'passwordHash'>) =>
    store.createAccount({
      id: newId('acc'),
      orgId: organisation.id,
      email,
      ...password,
      createdAt: now(),
    });

  const legacy = options.legacyFile ? readLegacy(options.legacyFile, email) : null;
  if (legacy && options.legacyFile) {
    // Another node may have migrated its own file first; the account it made stays.
    if (!(await store.getAccountByEmail(email)))
      await newAccount({ passwordSalt: legacy.salt, passwordHash: legacy.hash });
    renameSync(options.legacyFile, options.legacyFile + MIGRATED_SUFFIX);
  }

  let generatedPassword: string | null = null;
  if (options.password) {
    const password = await hashPassword(options.password);
    const existing = await store.getAccountByEmail(email);
    const created = existing ? 'email_taken' : await newAccount(password);
    if (created === 'email_taken') {
      // Existing, or created a moment ago by another node: the configured password wins.
      const account = existing ?? (await store.getAccountByEmail(email));
      if (!account || !(await store.setAccountPassword(account.id, password)))
        throw new Error(`the organiser account ${email} could not be updated`);
    }
  } else if (!(await store.getAccountByEmail(email))) {
    const password = randomBytes(12).toString('base64url');
    // Only the node whose account lands shows its password; another node's won the race.
    if ((await newAccount(await hashPassword(password))) === 'created')
      generatedPassword = password;
  }
  const account = await store.getAccountByEmail(email);
  if (!account) throw new Error(`the organiser account ${email} is missing`);
  await store.addMembership({
    orgId: organisation.id,
    accountId: account.id,
    role: 'admin',
    createdAt: now(),
  });
  return { organisation, email, generatedPassword, isMigrated: legacy !== null };
}

/** The login an earlier release kept for this e-mail, or null (no file, or another e-mail). */
function readLegacy(file: string, email: string): LegacyLogin | null {
  if (!existsSync(file)) return null;
  const stored = JSON.parse(readFileSync(file, 'utf8')) as LegacyLogin;
  return normaliseEmail(stored.email) === email ? stored : null;
}
