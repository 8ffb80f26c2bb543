/**
 * The moderation log (SPEC ML1-ML3) end to end: real app, real SQLite and Redis, real
 * socket.io-client connections for two moderators, an organiser, a phone and the wall.
 */
import { describe, expect, it } from 'vitest';
import type { CommandAck } from '@gt/protocol';
import { commandId, ORGANISER, STORE_KINDS, useTestApp, waitFor } from '../testing/test-app.js';
import type { TestApp, TestClient } from '../testing/test-app.js';

type Entry = CommandAck<'log:list'>['entries'][number];

describe.each(STORE_KINDS)('moderation log on %s', (kind) => {
  let t: TestApp;
  useTestApp(kind, (app) => (t = app));

  it('[ML1] [ML2] [ML3] every staff action is logged with who and when; the other moderator sees it live; phones and the wall never do', async () => {
    const { session, moderatorToken } = await t.createSession({ moderation: 'pre' });
    const second = await t.app.service.createModeratorLink(
      { staff: t.organiserToken },
      { sessionId: session.id, label: 'Frivillig Åse' },
    );
    if (!second.ok) throw new Error(second.error.message);
    const one = await t.client({ staff: moderatorToken });
    const two = await t.client({ staff: second.data.moderatorToken });
    const organiser = await t.client({ staff: t.organiserToken });
    const phone = await t.attendee();
    const wall = await t.client();
    for (const c of [one, two, organiser, phone, wall])
      await c.must('session:join', { sessionId: session.id });

    const { post: pending } = await phone.must('post:create', {
      sessionId: session.id,
      commandId: commandId(),
      kind: 'question',
      text: 'Hvornår kommer cykelstien?',
    });
    let post = pending;
    const act = async (
      client: TestClient,
      name:
        | 'post:approve'
        | 'post:highlight'
        | 'post:unhighlight'
        | 'post:pin'
        | 'post:unpin'
        | 'post:answer'
        | 'post:restore',
    ) => {
      post = (
        await client.must(name, {
          sessionId: session.id,
          commandId: commandId(),
          postId: post.id,
          version: post.version,
        })
      ).post;
    };
    await act(one, 'post:approve');
    await act(two, 'post:highlight');
    await act(one, 'post:unhighlight');
    await act(organiser, 'post:pin');
    await act(one, 'post:unpin');
    post = (
      await two.must('post:edit', {
        sessionId: session.id,
        commandId: commandId(),
        postId: post.id,
        version: post.version,
        text: 'Hvornår kommer den nye cykelsti?',
      })
    ).post;
    post = (
      await one.must('post:hide', {
        sessionId: session.id,
        commandId: commandId(),
        postId: post.id,
        version: post.version,
        reason: 'Forkert session',
      })
    ).post;
    await act(two, 'post:restore');
    await act(one, 'post:answer');
    // A stale version is a conflict and logs nothing.
    expect(
      await two.call('post:pin', {
        sessionId: session.id,
        commandId: commandId(),
        postId: post.id,
        version: 1,
      }),
    ).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const { post: fromRoom } = await two.must('post:create-from-room', {
      sessionId: session.id,
      commandId: commandId(),
      kind: 'question',
      text: 'Spurgt fra salen',
    });
    await organiser.must('session:configure', {
      sessionId: session.id,
      commandId: commandId(),
      version: session.version,
      settings: { wallMode: 'fresh', reactionsPaused: true },
    });

    const expected: [string, string, string | null, string | null][] = [
      ['configure', ORGANISER.email, null, 'wallMode: "fresh", reactionsPaused: true'],
      ['create-from-room', 'Frivillig Åse', fromRoom.id, null],
      ['answer', 'Ordstyrer 1', post.id, null],
      ['restore', 'Frivillig Åse', post.id, null],
      ['hide', 'Ordstyrer 1', post.id, 'Forkert session'],
      ['edit', 'Frivillig Åse', post.id, 'Hvornår kommer cykelstien?'],
      ['unpin', 'Ordstyrer 1', post.id, null],
      ['pin', ORGANISER.email, post.id, null],
      ['unhighlight', 'Ordstyrer 1', post.id, null],
      ['highlight', 'Frivillig Åse', post.id, null],
      ['approve', 'Ordstyrer 1', post.id, null],
    ];
    const { entries } = await two.must('log:list', { sessionId: session.id });
    expect(entries.map((e) => [e.action, e.actor, e.postId, e.detail])).toEqual(expected);
    expect(entries.map((e) => e.seq)).toEqual(expected.map((_, i) => expected.length - i));
    for (const [i, e] of entries.entries()) {
      expect(e.at).toBeGreaterThan(0);
      if (i > 0) expect(e.at).toBeLessThanOrEqual(entries[i - 1]!.at);
    }

    // Each moderator receives every entry live, their own and the other's.
    for (const [who, client] of [
      ['one', one],
      ['two', two],
      ['organiser', organiser],
    ] as const) {
      await waitFor(
        `moderator ${who} to get every log entry live`,
        () => client.updates.filter((u) => u.name === 'log:entry').length === expected.length,
      );
      const live = client.updates
        .filter((u) => u.name === 'log:entry')
        .map((u) => (u.payload.entry as Entry).seq);
      expect(live).toEqual(expected.map((_, i) => i + 1));
    }
    expect(phone.updates.filter((u) => u.name === 'log:entry')).toEqual([]);
    expect(wall.updates.filter((u) => u.name === 'log:entry')).toEqual([]);
    expect(phone.raw.filter((r) => r.includes('Frivillig Åse'))).toEqual([]);

    // Paging back: the three before the fourth newest.
    const page = await one.must('log:list', {
      sessionId: session.id,
      before: entries[3]!.seq,
      limit: 3,
    });
    expect(page.entries).toEqual(entries.slice(4, 7));
  });

  it('[ML3] the log is staff only, and a page holds at most 200 entries', async () => {
    const { session, moderatorToken } = await t.createSession();
    const phone = await t.attendee();
    expect(await phone.call('log:list', { sessionId: session.id })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    const moderator = await t.client({ staff: moderatorToken });
    expect(await moderator.call('log:list', { sessionId: session.id, limit: 201 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    expect(await moderator.must('log:list', { sessionId: session.id, limit: 200 })).toEqual({
      entries: [],
    });
  });
});
