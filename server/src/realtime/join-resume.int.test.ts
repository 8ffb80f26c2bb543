/**
 * [S8] A rejoin that says which seqs it holds gets only what came after them; anything the
 * retained log cannot answer, or the principal may not read, falls back to what a fresh join
 * gets. Real app, real stores, real socket.io-client connections.
 */
import { describe, expect, it } from 'vitest';
import type { JoinAck } from '@gt/protocol';
import { commandId, STORE_KINDS, useTestApp, waitFor } from '../testing/test-app.js';
import type { TestApp, TestClient } from '../testing/test-app.js';

type JoinedStream = JoinAck['streams']['public'];

/** What a client holds of one stream: its posts by id, as the entries leave them. */
function heldPosts(stream: JoinedStream, before: Map<string, unknown> = new Map()) {
  const posts = stream.resumedFrom === undefined ? new Map<string, unknown>() : new Map(before);
  for (const post of stream.posts) posts.set(post.id, post);
  for (const { update } of stream.entries ?? []) {
    if (update.type === 'post:created' || update.type === 'post:updated')
      posts.set(update.post.id, update.post);
    else if (update.type === 'post:withdrawn') posts.delete(update.postId);
  }
  return posts;
}

describe.each(STORE_KINDS)('[S8] resuming streams on join on %s', (kind) => {
  let t: TestApp;
  useTestApp(kind, (app) => (t = app));

  const post = (author: TestClient, sessionId: string, text: string) =>
    author.must('post:create', { sessionId, commandId: commandId(), kind: 'question', text });

  it('[S8] a rejoin resuming from the seqs it holds gets only the entries after them, and ends where a fresh join starts', async () => {
    const { session, moderatorToken } = await t.createSession({ moderation: 'pre' });
    const sessionId = session.id;
    const author = await t.attendee();
    const moderator = await t.client({ staff: moderatorToken });
    const first = await post(author, sessionId, 'Hvornår åbner svømmehallen igen?');
    await moderator.must('post:approve', {
      sessionId,
      commandId: commandId(),
      postId: first.post.id,
      version: first.post.version,
    });
    const before = {
      author: await author.must('session:join', { sessionId }),
      moderator: await moderator.must('session:join', { sessionId }),
    };
    author.close();
    moderator.close();

    // While both are away: a new post (pending, then approved), the first one hidden.
    const other = await t.attendee();
    const second = await post(other, sessionId, 'Kan vi få flere bænke ved søen?');
    const staff = await t.client({ staff: moderatorToken });
    await staff.must('post:approve', {
      sessionId,
      commandId: commandId(),
      postId: second.post.id,
      version: second.post.version,
    });
    await staff.must('post:hide', {
      sessionId,
      commandId: commandId(),
      postId: first.post.id,
      version: first.post.version + 1,
      reason: 'dublet',
    });

    const authorBack = await t.client({ device: author.deviceToken! });
    const moderatorBack = await t.client({ staff: moderatorToken });
    const resumed = {
      author: await authorBack.must('session:join', {
        sessionId,
        resume: {
          public: before.author.streams.public.seq,
          private: before.author.streams.private!.seq,
        },
      }),
      moderator: await moderatorBack.must('session:join', {
        sessionId,
        resume: {
          public: before.moderator.streams.public.seq,
          staff: before.moderator.streams.staff!.seq,
        },
      }),
    };
    const fresh = {
      author: await (
        await t.client({ device: author.deviceToken! })
      ).must('session:join', {
        sessionId,
      }),
      moderator: await (
        await t.client({ staff: moderatorToken })
      ).must('session:join', {
        sessionId,
      }),
    };

    for (const who of ['author', 'moderator'] as const) {
      for (const name of ['public', 'staff', 'private'] as const) {
        const held = before[who].streams[name];
        const back = resumed[who].streams[name];
        const now = fresh[who].streams[name];
        expect(Boolean(back)).toBe(Boolean(now));
        if (!held || !back || !now) continue;
        expect(back.resumedFrom).toBe(held.seq);
        expect(back.posts).toEqual([]);
        expect(back.seq).toBe(now.seq);
        // Contiguous: every seq after the one held, up to the head, once.
        expect(back.entries!.map((e) => e.seq)).toEqual(
          Array.from({ length: now.seq - held.seq }, (_, i) => held.seq + 1 + i),
        );
        expect(back.seq).toBeGreaterThan(held.seq);
        // What the client held, with the entries applied, is what a fresh join would give.
        expect(heldPosts(back, heldPosts(held))).toEqual(heldPosts(now));
        expect(now.resumedFrom).toBeUndefined();
        expect(now.entries).toBeUndefined();
      }
    }
    // The hidden post is gone from the public stream, and its author learns why, privately.
    const privateEntries = resumed.author.streams.private!.entries!;
    expect(
      privateEntries.some(
        (e) => e.update.type === 'post:updated' && e.update.post.hideReason === 'dublet',
      ),
    ).toBe(true);
    expect(JSON.stringify(resumed.author.streams.public)).not.toContain('dublet');
  });

  it('[S8] a seq the log cannot answer gets a snapshot: ahead of the head (restored data) or too far behind', async () => {
    const { session } = await t.createSession({ moderation: 'post' });
    const sessionId = session.id;
    const author = await t.attendee();
    await post(author, sessionId, 'Første spørgsmål');
    const ahead = await author.must('session:join', {
      sessionId,
      resume: { public: 50, private: 0 },
    });
    expect(ahead.streams.public.resumedFrom).toBeUndefined();
    expect(ahead.streams.public.posts.map((p) => p.text)).toEqual(['Første spørgsmål']);
    expect(ahead.streams.public.seq).toBe(1);
    // The private stream could resume (nothing after 0 is missing from the log).
    expect(ahead.streams.private!.resumedFrom).toBe(0);
    expect(ahead.streams.private!.entries!.map((e) => e.seq)).toEqual([1]);

    // Hundreds of entries behind: one snapshot is cheaper than all of them.
    const others = await Promise.all(Array.from({ length: 10 }, () => t.attendee()));
    for (let round = 0; round < 21; round++)
      await Promise.all(
        others.map((o, i) => post(o, sessionId, `Spørgsmål ${round}-${i} om trafikken`)),
      );
    const behind = await author.must('session:join', { sessionId, resume: { public: 1 } });
    expect(behind.streams.public.resumedFrom).toBeUndefined();
    expect(behind.streams.public.posts).toHaveLength(211);
    expect(behind.streams.public.seq).toBe(211);
  });

  it('[S8] [S1] resuming never opens a stream the principal may not read', async () => {
    const { session, moderatorToken } = await t.createSession({ moderation: 'pre' });
    const sessionId = session.id;
    const author = await t.attendee();
    const pending = await post(author, sessionId, 'Hemmelig indtil godkendt');
    await waitFor('the pending post on record', async () =>
      (await t.store.listPosts(sessionId)).some((p) => p.id === pending.post.id),
    );
    const attendee = await t.attendee();
    const asAttendee = await attendee.must('session:join', {
      sessionId,
      resume: { public: 0, staff: 0, private: 0 },
    });
    expect(asAttendee.streams.staff).toBeUndefined();
    expect(asAttendee.streams.private).toMatchObject({ resumedFrom: 0, entries: [] });
    expect(JSON.stringify(asAttendee)).not.toContain(pending.post.id);

    const wall = await t.client();
    const asWall = await wall.must('session:join', {
      sessionId,
      resume: { public: 0, staff: 0, private: 0 },
    });
    expect(Object.keys(asWall.streams)).toEqual(['public']);
    expect(JSON.stringify(asWall)).not.toContain(pending.post.id);

    // A moderator resuming only the public stream still gets the staff stream, whole.
    const moderator = await t.client({ staff: moderatorToken });
    const asModerator = await moderator.must('session:join', { sessionId, resume: { public: 0 } });
    expect(asModerator.streams.public.resumedFrom).toBe(0);
    expect(asModerator.streams.staff!.resumedFrom).toBeUndefined();
    expect(asModerator.streams.staff!.posts.map((p) => p.id)).toEqual([pending.post.id]);
  });
});
