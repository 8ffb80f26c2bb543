/**
 * SessionConnection against the real server (real store, real Socket.IO), the way a phone,
 * a wall and a moderator's laptop use it: snapshots and live updates, private and staff
 * streams, lost updates, a restarted server, a reloaded page, two moderators at once.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import { privateStream, streamPosts } from '@gt/core';
import type { DeviceId, StreamKey } from '@gt/core';
import {
  STORE_KINDS,
  commandId,
  makeTestStore,
  startTestApp,
  waitFor,
} from '../../../../server/src/testing/test-app.js';
import type { TestApp, TestStore } from '../../../../server/src/testing/test-app.js';
import { ManualLifecycle } from './lifecycle.js';
import { MemoryOutboxStorage } from './outbox-storage.js';
import { StaffConnection } from './staff-connection.js';
import type { SessionConnectionOptions, SocketFactory } from './session-connection.js';
import type { PostWire } from './types.js';

type Sent = { name: string; payload: Record<string, unknown> };

/**
 * A socket factory that records every command sent and can lose messages on purpose: drop an
 * update before the connection sees it, or let a command through and lose its answer.
 */
function tap(
  rules: {
    dropUpdate?: (name: string, payload: Record<string, unknown>) => boolean;
    dropAck?: (name: string) => boolean;
  } = {},
) {
  const sent: Sent[] = [];
  const dropped: Sent[] = [];
  const createSocket: SocketFactory = (url, options) => {
    const socket = io(url, options);
    const on = socket.on.bind(socket) as (name: string, fn: (...args: unknown[]) => void) => void;
    (socket as { on: unknown }).on = (name: string, listener: (...args: unknown[]) => void) => {
      on(name, (...args: unknown[]) => {
        const payload = args[0] as Record<string, unknown>;
        if (rules.dropUpdate?.(name, payload)) dropped.push({ name, payload });
        else listener(...args);
      });
      return socket;
    };
    const emitWithAck = socket.emitWithAck.bind(socket) as (n: string, p: unknown) => unknown;
    (socket as { emitWithAck: unknown }).emitWithAck = (
      name: string,
      payload: Record<string, unknown>,
    ) => {
      sent.push({ name, payload });
      if (!rules.dropAck?.(name)) return emitWithAck(name, payload);
      // The server gets it and answers; the answer is lost on the way back.
      (socket.emit as (n: string, p: unknown, ack: () => void) => void)(name, payload, () => {});
      return new Promise((_, reject) => setTimeout(() => reject(new Error('timed out')), 100));
    };
    return socket;
  };
  return { sent, dropped, createSocket };
}

const textsOf = (posts: readonly PostWire[]) => posts.map((p) => p.text).sort();
const withoutMine = (posts: readonly (PostWire & { isMine: boolean })[]) =>
  posts.map(({ isMine: _isMine, ...post }) => post);
const byId = (a: PostWire, b: PostWire) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

