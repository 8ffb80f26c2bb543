/**
 * [FV1]-[FV3] Exposure end to end: phones report their first screenful, the wall's rotation
 * reaches the wall over a real socket, and exposure reaches every screen with the counts.
 */
import { describe, expect, it } from 'vitest';
import { commandId, startTestApp, STORE_KINDS, useTestApp, waitFor } from '../testing/test-app.js';
import type { TestApp } from '../testing/test-app.js';

describe.each(STORE_KINDS)('exposure and the wall rotation on %s', (kind) => {
  let t: TestApp;
  useTestApp(kind, (app) => (t = app));

  it('[FV1] [FV3] a first screenful counts one impression per device and public post, and exposure reaches the counts', async () => {
    const { session, moderatorToken } = await t.createSession({ wallMode: 'highlight' });
    const author = await t.attendee();
    const posts: string[] = [];
    for (const text of ['Et', 'To'])
      posts.push(
        (
          await author.must('post:create', {
            sessionId: session.id,
            commandId: commandId(),
            kind: 'question',
            text,
          })
        ).post.id,
      );
    const moderator = await t.client({ staff: moderatorToken });
    const { post: hidden } = await moderator.must('post:hide', {
      sessionId: session.id,
      commandId: commandId(),
      postId: posts[1]!,
      version: 1,
      reason: 'Skjult',
    });
    const phone = await t.attendee();
    await phone.must('session:join', { sessionId: session.id });
    const report = (ids: string[]) =>
      phone.must('exposure:report', { sessionId: session.id, postIds: ids });
    // The hidden post and an id that does not exist count nothing.
    expect(await report([posts[0]!, hidden.id, 'pst_doesnotexist'])).toEqual({ counted: 1 });
    expect(await report([posts[0]!])).toEqual({ counted: 0 });
    expect(await author.must('exposure:report', { sessionId: session.id, postIds: posts })).toEqual(
      { counted: 1 },
    );
    await waitFor('the phone to see the exposure in the counts', () =>
      phone.updates.some(
        (u) =>
          u.name === 'counts' &&
          JSON.stringify(u.payload.exposure) === JSON.stringify({ [posts[0]!]: 2 }),
      ),
    );
    const wall = await t.client();
    const join = await wall.must('session:join', { sessionId: session.id });
    expect(join.counts.exposure).toEqual({ [posts[0]!]: 2 });
    expect(join.wall ?? null).toBeNull();
    expect(
      await wall.call('exposure:report', { sessionId: session.id, postIds: posts }),
    ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const thirteen = Array.from({ length: 13 }, () => posts[0]!);
    expect(
      await phone.call('exposure:report', { sessionId: session.id, postIds: thirteen }),
    ).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('[FV2] the rotation announces what the wall lists to the public room, and a wall that joins later gets the same set', async () => {
    const { session } = await t.createSession({ wallMode: 'fresh', rotationSeconds: 4 });
    const author = await t.attendee();
    const ids: string[] = [];
    for (const text of ['Et', 'To', 'Tre', 'Fire']) {
      const { post } = await author.must('post:create', {
        sessionId: session.id,
        commandId: commandId(),
        kind: 'question',
        text,
      });
      ids.push(post.id);
      // Fresh voices ties by age, then by id: two posts in one millisecond would be ordered by
      // their random ids. Each post here is older than the next, so the order is the texts'.
      await waitFor('the clock to pass the post', () => Date.now() > post.createdAt);
    }
    const first = await t.client();
    await first.must('session:join', { sessionId: session.id });
    await waitFor('the wall to get a rotation', () =>
      first.updates.some((u) => u.name === 'wall:rotation'),
    );
    const rotation = first.updates.find((u) => u.name === 'wall:rotation')!.payload;
    expect(rotation).toMatchObject({ sessionId: session.id, postIds: ids.slice(0, 3) });
    expect(typeof rotation.at).toBe('number');
    const second = await t.client();
    const join = await second.must('session:join', { sessionId: session.id });
    // On a slow machine the wall may turn again between the two joins: the later wall must
    // then hold what that turn announced, so match the announcement by its time.
    await waitFor('the announcement the joining wall holds', () =>
      first.updates.some((u) => u.name === 'wall:rotation' && u.payload.at === join.wall?.at),
    );
    const announced = first.updates.find(
      (u) => u.name === 'wall:rotation' && u.payload.at === join.wall?.at,
    )!.payload;
    expect(join.wall).toEqual({ postIds: announced.postIds, at: announced.at });
    expect(join.wall!.at).toBeGreaterThanOrEqual(rotation.at as number);
  });

  it('[FV3] [WL6] a pinned post on the wall earns wall-seconds: it is listed first in "top" though others have more votes', async () => {
    const { session, moderatorToken } = await t.createSession({
      wallMode: 'top',
      rotationSeconds: 4,
    });
    const author = await t.attendee();
    const ids: string[] = [];
    for (const text of ['Fastgjort', 'Populær', 'Også populær', 'Mest populær'])
      ids.push(
        (
          await author.must('post:create', {
            sessionId: session.id,
            commandId: commandId(),
            kind: 'question',
            text,
          })
        ).post.id,
      );
    const [pinned, ...voted] = ids as [string, ...string[]];
    // Three voted posts would fill the three slots by votes alone (K1).
    for (const postId of voted) {
      const voter = await t.attendee();
      await voter.must('post:upvote', {
        sessionId: session.id,
        commandId: commandId(),
        postId,
        isOn: true,
      });
    }
    const moderator = await t.client({ staff: moderatorToken });
    await moderator.must('post:pin', {
      sessionId: session.id,
      commandId: commandId(),
      postId: pinned,
      version: 1,
    });
    const wall = await t.client();
    await wall.must('session:join', { sessionId: session.id });
    await waitFor('the wall to list the pinned post first', () =>
      wall.updates.some(
        (u) => u.name === 'wall:rotation' && (u.payload.postIds as string[])[0] === pinned,
      ),
    );
    await waitFor('the pinned post to gain wall time in the counts', () =>
      wall.updates.some(
        (u) =>
          u.name === 'counts' &&
          ((u.payload.exposure as Record<string, number> | undefined)?.[pinned] ?? 0) >= 1,
      ),
    );
  });

  it('[FV1] [T2] reports are rate-limited per device under their own limit, and a refusal says when to try again', async () => {
    const limited = await startTestApp(t.store, { rateLimits: true });
    try {
      const { session } = await limited.createSession();
      const phone = await limited.attendee();
      const report = () => phone.call('exposure:report', { sessionId: session.id, postIds: [] });
      const results = [];
      for (let i = 0; i < 31; i++) results.push(await report());
      expect(results.slice(0, 30).every((r) => r.ok)).toBe(true);
      expect(results[30]).toMatchObject({
        ok: false,
        error: { code: 'rate_limited', details: { retryAfterMs: expect.any(Number) } },
      });
      // Reading is not limited by it.
      await phone.must('session:join', { sessionId: session.id });
    } finally {
      await limited.close();
    }
  });
});
