/**
 * The people of an organisation on the in-memory store (SPEC O2-O6): roles checked from the
 * store on every call, invitations, removing members, passwords, signing out everywhere and
 * the login throttle.
 */
import { describe, expect, it } from 'vitest';
import { asId, INVITATION_DAYS } from '@gt/core';
import type { OrgId } from '@gt/core';
import type { Credentials } from '@gt/protocol';
import { ensureOrganiser } from './first-start.js';
import { memoryApp } from './testing/memory-app.js';
import type { MemoryApp } from './testing/memory-app.js';

const ADMIN = { email: 'admin@gentofte.example', password: 'en lang adgangskode' };
const DAY = 86_400_000;

/** An app whose logins are checked, with its first admin (as a start makes them). */
async function withAdmin(options: Parameters<typeof memoryApp>[0] = {}) {
  const t = memoryApp({ organiserAuth: true, ...options });
  const { organisation } = await ensureOrganiser({
    store: t.store,
    organisationName: 'Gentofte Kommune',
    email: ADMIN.email,
    password: ADMIN.password,
    legacyFile: null,
  });
  const login = await t.app.login(ADMIN, { address: '10.0.0.1' });
  if (!login.ok) throw new Error(login.error.message);
  return { t, org: organisation.id, admin: { staff: login.data.staffToken } as Credentials };
}

/** Invite `email` with `role`, accept with `password`, and answer the new login's credentials. */
async function join(t: MemoryApp, admin: Credentials, email: string, role = 'organiser' as const) {
  const invited = await t.app.inviteMember(admin, { email, role });
  if (!invited.ok) throw new Error(invited.error.message);
  const token = invited.data.path.replace('/invite/', '');
  const accepted = await t.app.acceptInvitation({ token, password: 'ny adgangskode 123' });
  if (!accepted.ok) throw new Error(accepted.error.message);
  return {
    creds: { staff: accepted.data.staffToken } as Credentials,
    token,
    invited: invited.data,
  };
}

describe('[O2] roles in the organisation', () => {
  it('a viewer lists events and sessions, and is refused every change and every moderator link', async () => {
    const t = memoryApp();
    const { session } = await t.session();
    const { creds: viewer } = await t.member('viewer');
    const events = await t.app.listEvents(viewer);
    expect(events.ok && events.data.map((e) => e.id)).toEqual([session.eventId]);
    expect((await t.app.listSessions(viewer, session.eventId)).ok).toBe(true);
    const refused = [
      await t.app.createEvent(viewer, { title: 'Nyt' }),
      await t.app.createSession(viewer, { eventId: session.eventId, title: 'Nyt' }),
      await t.app.createModeratorLink(viewer, { sessionId: session.id, label: 'Frivillig' }),
      await t.app.listModeratorLinks(viewer, session.id),
      await t.app.createTopic(viewer, {
        eventId: session.eventId,
        title: 'Cykelstier',
        contactName: 'Borgerservice',
      }),
      await t.app.listPeople(viewer),
    ];
    expect(refused.map((r) => !r.ok && r.error.code)).toEqual(refused.map(() => 'forbidden'));
  });

  it('a viewer is no staff in a session: it may not moderate', async () => {
    const t = memoryApp();
    const { session } = await t.session();
    const { creds: viewer } = await t.member('viewer');
    const stored = await t.store.getSession(session.id);
    const you = await t.app.sessionPrincipal(t.app.principalFrom(viewer), stored!);
    expect(you.staff).toBeNull();
    const organiser = await t.app.sessionPrincipal(t.app.principalFrom(t.organiser()), stored!);
    expect(organiser.staff).toBe('organiser');
  });

  it('an organiser changes events but may not see or invite people; an admin may', async () => {
    const t = memoryApp();
    const { creds: organiser } = await t.member('organiser');
    const { creds: admin } = await t.member('admin');
    expect((await t.app.createEvent(organiser, { title: 'Kulturnat' })).ok).toBe(true);
    const invite = { email: 'ny@gentofte.example', role: 'viewer' as const };
    expect(await t.app.listPeople(organiser)).toMatchObject({ error: { code: 'forbidden' } });
    expect(await t.app.inviteMember(organiser, invite)).toMatchObject({
      error: { code: 'forbidden' },
    });
    expect((await t.app.inviteMember(admin, invite)).ok).toBe(true);
  });

  it("an organiser of another organisation is forbidden this one's events", async () => {
    const t = memoryApp();
    const { session } = await t.session();
    const stranger = t.organiser(asId<OrgId>('org_other'));
    expect(await t.app.listSessions(stranger, session.eventId)).toMatchObject({
      error: { code: 'forbidden' },
    });
    expect(
      await t.app.createSession(stranger, { eventId: session.eventId, title: 'Indtrængende' }),
    ).toMatchObject({ error: { code: 'forbidden' } });
    expect(await t.app.listSessions(stranger, 'evt_nothing')).toMatchObject({
      error: { code: 'not_found' },
    });
  });
});

