/**
 * [R1]-[R4] [O2] The role matrix: every command of the protocol table, sent by each kind of principal,
 * gets exactly the allowed result. The table is enumerated, so a new command is covered the
 * day it is added (its factory is demanded by the type of commandFactories).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_NAMES, commands } from '@gt/protocol';
import type { CommandName } from '@gt/protocol';
import { asId } from '@gt/core';
import type { Capability, OrgId } from '@gt/core';
import { makeTestStore, startTestApp, waitFor } from '../testing/test-app.js';
import type { TestApp, TestClient, TestStore } from '../testing/test-app.js';
import { commandFactories } from './testing/command-factories.js';

const ROLES = [
  'unauthenticated',
  'attendee',
  'moderator',
  'moderator-of-another-session',
  'organiser',
  // [O2] Members of organisations beyond the first start's admin: a viewer of this
  // organisation is no staff, nor is an organiser of another one.
  'viewer',
  'organiser-of-another-organisation',
] as const;
type Role = (typeof ROLES)[number];

/** Written out by hand, not derived from core.may: the matrix is what the product promises. */
const ALLOWED: Record<Capability | 'none', readonly Role[]> = {
  none: ROLES,
  read: ROLES,
  post: ['attendee'],
  vote: ['attendee'],
  react: ['attendee'],
  follow: ['attendee'],
  moderate: ['moderator', 'organiser'],
  configure: ['moderator', 'organiser'],
};

describe('[R1]-[R4] [O2] role matrix (SQLite)', () => {
  let store: TestStore;
  let t: TestApp;
  const tally = { cells: 0, allowed: 0, forbidden: 0 };
  const tokens = { viewer: '', stranger: '' };

  beforeAll(async () => {
    store = await makeTestStore('sqlite');
    t = await startTestApp(store.store);
    tokens.viewer = (await t.member('viewer')).token;
    tokens.stranger = (await t.member('organiser', asId<OrgId>('org_aeldreraadet'))).token;
  });
  afterAll(async () => {
    console.log(
      `role matrix: ${COMMAND_NAMES.length} commands × ${ROLES.length} roles = ${tally.cells} cells (${tally.allowed} allowed, ${tally.forbidden} forbidden)`,
    );
    await t.close();
    await store.cleanup();
  });

  /**
   * Commands without a session capability that still need an identity: a receipt and a
   * withdrawal belong to a device.
   */
  const ALLOWED_BY_COMMAND: Partial<Record<CommandName, readonly Role[]>> = {
    'receipt:link': ['attendee'],
    'followup:withdraw': ['attendee'],
    // Impressions are counted per device (FV1): reading alone is not enough.
    'exposure:report': ['attendee'],
  };

  async function clientFor(
    role: Role,
    moderatorToken: string,
  ): Promise<TestClient & { deviceToken?: string }> {
    switch (role) {
      case 'unauthenticated':
        return t.client();
      case 'attendee':
        return t.attendee();
      case 'moderator':
        return t.client({ staff: moderatorToken });
      case 'moderator-of-another-session':
        return t.client({ staff: (await t.createSession()).moderatorToken });
      case 'organiser':
        return t.client({ staff: t.organiserToken });
      case 'viewer':
        return t.client({ staff: tokens.viewer });
      case 'organiser-of-another-organisation':
        return t.client({ staff: tokens.stranger });
    }
  }

  it('has a factory for every command in the table', () => {
    expect(Object.keys(commandFactories).sort()).toEqual([...COMMAND_NAMES].sort());
  });

  for (const name of COMMAND_NAMES) {
    const capability = commands[name].capability ?? 'none';
    for (const role of ROLES) {
      const isAllowed = (ALLOWED_BY_COMMAND[name] ?? ALLOWED[capability]).includes(role);
      it(`${name} by ${role} is ${isAllowed ? 'allowed' : 'forbidden'}`, async () => {
        // Approving needs a pending post, so every cell gets a pre-moderated session of its own.
        const { session, moderatorToken } = await t.createSession({ moderation: 'pre' });
        const client = await clientFor(role, moderatorToken);
        const payload = await commandFactories[name]({
          t,
          session,
          actorDevice: client.deviceToken,
        });
        const result = await client.call(name, payload as never);
        client.close();
        tally.cells++;
        if (isAllowed) {
          tally.allowed++;
          expect(result, JSON.stringify(result)).toMatchObject({ ok: true });
          expect(commands[name].ack.safeParse((result as { data: unknown }).data).success).toBe(
            true,
          );
        } else {
          tally.forbidden++;
          expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
        }
      });
    }
  }
});

describe('[T5] a revoked moderator link', () => {
  let store: TestStore;
  let t: TestApp;
  beforeAll(async () => {
    store = await makeTestStore('sqlite');
    t = await startTestApp(store.store);
  });
  afterAll(async () => {
    await t.close();
    await store.cleanup();
  });

  it('closes the sockets open with it, and every staff command sent with it afterwards is forbidden', async () => {
    const { session, moderatorToken } = await t.createSession({ moderation: 'pre' });
    const organiser = { staff: t.organiserToken };
    const other = await t.app.service.createModeratorLink(organiser, {
      sessionId: session.id,
      label: 'Frivillig',
    });
    if (!other.ok) throw new Error(other.error.message);
    const revokedSocket = await t.client({ staff: moderatorToken });
    const keptSocket = await t.client({ staff: other.data.moderatorToken });
    await revokedSocket.must('session:join', { sessionId: session.id });
    let isClosed = false;
    revokedSocket.socket.on('disconnect', () => (isClosed = true));

    const sessions = await t.app.service.listSessions(organiser, session.eventId);
    expect(sessions.ok && sessions.data.map((x) => x.id)).toEqual([session.id]);
    expect(await t.app.service.listSessions({}, session.eventId)).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    const links = await t.app.service.listModeratorLinks(organiser, session.id);
    // A standing link's token is handed out again, unchanged.
    expect(links.ok && links.data.find((l) => l.label === 'Ordstyrer 1')?.moderatorToken).toBe(
      moderatorToken,
    );
    const first = links.ok ? links.data.find((l) => l.label === 'Ordstyrer 1') : undefined;
    expect(first).toBeDefined();
    expect(await t.app.service.revokeModeratorLink({}, first!.id)).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await t.app.service.revokeModeratorLink(organiser, first!.id)).toMatchObject({
      ok: true,
      data: { revokedAt: expect.any(Number) },
    });
    await waitFor('the revoked link socket to be closed by the server', () => isClosed);
    const after = await t.app.service.listModeratorLinks(organiser, session.id);
    expect(after.ok && after.data.find((l) => l.id === first!.id)?.moderatorToken).toBeNull();
    expect(keptSocket.socket.connected).toBe(true);

    const again = await t.client({ staff: moderatorToken });
    const join = await again.must('session:join', { sessionId: session.id });
    expect(join.you.staff).toBeNull();
    expect(join.streams.staff).toBeUndefined();
    const staffCommands = COMMAND_NAMES.filter(
      (n) => commands[n].capability === 'moderate' || commands[n].capability === 'configure',
    );
    for (const name of staffCommands) {
      const payload = await commandFactories[name]({ t, session });
      expect(await again.call(name, payload as never), name).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
    }
    // The other link still works.
    const payload = await commandFactories['post:approve']({ t, session });
    expect(await keptSocket.call('post:approve', payload)).toMatchObject({ ok: true });
  });
});