describe.each(STORE_KINDS)('SessionConnection against the real server on %s', (kind) => {
  let testStore: TestStore;
  let t: TestApp;
  const connections: StaffConnection[] = [];

  beforeEach(async () => {
    testStore = await makeTestStore(kind);
    t = await startTestApp(testStore.store);
  });
  afterEach(async () => {
    for (const c of connections.splice(0)) c.close();
    await t.close();
    await testStore.cleanup();
  });

  function connect(options: Omit<SessionConnectionOptions, 'url'>): StaffConnection {
    const connection = new StaffConnection({ url: t.url, lifecycle: null, ...options });
    connections.push(connection);
    return connection;
  }
  const device = () => t.app.service.registerDevice();
  const online = (c: StaffConnection) =>
    waitFor(`${c.sessionId} online`, () => c.status === 'online');

  /** The server's own idea of a stream: its head and its posts in that stream's view. */
  async function serverStream(sessionId: string, key: StreamKey) {
    const snap = await t.store.snapshot(sessionId, [key]);
    return { seq: snap.heads[key] ?? 0, posts: streamPosts(key, snap.posts).sort(byId) };
  }

  async function raw(sessionId: string, token?: string) {
    const client = token ? await t.client({ device: token }) : await t.attendee();
    const create = async (text: string) =>
      (
        await client.must('post:create', {
          sessionId,
          commandId: commandId(),
          kind: 'question',
          text,
        })
      ).post;
    return { client, create };
  }

  it('[S3] a new connection takes the snapshot, then applies live updates in order, and ends equal to the server', async () => {
    const { session, moderatorToken } = await t.createSession();
    const author = await raw(session.id);
    await author.create('Første');
    const second = await author.create('Anden');

    const reader = connect({ sessionId: session.id, deviceToken: device().deviceToken });
    await online(reader);
    expect(reader.lastSeq).toEqual({ public: 2, private: 0 });
    expect(textsOf(reader.view.posts)).toEqual(['Anden', 'Første']);

    const moderator = await t.client({ staff: moderatorToken });
    for (const text of ['Tredje', 'Fjerde', 'Femte']) await author.create(text);
    await moderator.must('post:hide', {
      sessionId: session.id,
      commandId: commandId(),
      postId: second.id,
      version: second.version,
      reason: 'dublet',
    });
    await author.client.must('post:upvote', {
      sessionId: session.id,
      commandId: commandId(),
      postId: (await author.create('Sjette')).id,
      isOn: true,
    });

    const server = await serverStream(session.id, 'public');
    expect(server.seq).toBe(7);
    await waitFor('the reader to reach the server head', () => reader.lastSeq.public === 7);
    expect(withoutMine(reader.view.posts).sort(byId)).toEqual(server.posts);
    expect(textsOf(reader.view.posts)).toEqual(['Femte', 'Fjerde', 'Første', 'Sjette', 'Tredje']);
    await waitFor('the vote count', () =>
      Object.values(reader.view.counts.votes ?? {}).includes(1),
    );
  });

  it('[S6] a pending post reaches its author (with its status) and the moderator, never another attendee or the wall', async () => {
    const { session, moderatorToken } = await t.createSession({ moderation: 'pre' });
    const author = connect({ sessionId: session.id, deviceToken: device().deviceToken });
    const moderator = connect({ sessionId: session.id, staffToken: moderatorToken });
    const other = connect({ sessionId: session.id, deviceToken: device().deviceToken });
    const wall = connect({ sessionId: session.id });
    await Promise.all([author, moderator, other, wall].map(online));
    expect(moderator.view.you?.staff).toBe('moderator');
    expect(Object.keys(wall.lastSeq)).toEqual(['public']);

    const item = author.post({ kind: 'idea', text: 'Hemmelig indtil godkendt' });
    expect(author.view.outbox.map((i) => i.state)).toEqual(['sending']);
    const result = await author.settled<'post:create'>(item.commandId);
    expect(result.ok).toBe(true);
    const postId = result.ok ? result.data.post.id : '';

    await waitFor('the author to see it pending, as theirs', () =>
      author.view.posts.some(
        (p) => p.id === postId && p.status === 'pending' && p.isMine && p.heldReason !== null,
      ),
    );
    await waitFor('the private stream to carry it', () => author.lastSeq.private === 1);
    await waitFor('the moderator to see it pending', () =>
      moderator.view.posts.some((p) => p.id === postId && p.status === 'pending'),
    );
    // Catch up on purpose: the attendee's and the wall's replicas are as current as can be.
    await Promise.all([other.resync(), wall.resync()]);
    for (const c of [other, wall]) {
      expect(c.view.posts).toEqual([]);
      expect(c.lastSeq.public).toBe(0);
    }

    const pending = moderator.view.posts.find((p) => p.id === postId)!;
    expect((await moderator.moderate('approve', pending)).ok).toBe(true);
    await waitFor('the other attendee and the wall to see it once approved', () =>
      [other, wall].every((c) =>
        c.view.posts.some((p) => p.id === postId && p.status === 'visible' && !p.isMine),
      ),
    );
    await waitFor('the author to see it visible', () =>
      author.view.posts.some((p) => p.id === postId && p.status === 'visible' && p.isMine),
    );
    expect(author.view.posts).toHaveLength(1);
  });

  it('[S4] a lost update is noticed at the next one and filled in by catch-up', async () => {
    const { session } = await t.createSession();
    let isDropping = true;
    const tapped = tap({
      dropUpdate: (name, p) => {
        const drop = isDropping && name === 'post:created' && p.stream === 'public' && p.seq === 2;
        if (drop) isDropping = false;
        return drop;
      },
    });
    const reader = connect({
      sessionId: session.id,
      deviceToken: device().deviceToken,
      createSocket: tapped.createSocket,
    });
    await online(reader);
    const author = await raw(session.id);
    for (const text of ['En', 'To', 'Tre', 'Fire']) await author.create(text);

    const server = await serverStream(session.id, 'public');
    await waitFor('the reader to reach the server head', () => reader.lastSeq.public === 4);
    expect(tapped.dropped.map((d) => d.payload.seq)).toEqual([2]);
    expect(
      tapped.sent
        .filter((s) => s.name === 'stream:catchup')
        .map((s) => [s.payload.stream, s.payload.afterSeq]),
    ).toEqual([['public', 1]]);
    expect(withoutMine(reader.view.posts).sort(byId)).toEqual(server.posts);
  });

  it('[S4] a lost last update is recovered when the page comes back to the foreground', async () => {
    const { session, moderatorToken } = await t.createSession();
    const lifecycle = new ManualLifecycle();
    // Pinning changes the post on the staff and the public stream: lose both updates.
    const tapped = tap({ dropUpdate: (name) => name === 'post:updated' });
    const moderator = connect({
      sessionId: session.id,
      staffToken: moderatorToken,
      lifecycle,
      createSocket: tapped.createSocket,
    });
    await online(moderator);
    const post = await (await raw(session.id)).create('Bliv fremhævet');
    await waitFor('the moderator to see the post', () => moderator.lastSeq.staff === 1);
    const admin = await t.client({ staff: t.organiserToken });
    await admin.must('post:pin', {
      sessionId: session.id,
      commandId: commandId(),
      postId: post.id,
      version: post.version,
    });
    await waitFor('the pin updates to be lost', () => tapped.dropped.length === 2);
    expect(moderator.lastSeq).toEqual({ public: 1, staff: 1 });

    lifecycle.fire('visible');
    await waitFor(
      'the moderator to catch up',
      () => moderator.lastSeq.staff === 2 && moderator.lastSeq.public === 2,
    );
    expect(moderator.view.posts.find((p) => p.id === post.id)).toMatchObject({
      isPinned: true,
      version: 2,
    });
    const server = await serverStream(session.id, 'staff');
    expect(withoutMine(moderator.view.posts)).toEqual(server.posts);
  });

  it('[S8] back on a restarted server, the connection resumes every stream from the seq it held and ends equal to the server', async () => {
    const { session, moderatorToken } = await t.createSession();
    const author = await raw(session.id);
    await author.create('Første');
    const doomed = await author.create('Anden');
    const { deviceId, deviceToken } = device();
    const wire = tap();
    const reader = connect({ sessionId: session.id, deviceToken, createSocket: wire.createSocket });
    await online(reader);
    const mine = (await reader.post({ kind: 'idea', text: 'Min egen' })).commandId;
    expect((await reader.settled(mine)).ok).toBe(true);
    await waitFor('the reader to hold its own post', () => reader.lastSeq.private === 1);
    const held = { ...reader.lastSeq };
    const port = Number(new URL(t.url).port);

    // Down: meanwhile another node of the same data takes a post and hides one.
    await t.close();
    await waitFor('the reader to notice', () => reader.status === 'offline');
    const other = await startTestApp(testStore.store);
    const author2 = await other.attendee();
    await author2.must('post:create', {
      sessionId: session.id,
      commandId: commandId(),
      kind: 'question',
      text: 'Tredje',
    });
    const staff = await other.client({ staff: moderatorToken });
    await staff.must('post:hide', {
      sessionId: session.id,
      commandId: commandId(),
      postId: doomed.id,
      version: doomed.version,
      reason: 'dublet',
    });
    await other.close();

    t = await startTestApp(testStore.store, { port });
    await waitFor('the reader to reach the server head', async () => {
      const server = await serverStream(session.id, 'public');
      return reader.status === 'online' && reader.lastSeq.public === server.seq;
    });
    const joins = wire.sent.filter((c) => c.name === 'session:join');
    expect(joins[0]!.payload).toEqual({ sessionId: session.id });
    expect(joins.at(-1)!.payload).toEqual({
      sessionId: session.id,
      resume: { public: held.public, private: held.private },
    });
    const server = await serverStream(session.id, 'public');
    expect(withoutMine(reader.view.posts.filter((p) => !p.isMine)).sort(byId)).toEqual(
      server.posts.filter((p) => p.text !== 'Min egen'),
    );
    expect(textsOf(reader.view.posts)).toEqual(['Første', 'Min egen', 'Tredje']);
    const ownStream = await serverStream(session.id, privateStream(deviceId as DeviceId));
    expect(reader.lastSeq.private).toBe(ownStream.seq);
  });

  it('[I2] actions queued while the server is down are sent once it is back on the same port, each applied once', async () => {
    const { session } = await t.createSession();
    const target = await (await raw(session.id)).create('Stem på mig');
    const { deviceId, deviceToken } = device();
    const phone = connect({ sessionId: session.id, deviceToken });
    await online(phone);
    const port = Number(new URL(t.url).port);

    await t.close();
    await waitFor('the phone to notice', () => phone.status === 'offline');
    const items = [
      phone.post({ kind: 'question', text: 'Sendt uden net' }),
      phone.post({ kind: 'idea', text: 'Også uden net', displayName: 'Mette' }),
      phone.upvote(target.id),
      phone.react('applause'),
    ];
    expect(phone.view.outbox.map((i) => [i.name, i.state])).toEqual([
      ['post:create', 'sending'],
      ['post:create', 'sending'],
      ['post:upvote', 'sending'],
      ['reaction:send', 'sending'],
    ]);
    expect(phone.view.myVotes.has(target.id)).toBe(true);

    // A new process over the same data, on the same address; the phone finds it by itself.
    t = await startTestApp(testStore.store, { port });
    const outcomes = await Promise.all(items.map((i) => phone.settled(i.commandId)));
    expect(outcomes.map((o) => o.ok)).toEqual([true, true, true, true]);
    await waitFor('the outbox to drain', () => phone.view.outbox.length === 0);

    const posts = await t.store.listPosts(session.id);
    expect(posts.map((p) => p.text).sort()).toEqual([
      'Også uden net',
      'Sendt uden net',
      'Stem på mig',
    ]);
    expect((await t.store.getCounts(session.id)).votes[target.id]).toBe(1);
    await waitFor('one applause', async () => {
      const counts = await t.app.service.countsFor((await t.store.getSession(session.id))!, true);
      return counts.reactions.applause === 1;
    });
    await waitFor(
      'the phone to show its posts and vote',
      () =>
        phone.view.posts.filter((p) => p.isMine).length === 2 && phone.view.myVotes.has(target.id),
    );
    const mine = await serverStream(session.id, privateStream(deviceId as DeviceId));
    await waitFor('the private stream to be current', () => phone.lastSeq.private === mine.seq);
  });

  it('[I2] a reloaded page resends its pending actions with the same command ids, and the server stores each post once', async () => {
    const { session } = await t.createSession();
    const storage = new MemoryOutboxStorage();
    const { deviceToken } = device();
    const first = tap({ dropAck: (name) => name === 'post:create' });
    const before = connect({
      sessionId: session.id,
      deviceToken,
      storage,
      createSocket: first.createSocket,
    });
    await online(before);
    before.post({ kind: 'question', text: 'Svaret gik tabt' });
    before.post({ kind: 'question', text: 'Også dette svar' });
    const idsBefore = before.view.outbox.map((i) => i.commandId);
    // The server stores the first, the answer is lost; the outbox keeps the order, so it sends
    // the first again (same id: no second post) rather than the second. Then the page reloads.
    const sentCreates = () => first.sent.filter((s) => s.name === 'post:create');
    await waitFor('a resend of the first action', () => sentCreates().length >= 2);
    expect(new Set(sentCreates().map((s) => s.payload.commandId))).toEqual(new Set([idsBefore[0]]));
    expect((await t.store.listPosts(session.id)).map((p) => p.text)).toEqual(['Svaret gik tabt']);
    before.close();

    const second = tap();
    const after = connect({
      sessionId: session.id,
      deviceToken,
      storage,
      createSocket: second.createSocket,
    });
    expect(after.view.outbox.map((i) => [i.commandId, i.state])).toEqual(
      idsBefore.map((id) => [id, 'sending']),
    );
    await waitFor('the outbox to drain', () => after.view.outbox.length === 0);
    expect(
      second.sent.filter((s) => s.name === 'post:create').map((s) => s.payload.commandId),
    ).toEqual(idsBefore);
    expect((await t.store.listPosts(session.id)).map((p) => p.text).sort()).toEqual([
      'Også dette svar',
      'Svaret gik tabt',
    ]);
    await waitFor(
      'both posts shown as the phone\u2019s own',
      () => after.view.posts.filter((p) => p.isMine).length === 2,
    );
  });

  it('[I2] two tabs sharing one outbox get the post stored once', async () => {
    const { session } = await t.createSession();
    const storage = new MemoryOutboxStorage();
    const { deviceToken } = device();
    const tabs = [1, 2].map(() => connect({ sessionId: session.id, deviceToken, storage }));
    await Promise.all(tabs.map(online));
    tabs[0]!.post({ kind: 'idea', text: 'Kun én gang' });
    await waitFor('both tabs to be done', () => tabs.every((tab) => tab.view.outbox.length === 0));
    await waitFor('both tabs to show the post', () =>
      tabs.every((tab) => tab.view.posts.some((p) => p.text === 'Kun én gang' && p.isMine)),
    );
    expect(await t.store.listPosts(session.id)).toHaveLength(1);
  });

  it('[P8] [MC5] a floor question typed while the server is down goes through the staff outbox once it is back, marked from the room', async () => {
    const { session, moderatorToken } = await t.createSession({ moderation: 'pre' });
    const storage = new MemoryOutboxStorage();
    const laptop = connect({ sessionId: session.id, staffToken: moderatorToken, storage });
    await online(laptop);
    const port = Number(new URL(t.url).port);

    await t.close();
    await waitFor('the laptop to notice', () => laptop.status === 'offline');
    const item = laptop.postFromRoom({
      kind: 'question',
      text: 'Spurgt højt: hvad med skolevejen?',
      displayName: 'Karen fra 3. række',
    });
    expect(laptop.view.outbox.map((i) => [i.name, i.state])).toEqual([
      ['post:create-from-room', 'sending'],
    ]);

    t = await startTestApp(testStore.store, { port });
    const outcome = await laptop.settled(item.commandId);
    expect(outcome.ok).toBe(true);
    const posts = await t.store.listPosts(session.id);
    expect(posts).toHaveLength(1);
    // Visible at once even under pre-moderation, marked from the room, with no device.
    expect(posts[0]).toMatchObject({
      text: 'Spurgt højt: hvad med skolevejen?',
      displayName: 'Karen fra 3. række',
      status: 'visible',
      isFromRoom: true,
    });
    await waitFor('the console to show it', () =>
      laptop.view.posts.some((p) => p.isFromRoom && p.status === 'visible'),
    );
    expect(laptop.view.outbox).toEqual([]);
  });

  it('[M7] a moderator corrects a post through the connection; the original wording stays in the history', async () => {
    const { session, moderatorToken } = await t.createSession({ moderation: 'post' });
    const post = await (await raw(session.id)).create('Hvornår kommer cykelstien til Vangede?');
    const laptop = connect({ sessionId: session.id, staffToken: moderatorToken });
    await online(laptop);
    const result = await laptop.moderate('edit', post, {
      text: 'Hvornår kommer cykelstien til Vangede Bygade?',
    });
    expect(result.ok).toBe(true);
    expect(laptop.view.posts.find((p) => p.id === post.id)).toMatchObject({
      text: 'Hvornår kommer cykelstien til Vangede Bygade?',
      version: 2,
      history: [expect.objectContaining({ text: 'Hvornår kommer cykelstien til Vangede?' })],
    });
  });

  it('[M4] a moderator acting on a stale version gets the current post, and the next action uses it', async () => {
    const { session, moderatorToken } = await t.createSession({ moderation: 'pre' });
    const post = await (await raw(session.id)).create('Hvem bestemmer?');
    // This moderator's laptop misses the colleague's approval.
    const tapped = tap({
      dropUpdate: (name, p) => name === 'post:updated' && p.stream === 'staff' && p.seq === 2,
    });
    const late = connect({
      sessionId: session.id,
      staffToken: moderatorToken,
      createSocket: tapped.createSocket,
    });
    await online(late);
    const colleague = await t.client({ staff: t.organiserToken });
    await colleague.must('post:approve', {
      sessionId: session.id,
      commandId: commandId(),
      postId: post.id,
      version: 1,
    });
    await waitFor('the approval to be lost', () => tapped.dropped.length === 1);
    const seen = late.view.posts.find((p) => p.id === post.id)!;
    expect(seen).toMatchObject({ status: 'pending', version: 1 });

    const stale = await late.moderate('hide', seen, { reason: 'off topic' });
    expect(stale.ok ? null : stale.error.code).toBe('conflict');
    const current = late.view.posts.find((p) => p.id === post.id)!;
    expect(current).toMatchObject({ status: 'visible', version: 2 });

    const again = await late.moderate('hide', current, { reason: 'off topic' });
    expect(again.ok).toBe(true);
    expect(late.view.posts.find((p) => p.id === post.id)).toMatchObject({
      status: 'hidden',
      hideReason: 'off topic',
      version: 3,
    });
    // The hide's own update reveals the hole left by the lost approval; catch-up fills it.
    const server = await serverStream(session.id, 'staff');
    await waitFor('the staff replica to reach the head', () => late.lastSeq.staff === server.seq);
    expect(withoutMine(late.view.posts)).toEqual(server.posts);
  });
});