describe('[O3] invitations', () => {
  it('an admin invites by a one-time link; the invitee sets a password, is logged in and sees the events', async () => {
    const { t, org, admin } = await withAdmin();
    await t.app.createEvent(admin, { title: 'Kulturnat' });
    const { creds, token, invited } = await join(t, admin, 'Ny.Arrangoer@Gentofte.example ');
    expect(invited.invitation).toMatchObject({
      email: 'ny.arrangoer@gentofte.example',
      role: 'organiser',
      state: 'pending',
    });
    expect(invited.path).toMatch(/^\/invite\/[A-Za-z0-9_-]{32}$/);
    // The store keeps the hash only: the link's secret is nowhere in it.
    expect(JSON.stringify(await t.store.listInvitations(org))).not.toContain(token);
    const events = await t.app.listEvents(creds);
    expect(events.ok && events.data.map((e) => e.title)).toEqual(['Kulturnat']);
    const login = await t.app.login({
      email: 'ny.arrangoer@gentofte.example',
      password: 'ny adgangskode 123',
    });
    expect(login).toMatchObject({ ok: true, data: { orgId: org, role: 'organiser' } });

    expect(await t.app.findInvitation(token)).toMatchObject({
      ok: true,
      data: { orgName: 'Gentofte Kommune', state: 'accepted', hasAccount: true },
    });
    expect(await t.app.acceptInvitation({ token, password: 'endnu en adgangskode' })).toMatchObject(
      { ok: false, error: { code: 'invalid_state', details: { state: 'accepted' } } },
    );
    expect(
      await t.app.acceptInvitation({ token: 'not-a-token', password: 'endnu en adgangskode' }),
    ).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('a revoked or expired link sets no password', async () => {
    // Logins are verified against the real clock, so the fake one starts there.
    let now = Date.now();
    const { t, admin } = await withAdmin({ now: () => now });
    const revoked = await t.app.inviteMember(admin, {
      email: 'a@gentofte.example',
      role: 'viewer',
    });
    const expiring = await t.app.inviteMember(admin, {
      email: 'b@gentofte.example',
      role: 'viewer',
    });
    if (!revoked.ok || !expiring.ok) throw new Error('invite failed');
    expect(await t.app.revokeInvitation(admin, revoked.data.invitation.id)).toMatchObject({
      ok: true,
      data: { state: 'revoked' },
    });
    now += INVITATION_DAYS * DAY;
    for (const [invited, state] of [
      [revoked, 'revoked'],
      [expiring, 'expired'],
    ] as const) {
      const token = invited.data.path.replace('/invite/', '');
      expect(await t.app.findInvitation(token)).toMatchObject({ ok: true, data: { state } });
      expect(
        await t.app.acceptInvitation({ token, password: 'en lang adgangskode' }),
      ).toMatchObject({ ok: false, error: { code: 'invalid_state', details: { state } } });
      expect(await t.store.getAccountByEmail(invited.data.invitation.email)).toBeNull();
    }
    const people = await t.app.listPeople(admin);
    expect(people.ok && people.data.invitations.map((i) => i.state)).toEqual([
      'revoked',
      'expired',
    ]);
  });

  it('a too short password is refused next to its field, and the link stays open', async () => {
    const { t, admin } = await withAdmin();
    const invited = await t.app.inviteMember(admin, {
      email: 'c@gentofte.example',
      role: 'viewer',
    });
    if (!invited.ok) throw new Error('invite failed');
    const token = invited.data.path.replace('/invite/', '');
    expect(await t.app.acceptInvitation({ token, password: 'kort' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', details: { field: 'password' } },
    });
    expect(await t.app.findInvitation(token)).toMatchObject({ data: { state: 'pending' } });
    expect(
      await t.app.inviteMember(admin, { email: 'ikke en adresse', role: 'viewer' }),
    ).toMatchObject({ ok: false, error: { code: 'invalid_input', details: { field: 'email' } } });
    expect(await t.app.inviteMember(admin, { email: ADMIN.email, role: 'viewer' })).toMatchObject({
      ok: false,
      error: { code: 'conflict', details: { field: 'email' } },
    });
  });

  it('an account of another organisation joins with its own password, never a new one', async () => {
    const { t, admin } = await withAdmin();
    const other = asId<OrgId>('org_aeldreraadet');
    await t.store.saveOrganisation({ id: other, name: 'Ældrerådet' });
    const { creds: otherAdmin } = await t.member('admin', other);
    const invited = await t.app.inviteMember(otherAdmin, { email: ADMIN.email, role: 'viewer' });
    if (!invited.ok) throw new Error('invite failed');
    const token = invited.data.path.replace('/invite/', '');
    expect(await t.app.findInvitation(token)).toMatchObject({ data: { hasAccount: true } });
    expect(await t.app.acceptInvitation({ token, password: 'et forkert gæt' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    const accepted = await t.app.acceptInvitation({ token, password: ADMIN.password });
    expect(accepted).toMatchObject({ ok: true, data: { orgId: other, role: 'viewer' } });
    // The home organisation's login is unchanged.
    expect((await t.app.listPeople(admin)).ok).toBe(true);
  });
});

describe('[O4] [O5] removing, passwords and signing out everywhere', () => {
  it('a removed member loses access at once, with the login they hold, and their sockets close', async () => {
    const { t, org, admin } = await withAdmin();
    const { creds } = await join(t, admin, 'fjernes@gentofte.example');
    expect((await t.app.listEvents(creds)).ok).toBe(true);
    const people = await t.app.listPeople(admin);
    const member = people.ok ? people.data.members.find((m) => !m.isYou) : undefined;
    expect(await t.app.removeMember(admin, member!.accountId)).toMatchObject({ ok: true });
    expect(t.loginsEnded).toEqual([`${org} ${member!.accountId}`]);
    expect(await t.app.listEvents(creds)).toMatchObject({ error: { code: 'forbidden' } });
    expect(
      await t.app.login({ email: 'fjernes@gentofte.example', password: 'ny adgangskode 123' }),
    ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await t.app.removeMember(admin, member!.accountId)).toMatchObject({
      error: { code: 'not_found' },
    });
  });

  it('the last admin is never removed', async () => {
    const { t, admin } = await withAdmin();
    const me = await t.app.getMyAccount(admin);
    if (!me.ok) throw new Error(me.error.message);
    expect(me.data).toMatchObject({
      email: ADMIN.email,
      role: 'admin',
      orgName: 'Gentofte Kommune',
    });
    expect(await t.app.removeMember(admin, me.data.accountId)).toMatchObject({
      ok: false,
      error: { code: 'conflict', details: { reason: 'last_admin' } },
    });
    expect((await t.app.listPeople(admin)).ok).toBe(true);
  });

  it('a password is changed with the current one; the old one no longer logs in', async () => {
    const { t, admin } = await withAdmin();
    expect(
      await t.app.changePassword(admin, {
        currentPassword: 'forkert',
        newPassword: 'en helt ny adgangskode',
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', details: { field: 'currentPassword' } },
    });
    expect(
      await t.app.changePassword(admin, {
        currentPassword: ADMIN.password,
        newPassword: 'en helt ny adgangskode',
      }),
    ).toMatchObject({ ok: true });
    expect(await t.app.login(ADMIN)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(
      await t.app.login({ email: ADMIN.email, password: 'en helt ny adgangskode' }),
    ).toMatchObject({ ok: true });
  });

  it('signing out everywhere ends every login of the account, closes its sockets, and a new login works', async () => {
    const { t, org, admin } = await withAdmin();
    const second = await t.app.login(ADMIN);
    if (!second.ok) throw new Error(second.error.message);
    expect(await t.app.signOutEverywhere(admin)).toMatchObject({
      ok: true,
      data: { tokenVersion: 1 },
    });
    const me = await t.store.getAccountByEmail(ADMIN.email);
    expect(t.loginsEnded).toEqual([`${org} ${me!.id}`]);
    for (const creds of [admin, { staff: second.data.staffToken }])
      expect(await t.app.listEvents(creds)).toMatchObject({ error: { code: 'forbidden' } });
    const fresh = await t.app.login(ADMIN);
    expect(fresh.ok && (await t.app.listEvents({ staff: fresh.data.staffToken })).ok).toBe(true);
  });
});

describe('[O6] login throttling', () => {
  const limits = {
    accountAndAddress: { points: 3, duration: 900 },
    account: { points: 10, duration: 3600 },
    address: { points: 20, duration: 3600 },
  };

  it('the wrong password after the allowed ones is refused with the wait; the right one from another address still works', async () => {
    const { t } = await withAdmin({ loginLimits: limits });
    const wrong = { email: ADMIN.email, password: 'forkert gæt' };
    for (let i = 0; i < 3; i++)
      expect(await t.app.login(wrong, { address: '192.0.2.7' })).toMatchObject({
        error: { code: 'forbidden' },
      });
    const refused = await t.app.login(wrong, { address: '192.0.2.7' });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'rate_limited', details: { retryAfterMinutes: 15 } },
    });
    expect(!refused.ok && refused.error.message).toMatch(/try again in 15 minutes/);
    // Even the right password waits from that address; from another it logs in.
    expect(await t.app.login(ADMIN, { address: '192.0.2.7' })).toMatchObject({
      error: { code: 'rate_limited' },
    });
    expect(await t.app.login(ADMIN, { address: '198.51.100.3' })).toMatchObject({ ok: true });
  });

  it('an account guessed from many addresses waits too, and one address guessing many accounts', async () => {
    const { t } = await withAdmin({ loginLimits: limits });
    for (let i = 0; i < 10; i++)
      await t.app.login({ email: ADMIN.email, password: 'gæt' }, { address: `203.0.113.${i}` });
    expect(await t.app.login(ADMIN, { address: '198.51.100.3' })).toMatchObject({
      error: { code: 'rate_limited' },
    });
    for (let i = 0; i < 20; i++)
      await t.app.login(
        { email: `x${i}@gentofte.example`, password: 'gæt' },
        { address: '192.0.2.9' },
      );
    expect(
      await t.app.login(
        { email: 'ny@gentofte.example', password: 'gæt' },
        { address: '192.0.2.9' },
      ),
    ).toMatchObject({ error: { code: 'rate_limited' } });
  });
});
