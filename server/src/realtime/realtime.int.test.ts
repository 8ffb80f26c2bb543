/**
 * The real-time spine end to end: real app, real store (SQLite and Redis), real
 * socket.io-client connections.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { io as connect } from 'socket.io-client';
import { PROTOCOL_VERSION } from '@gt/protocol';
import {
  commandId,
  makeTestStore,
  startTestApp,
  STORE_KINDS,
  useTestApp,
  waitFor,
} from '../testing/test-app.js';
import type { TestApp, TestStore } from '../testing/test-app.js';

describe.each(STORE_KINDS)('real-time spine on %s', (kind) => {
  let testStore: TestStore;
  let t: TestApp;
  useTestApp(kind, (app, store) => ((t = app), (testStore = store)));

  it('[I2] five concurrent sends of one post and one after a reconnect store one post with six identical acknowledgements', async () => {
    const { session } = await t.createSession();
    const author = await t.attendee();
    await author.must('session:join', { sessionId: session.id });
    const payload = {
      sessionId: session.id,
      commandId: commandId(),
      kind: 'question' as const,
      text: 'Kommer der flere cykelstier?',
    };
    const acks = await Promise.all(
      Array.from({ length: 5 }, () => author.call('post:create', payload)),
    );
    author.close();
    const again = await t.client({ device: author.deviceToken });
    acks.push(await again.call('post:create', payload));
    expect(acks.every((a) => a.ok)).toBe(true);
    expect(new Set(acks.map((a) => JSON.stringify(a))).size).toBe(1);
    const posts = await t.store.listPosts(session.id);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.text).toBe('Kommer der flere cykelstier?');
  });

  it('[I3] the acknowledgement reaches the author before the updates its post caused', async () => {
    const { session } = await t.createSession();
    const author = await t.attendee();
    await author.must('session:join', { sessionId: session.id });
    const order: string[] = [];
    author.socket.on('post:created', (u) => order.push(`update:${u.stream}`));
    // The callback, not an awaited promise: packets read in one chunk are handled before a
    // promise continuation would run.
    author.socket.emit(
      'post:create',
      { sessionId: session.id, commandId: commandId(), kind: 'idea', text: 'Rækkefølge' },
      () => order.push('ack'),
    );
    await waitFor('both updates', () => order.length === 3);
    expect(order[0]).toBe('ack');
  });

  it('[P2] [W1] a post with an offensive word is held for the moderator, never rejected; innocent words pass', async () => {
    const { session, moderatorToken } = await t.createSession();
    const author = await t.attendee();
    const held = await author.must('post:create', {
      sessionId: session.id,
      commandId: commandId(),
      kind: 'question',
      text: 'Hvorfor er kommunen så fucking langsom?',
    });
    expect(held.post).toMatchObject({ status: 'pending', heldReason: 'word_filter' });
    const innocent = await author.must('post:create', {
      sessionId: session.id,
      commandId: commandId(),
      kind: 'idea',
      text: 'Pistacieis og pisket flødeskum til en røverhistorie',
    });
    expect(innocent.post).toMatchObject({ status: 'visible', heldReason: null });
    const moderator = await t.client({ staff: moderatorToken });
    const join = await moderator.must('session:join', { sessionId: session.id });
    expect(join.streams.staff?.posts.map((p) => p.status)).toEqual(['pending', 'visible']);
    expect(join.streams.public.posts.map((p) => p.id)).toEqual([innocent.post.id]);
  });

  it('[P8] [M7] staff type in a floor question, visible at once; an edit keeps the original wording', async () => {
    const { session, moderatorToken } = await t.createSession({ moderation: 'pre' });
    const moderator = await t.client({ staff: moderatorToken });
    const reader = await t.attendee();
    await reader.must('session:join', { sessionId: session.id });
    const { post } = await moderator.must('post:create-from-room', {
      sessionId: session.id,
      commandId: commandId(),
      kind: 'question',
      text: 'Hvad med parkringen?',
      displayName: 'Kort nr. 7',
    });
    expect(post).toMatchObject({
      status: 'visible',
      isFromRoom: true,
      displayName: 'Kort nr. 7',
      history: [],
    });
    const edited = await moderator.must('post:edit', {
      sessionId: session.id,
      commandId: commandId(),
      postId: post.id,
      version: post.version,
      text: 'Hvad med parkeringen?',
    });
    expect(edited.post).toMatchObject({
      text: 'Hvad med parkeringen?',
      version: 2,
      history: [{ text: 'Hvad med parkringen?' }],
    });
    await waitFor('the reader to see the corrected text with its history', () =>
      reader.updates.some(
        (u) =>
          u.name === 'post:updated' &&
          (u.payload.post as { history: unknown[] }).history.length === 1,
      ),
    );
    const stale = await moderator.call('post:edit', {
      sessionId: session.id,
      commandId: commandId(),
      postId: post.id,
      version: 1,
      text: 'Noget andet',
    });
    expect(stale).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect((await t.store.getPost(session.id, post.id))?.authorDevice).toBeNull();
    const attendeeTry = await reader.call('post:create-from-room', {
      sessionId: session.id,
      commandId: commandId(),
      kind: 'idea',
      text: 'x',
    });
    expect(attendeeTry).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('[S6] under pre-moderation a pending post never reaches an attendee: not live, not by catch-up, not in a snapshot', async () => {
    const { session, moderatorToken } = await t.createSession({ moderation: 'pre' });
    const moderator = await t.client({ staff: moderatorToken });
    const watcher = await t.attendee();
    const wall = await t.client();
    const author = await t.attendee();
    const joins = await Promise.all(
      [moderator, watcher, wall, author].map((c) =>
        c.must('session:join', { sessionId: session.id }),
      ),
    );
    expect(joins[0]!.streams.staff).toBeDefined();
    expect(joins[1]!.streams.staff).toBeUndefined();
    expect(joins[2]!.streams.private).toBeUndefined();

    const secret = 'Afventer godkendelse: hemmelig tekst';
    const { post } = await author.must('post:create', {
      sessionId: session.id,
      commandId: commandId(),
      kind: 'idea',
      text: secret,
    });
    expect(post.status).toBe('pending');
    await waitFor('the staff stream to carry the pending post', () =>
      moderator.updates.some((u) => u.name === 'post:created' && u.payload.stream === 'staff'),
    );
    await waitFor('the author to get it privately', () =>
      author.updates.some((u) => u.name === 'post:created' && u.payload.stream === 'private'),
    );

    // A late joiner's snapshot and a catch-up from zero hold nothing of it either.
    const late = await t.attendee();
    const lateJoin = await late.must('session:join', { sessionId: session.id });
    expect(lateJoin.streams.public.posts).toEqual([]);
    const catchup = await watcher.must('stream:catchup', {
      sessionId: session.id,
      stream: 'public',
      afterSeq: 0,
    });
    expect(catchup).toEqual({ kind: 'entries', stream: 'public', entries: [] });
    const denied = await watcher.call('stream:catchup', {
      sessionId: session.id,
      stream: 'staff',
      afterSeq: 0,
    });
    expect(denied.ok ? null : denied.error.code).toBe('forbidden');

    const beforeApproval = [watcher, wall, late].map((c) => c.raw.length);
    // Approval is what lets it out, on the public stream, as number 1.
    await moderator.must('post:approve', {
      sessionId: session.id,
      commandId: commandId(),
      postId: post.id,
      version: post.version,
    });
    await waitFor('the watcher to receive the approved post', () =>
      watcher.updates.some((u) => u.name === 'post:created'),
    );
    const publicUpdate = watcher.updates.find((u) => u.name === 'post:created')!;
    expect(publicUpdate.payload).toMatchObject({
      stream: 'public',
      seq: 1,
      post: { id: post.id, status: 'visible' },
    });

    // Everything the attendees' sockets received before approval, byte for byte, lacks the text.
    [watcher, wall, late].forEach((client, i) => {
      const received = client.raw.slice(0, beforeApproval[i]).join('\n');
      expect(received).toContain(session.id); // the capture works: the join acknowledgement is in it
      expect(received).not.toContain(secret);
      expect(received).not.toContain(post.id);
    });
  });

  it('[S4] a reconnecting client catches up on exactly the entries it missed', async () => {
    const { session } = await t.createSession();
    const reader = await t.attendee();
    const join = await reader.must('session:join', { sessionId: session.id });
    const author = await t.attendee();
    await author.must('session:join', { sessionId: session.id });
    await author.must('post:create', {
      sessionId: session.id,
      commandId: commandId(),
      kind: 'question',
      text: 'Første',
    });
    await waitFor('the first post live', () =>
      reader.updates.some((u) => u.name === 'post:created'),
    );
    const lastSeen = Math.max(
      ...reader.updates
        .filter((u) => u.payload.stream === 'public')
        .map((u) => Number(u.payload.seq)),
    );
    reader.close();
    for (const text of ['Anden', 'Tredje', 'Fjerde'])
      await author.must('post:create', {
        sessionId: session.id,
        commandId: commandId(),
        kind: 'idea',
        text,
      });
    const back = await t.client({ device: reader.deviceToken });
    const missed = await back.must('stream:catchup', {
      sessionId: session.id,
      stream: 'public',
      afterSeq: lastSeen,
    });
    expect(missed.kind).toBe('entries');
    if (missed.kind !== 'entries') return;
    expect(missed.entries.map((e) => e.seq)).toEqual([lastSeen + 1, lastSeen + 2, lastSeen + 3]);
    expect(
      missed.entries.map((e) => (e.update.type === 'post:created' ? e.update.post.text : null)),
    ).toEqual(['Anden', 'Tredje', 'Fjerde']);
    expect(join.streams.public.seq).toBe(0);
  });

  it('[M4] two moderators acting on one version: the second gets conflict and the current post', async () => {
    const { session, moderatorToken } = await t.createSession({ moderation: 'pre' });
    const author = await t.attendee();
    const { post } = await author.must('post:create', {
      sessionId: session.id,
      commandId: commandId(),
      kind: 'question',
      text: 'Hvem bestemmer?',
    });
    const [first, second] = [
      await t.client({ staff: moderatorToken }),
      await t.client({ staff: t.organiserToken }),
    ];
    await first.must('post:approve', {
      sessionId: session.id,
      commandId: commandId(),
      postId: post.id,
      version: 1,
    });
    const late = await second.call('post:hide', {
      sessionId: session.id,
      commandId: commandId(),
      postId: post.id,
      version: 1,
      reason: 'dublet',
    });
    expect(late.ok).toBe(false);
    if (late.ok) return;
    expect(late.error.code).toBe('conflict');
    expect(late.error.details?.current).toMatchObject({
      id: post.id,
      status: 'visible',
      version: 2,
    });
  });

  it('[M3] highlighting a post takes the highlight off the previous one, on every stream', async () => {
    const { session, moderatorToken } = await t.createSession();
    const author = await t.attendee();
    const a = (
      await author.must('post:create', {
        sessionId: session.id,
        commandId: commandId(),
        kind: 'question',
        text: 'A',
      })
    ).post;
    const b = (
      await author.must('post:create', {
        sessionId: session.id,
        commandId: commandId(),
        kind: 'question',
        text: 'B',
      })
    ).post;
    const moderator = await t.client({ staff: moderatorToken });
    await moderator.must('post:highlight', {
      sessionId: session.id,
      commandId: commandId(),
      postId: a.id,
      version: a.version,
    });
    await moderator.must('post:highlight', {
      sessionId: session.id,
      commandId: commandId(),
      postId: b.id,
      version: b.version,
    });
    const posts = await t.store.listPosts(session.id);
    expect(posts.map((p) => [p.text, p.isHighlighted])).toEqual([
      ['A', false],
      ['B', true],
    ]);
  });

  it('[M3] [M4] moderators highlighting different posts at the same moment all succeed, and one post ends highlighted', async () => {
    const { session, moderatorToken } = await t.createSession();
    const author = await t.attendee();
    const posts: { id: string; version: number }[] = [];
    for (const text of ['A', 'B', 'C', 'D']) {
      const { post } = await author.must('post:create', {
        sessionId: session.id,
        commandId: commandId(),
        kind: 'question',
        text,
      });
      posts.push(post);
    }
    const moderators = await Promise.all([1, 2, 3].map(() => t.client({ staff: moderatorToken })));
    await moderators[0]!.must('post:highlight', {
      sessionId: session.id,
      commandId: commandId(),
      postId: posts[0]!.id,
      version: posts[0]!.version,
    });
    // Each vouches for the version of the post it highlights; the previous highlight, which
    // every one of them takes off, moves under the others' feet.
    const results = await Promise.all(
      moderators.map((moderator, i) =>
        moderator.call('post:highlight', {
          sessionId: session.id,
          commandId: commandId(),
          postId: posts[i + 1]!.id,
          version: posts[i + 1]!.version,
        }),
      ),
    );
    expect(results.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(['ok', 'ok', 'ok']);
    const stored = await t.store.listPosts(session.id);
    expect(stored.filter((p) => p.isHighlighted)).toHaveLength(1);
    expect(stored.find((p) => p.text === 'A')!.isHighlighted).toBe(false);
  });

  it('[V2] [V3] votes and reactions arrive as coalesced absolute counts; hidden vote counts never reach attendees', async () => {
    const { session, moderatorToken } = await t.createSession();
    const author = await t.attendee();
    const voter = await t.attendee();
    const moderator = await t.client({ staff: moderatorToken });
    for (const c of [author, voter, moderator])
      await c.must('session:join', { sessionId: session.id });
    const { post } = await author.must('post:create', {
      sessionId: session.id,
      commandId: commandId(),
      kind: 'question',
      text: 'Stem på mig',
    });
    await voter.must('post:upvote', {
      sessionId: session.id,
      commandId: commandId(),
      postId: post.id,
      isOn: true,
    });
    await voter.must('post:upvote', {
      sessionId: session.id,
      commandId: commandId(),
      postId: post.id,
      isOn: true,
    });
    await author.must('post:upvote', {
      sessionId: session.id,
      commandId: commandId(),
      postId: post.id,
      isOn: true,
    });
    for (let i = 0; i < 5; i++)
      await voter.must('reaction:send', {
        sessionId: session.id,
        commandId: commandId(),
        reaction: 'applause',
      });
    const tap = { sessionId: session.id, commandId: commandId(), reaction: 'heart' as const };
    await voter.must('reaction:send', tap);
    await voter.must('reaction:send', tap);
    const latest = (c: typeof voter) =>
      [...c.updates].reverse().find((u) => u.name === 'counts')?.payload;
    await waitFor(
      'exact counts at the author',
      () =>
        JSON.stringify(latest(author)) ===
        JSON.stringify({
          sessionId: session.id,
          reactions: { applause: 5, heart: 1 },
          // Nobody has seen the post on a wall or a first screen yet [FV3].
          exposure: {},
          votes: { [post.id]: 2 },
        }),
    );

    const { session: current } = await moderator.must('session:join', { sessionId: session.id });
    await moderator.must('session:configure', {
      sessionId: session.id,
      commandId: commandId(),
      version: current.version,
      settings: { hideVotes: true },
    });
    const mark = author.raw.length;
    const moderatorMark = moderator.updates.length;
    await voter.must('post:upvote', {
      sessionId: session.id,
      commandId: commandId(),
      postId: post.id,
      isOn: false,
    });
    await waitFor('the moderator to see the new vote count', () =>
      moderator.updates
        .slice(moderatorMark)
        .some(
          (u) =>
            u.name === 'counts' &&
            JSON.stringify(u.payload.votes) === JSON.stringify({ [post.id]: 1 }),
        ),
    );
    await waitFor('the author to get counts without votes', () =>
      author.updates.some((u) => u.name === 'counts' && !('votes' in u.payload)),
    );
    expect(author.raw.slice(mark).filter((r) => r.includes('"votes"'))).toEqual([]);
    const rejoin = await author.must('session:join', { sessionId: session.id });
    expect(rejoin.counts.votes).toBeUndefined();
    expect(rejoin.myVotes).toEqual([post.id]);
  });

  it('[I3] an acknowledged post survives closing and reopening the store', async () => {
    const { session } = await t.createSession();
    const author = await t.attendee();
    const { post } = await author.must('post:create', {
      sessionId: session.id,
      commandId: commandId(),
      kind: 'idea',
      text: 'Gem mig',
    });
    await t.close();
    await t.store.close();
    const reopened = await testStore.reopen();
    expect(await reopened.getPost(session.id, post.id)).toMatchObject({ text: 'Gem mig' });
    t = await startTestApp(reopened);
  });

  it('[T4] [T6] a client with another protocol version or a foreign Origin is refused at the handshake', async () => {
    const refused = (auth: Record<string, unknown>, headers?: Record<string, string>) =>
      new Promise<string>((resolve) => {
        const socket = connect(t.url, {
          auth,
          transports: ['websocket'],
          reconnection: false,
          forceNew: true,
          extraHeaders: headers,
        });
        socket.on('connect', () => {
          socket.close();
          resolve('connected');
        });
        socket.on('connect_error', (error) => {
          socket.close();
          resolve(error.message);
        });
      });
    expect(await refused({ v: PROTOCOL_VERSION + 1 })).toBe('protocol_mismatch');
    expect(await refused({})).toBe('invalid_handshake');
    expect(await refused({ v: PROTOCOL_VERSION }, { origin: 'http://evil.example' })).not.toBe(
      'connected',
    );
    expect(await refused({ v: PROTOCOL_VERSION }, { origin: 'http://allowed.example' })).toBe(
      'connected',
    );
  });
});

describe('[T2] rate limits', () => {
  let testStore: TestStore;
  let t: TestApp;
  beforeEach(async () => {
    testStore = await makeTestStore('sqlite');
    t = await startTestApp(testStore.store, { rateLimits: true });
  });
  afterEach(async () => {
    await t.close();
    await testStore.cleanup();
  });

  it('a device that posts too fast is told when to try again; replays and other devices are not held back', async () => {
    const { session } = await t.createSession();
    const eager = await t.attendee();
    const results = [];
    const first = {
      sessionId: session.id,
      commandId: commandId(),
      kind: 'question' as const,
      text: 'Nummer 0',
    };
    results.push(await eager.call('post:create', first));
    for (let i = 1; i < 7; i++)
      results.push(
        await eager.call('post:create', { ...first, commandId: commandId(), text: `Nummer ${i}` }),
      );
    expect(results.slice(0, 5).every((r) => r.ok)).toBe(true);
    const refused = results[5]!;
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'rate_limited', details: { retryAfterMs: expect.any(Number) } },
    });
    expect(refused.ok ? 0 : (refused.error.details?.retryAfterMs as number)).toBeGreaterThan(0);
    // The outbox resending an acknowledged post after a reconnect is answered, not limited.
    expect(await eager.call('post:create', first)).toEqual(results[0]);
    const calm = await t.attendee();
    expect((await calm.call('post:create', { ...first, commandId: commandId() })).ok).toBe(true);
    expect(await t.store.listPosts(session.id)).toHaveLength(6);
  });
});
