/**
 * Session settings for the wall and the console controls (SPEC SC1-SC6), end to end: a real
 * app over real SQLite and Redis, real socket.io-client connections.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '@gt/core';
import { commandId, STORE_KINDS, useTestApp, waitFor } from '../testing/test-app.js';
import type { TestApp } from '../testing/test-app.js';

describe.each(STORE_KINDS)('session settings on %s', (kind) => {
  let t: TestApp;
  useTestApp(kind, (app) => (t = app));

  it('[SC1] [SC6] a new session has the default wall settings, and a change reaches the wall and the phones as session:updated', async () => {
    const { session, moderatorToken } = await t.createSession();
    expect(session.settings).toEqual(DEFAULT_SETTINGS);
    const moderator = await t.client({ staff: moderatorToken });
    const wall = await t.client();
    const phone = await t.attendee();
    await wall.must('session:join', { sessionId: session.id });
    await phone.must('session:join', { sessionId: session.id });
    const panel = [
      { id: 'pm_aaaaaaaa', name: '  Søren Ærø ', party: 'Venstre' },
      { id: 'pm_bbbbbbbb', name: 'Anne Åse', party: 'Socialdemokratiet' },
    ];
    const { session: changed } = await moderator.must('session:configure', {
      sessionId: session.id,
      commandId: commandId(),
      version: session.version,
      settings: {
        wallMode: 'fresh',
        wallOverride: 'qr',
        rotationSeconds: 12,
        wallLanguage: 'en',
        panel,
      },
    });
    expect(changed.settings).toMatchObject({
      wallMode: 'fresh',
      wallOverride: 'qr',
      rotationSeconds: 12,
      wallLanguage: 'en',
      panel: [{ ...panel[0], name: 'Søren Ærø' }, panel[1]],
    });
    for (const [who, client] of [
      ['wall', wall],
      ['phone', phone],
    ] as const) {
      await waitFor(`the ${who} to get the new settings`, () =>
        client.updates.some(
          (u) =>
            u.name === 'session:updated' &&
            JSON.stringify((u.payload.session as typeof changed).settings) ===
              JSON.stringify(changed.settings),
        ),
      );
    }
    const rejoin = await wall.must('session:join', { sessionId: session.id });
    expect(rejoin.session.settings).toEqual(changed.settings);
  });

  it('[SC3] a panel or rotation out of bounds is refused naming the field, and changes nothing', async () => {
    const { session, moderatorToken } = await t.createSession();
    const moderator = await t.client({ staff: moderatorToken });
    const configure = (settings: Record<string, unknown>) =>
      moderator.call('session:configure', {
        sessionId: session.id,
        commandId: commandId(),
        version: session.version,
        settings: settings as never,
      });
    expect(
      await configure({ panel: [{ id: 'pm_aaaaaaaa', name: 'Å'.repeat(81), party: '' }] }),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'invalid_input',
        details: { field: 'panel.0.name', reason: 'too_long', max: 80 },
      },
    });
    expect(
      await configure({ panel: [{ id: 'pm_aaaaaaaa', name: 'Anne', party: 'p'.repeat(41) }] }),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', details: { field: 'panel.0.party', max: 40 } },
    });
    const thirteen = Array.from({ length: 13 }, (_, i) => ({
      id: `pm_member${i}`,
      name: 'N',
      party: '',
    }));
    expect(await configure({ panel: thirteen })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    expect(await configure({ rotationSeconds: 3 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    expect(await configure({ wallMode: 'everything' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    expect((await t.store.getSession(session.id))!.settings).toEqual(DEFAULT_SETTINGS);
    expect((await t.store.getSession(session.id))!.version).toBe(session.version);
  });

  it('[SC4] while reactions are paused a reaction is refused as closed with its reason, and counts nothing', async () => {
    const { session, moderatorToken } = await t.createSession();
    const moderator = await t.client({ staff: moderatorToken });
    const phone = await t.attendee();
    await moderator.must('session:configure', {
      sessionId: session.id,
      commandId: commandId(),
      version: session.version,
      settings: { reactionsPaused: true },
    });
    const refused = await phone.call('reaction:send', {
      sessionId: session.id,
      commandId: commandId(),
      reaction: 'applause',
    });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'closed', details: { reason: 'reactions_paused' } },
    });
    const join = await phone.must('session:join', { sessionId: session.id });
    expect(join.counts.reactions).toEqual({});
    await moderator.must('session:configure', {
      sessionId: session.id,
      commandId: commandId(),
      version: session.version + 1,
      settings: { reactionsPaused: false },
    });
    await phone.must('reaction:send', {
      sessionId: session.id,
      commandId: commandId(),
      reaction: 'applause',
    });
  });

  it("[SC7] a reaction outside the session's set is refused as invalid_input and counts nothing; the set can be changed", async () => {
    const { session, moderatorToken } = await t.createSession();
    const moderator = await t.client({ staff: moderatorToken });
    const phone = await t.attendee();
    const react = (reaction: string) =>
      phone.call('reaction:send', {
        sessionId: session.id,
        commandId: commandId(),
        reaction: reaction as never,
      });
    const counted = async () =>
      (await phone.must('session:join', { sessionId: session.id })).counts.reactions;
    // The default set leaves out "laugh".
    expect(DEFAULT_SETTINGS.reactions).not.toContain('laugh');
    expect(await react('laugh')).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await counted()).toEqual({});

    const { session: changed } = await moderator.must('session:configure', {
      sessionId: session.id,
      commandId: commandId(),
      version: session.version,
      settings: { reactions: ['laugh', 'heart'] },
    });
    expect(changed.settings.reactions).toEqual(['laugh', 'heart']);
    expect(await react('applause')).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    expect(await react('laugh')).toMatchObject({ ok: true });
    await waitFor('the laugh to be counted', async () => (await counted()).laugh === 1);
    expect(await counted()).toEqual({ laugh: 1 });
    // Not a reaction at all is refused by the protocol before any set is looked at.
    expect(await react('shrug')).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('[L3] a length limit other than 300 holds on the server: a post at it is taken, one grapheme more is refused', async () => {
    const { session, moderatorToken } = await t.createSession();
    const moderator = await t.client({ staff: moderatorToken });
    const phone = await t.attendee();
    const { session: changed } = await moderator.must('session:configure', {
      sessionId: session.id,
      commandId: commandId(),
      version: session.version,
      settings: { maxLength: 40 },
    });
    expect(changed.settings.maxLength).toBe(40);
    const post = (text: string) =>
      phone.call('post:create', {
        sessionId: session.id,
        commandId: commandId(),
        kind: 'question',
        text,
      });
    // 39 letters and a thumb with a skin tone, which a person counts as one (L1): 40.
    const atLimit = `${'å'.repeat(39)}👍🏽`;
    expect(await post(`${atLimit}x`)).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', details: { reason: 'too_long', length: 41, max: 40 } },
    });
    // What used to fit in 300 does not fit in 40 either.
    expect(await post('e'.repeat(120))).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', details: { max: 40 } },
    });
    expect(await post(atLimit)).toMatchObject({ ok: true });
    const join = await phone.must('session:join', { sessionId: session.id });
    expect(join.streams.private?.posts.map((p) => p.text)).toEqual([atLimit]);

    // A longer limit takes what the shorter one refused; out of 20-1000 it is refused.
    await moderator.must('session:configure', {
      sessionId: session.id,
      commandId: commandId(),
      version: changed.version,
      settings: { maxLength: 600 },
    });
    expect(await post('e'.repeat(600))).toMatchObject({ ok: true });
    expect(await post('e'.repeat(601))).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', details: { max: 600 } },
    });
    expect(
      await moderator.call('session:configure', {
        sessionId: session.id,
        commandId: commandId(),
        version: changed.version + 1,
        settings: { maxLength: 1001 },
      }),
    ).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('[SC5] with the setting on, counts carry the number of attendee devices connected; staff and the wall are not counted', async () => {
    const { session, moderatorToken } = await t.createSession();
    const moderator = await t.client({ staff: moderatorToken });
    const wall = await t.client();
    await wall.must('session:join', { sessionId: session.id });
    await moderator.must('session:join', { sessionId: session.id });
    const first = await t.attendee();
    await first.must('session:join', { sessionId: session.id });
    // Without the setting nobody is told how many are here.
    const before = await wall.must('session:join', { sessionId: session.id });
    expect(before.counts.participants).toBeUndefined();

    await moderator.must('session:configure', {
      sessionId: session.id,
      commandId: commandId(),
      version: session.version,
      settings: { showParticipantCount: true },
    });
    const latest = (c: typeof wall) =>
      [...c.updates].reverse().find((u) => u.name === 'counts')?.payload.participants;
    await waitFor('the wall to count one attendee', () => latest(wall) === 1);
    // A second tab of the same phone is the same person; another phone is one more.
    const sameDevice = await t.client({ device: first.deviceToken });
    await sameDevice.must('session:join', { sessionId: session.id });
    const second = await t.attendee();
    await second.must('session:join', { sessionId: session.id });
    await waitFor('the wall to count two attendees', () => latest(wall) === 2);
    expect((await wall.must('session:join', { sessionId: session.id })).counts.participants).toBe(
      2,
    );
    second.close();
    await waitFor(
      'the moderator to see one attendee after one left',
      () => latest(moderator) === 1,
    );
  });
});
