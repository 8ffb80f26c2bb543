/**
 * [R1]-[R4] The role matrix: every command of the protocol table, sent by each kind of principal,
 * gets exactly the allowed result. The table is enumerated, so a new command is covered the
 * day it is added (its factory is demanded by the type of commandFactories).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_NAMES, commands } from '@gt/protocol';
import type { CommandName } from '@gt/protocol';
import type { Capability } from '@gt/core';
import { makeTestStore, startTestApp } from '../testing/test-app.js';
import type { TestApp, TestClient, TestStore } from '../testing/test-app.js';
import { commandFactories } from './testing/command-factories.js';

const ROLES = [
  'unauthenticated',
  'attendee',
  'moderator',
  'moderator-of-another-session',
  'organiser',
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

describe('[R1]-[R4] role matrix (SQLite)', () => {
  let store: TestStore;
  let t: TestApp;
  const tally = { cells: 0, allowed: 0, forbidden: 0 };

  beforeAll(async () => {
    store = await makeTestStore('sqlite');
    t = await startTestApp(store.store);
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