// The rate limiter lives in the server's memory, whatever the store: one store suffices.
describe('SessionConnection against a rate-limited server', () => {
  let testStore: TestStore;
  let t: TestApp;
  let phone: StaffConnection | null = null;

  beforeEach(async () => {
    testStore = await makeTestStore('sqlite');
    t = await startTestApp(testStore.store, { rateLimits: true });
  });
  afterEach(async () => {
    phone?.close();
    await t.close();
    await testStore.cleanup();
  });

  it('[AP8] [T2] a post refused as rate_limited waits as long as the server said, then goes out by itself, once', async () => {
    const { session } = await t.createSession({ moderation: 'post' });
    const { deviceToken } = t.app.service.registerDevice();
    const wire = tap();
    phone = new StaffConnection({
      url: t.url,
      lifecycle: null,
      sessionId: session.id,
      deviceToken,
      createSocket: wire.createSocket,
      storage: new MemoryOutboxStorage(),
    });
    await waitFor('online', () => phone!.status === 'online');
    // The per-device limit: five posts a minute (server/src/services/rate-limits.ts).
    for (let n = 1; n <= 5; n += 1) {
      const item = phone.post({ kind: 'question', text: `Spørgsmål nummer ${n}` });
      expect((await phone.settled(item.commandId)).ok).toBe(true);
    }
    const over = phone.post({ kind: 'question', text: 'Spørgsmål nummer 6' });
    await waitFor('the refusal', () =>
      phone!.view.outbox.some((i) => i.commandId === over.commandId && i.retryAt !== undefined),
    );
    const waiting = phone.view.outbox.find((i) => i.commandId === over.commandId)!;
    expect(waiting.state).toBe('sending');
    const sentBefore = wire.sent.filter((c) => c.payload.commandId === over.commandId).length;
    expect(sentBefore).toBe(1);
    expect((await t.store.listPosts(session.id)).map((p) => p.text)).not.toContain(
      'Spørgsmål nummer 6',
    );

    // It goes out by itself once the server's window has passed, and not before.
    expect((await phone.settled(over.commandId)).ok).toBe(true);
    const attempts = wire.sent.filter((c) => c.payload.commandId === over.commandId).length;
    expect(attempts).toBe(2);
    expect(Date.now()).toBeGreaterThanOrEqual(waiting.retryAt!);
    const texts = (await t.store.listPosts(session.id)).map((p) => p.text);
    expect(texts.filter((text) => text === 'Spørgsmål nummer 6')).toHaveLength(1);
    expect(texts).toHaveLength(6);
  }, 120_000);
});
