/**
 * [M12] The inverses the console's undo needs (answer → reopen, approve → unapprove), end to
 * end over real sockets on SQLite and Redis.
 */
import { describe, expect, it } from 'vitest';
import { commandId, STORE_KINDS, useTestApp, waitFor } from '../testing/test-app.js';
import type { TestApp } from '../testing/test-app.js';

describe.each(STORE_KINDS)('undo commands on %s', (kind) => {
  let t: TestApp;
  useTestApp(kind, (app) => (t = app));

  it('[M12] an answer is taken back to visible, an approval back to pending: the wall loses the post, the author is told, both are logged', async () => {
    const { session, moderatorToken } = await t.createSession({ moderation: 'pre' });
    const moderator = await t.client({ staff: moderatorToken });
    const author = await t.attendee();
    const wall = await t.client();
    for (const c of [author, wall]) await c.must('session:join', { sessionId: session.id });
    let { post } = await author.must('post:create', {
      sessionId: session.id,
      commandId: commandId(),
      kind: 'question',
      text: 'Hvad med parkeringen?',
    });
    const act = async (name: 'post:approve' | 'post:answer' | 'post:reopen' | 'post:unapprove') => {
      post = (
        await moderator.must(name, {
          sessionId: session.id,
          commandId: commandId(),
          postId: post.id,
          version: post.version,
        })
      ).post;
    };
    await act('post:approve');
    await act('post:answer');
    await act('post:reopen');
    expect(post).toMatchObject({ status: 'visible', version: 4 });
    // Reopening a visible post is not an inverse of anything.
    expect(
      await moderator.call('post:reopen', {
        sessionId: session.id,
        commandId: commandId(),
        postId: post.id,
        version: post.version,
      }),
    ).toMatchObject({ ok: false, error: { code: 'invalid_state' } });
    await act('post:unapprove');
    expect(post).toMatchObject({ status: 'pending', heldReason: 'premoderation', version: 5 });
    await waitFor('the wall to lose the post', () =>
      wall.updates.some((u) => u.name === 'post:withdrawn' && u.payload.postId === post.id),
    );
    await waitFor('the author to see it waiting again', () =>
      author.updates.some(
        (u) =>
          u.name === 'post:updated' &&
          u.payload.stream === 'private' &&
          (u.payload.post as { status: string }).status === 'pending',
      ),
    );
    const join = await wall.must('session:join', { sessionId: session.id });
    expect(join.streams.public.posts).toEqual([]);
    const { entries } = await moderator.must('log:list', { sessionId: session.id, limit: 2 });
    expect(entries.map((e) => e.action)).toEqual(['unapprove', 'reopen']);
  });
});
