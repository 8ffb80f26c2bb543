/**
 * The connection's ordering rules with a scripted socket, for the interleavings a real
 * server produces only by chance: updates that overtake the join acknowledgement, a gap that
 * closes by itself, a server that closes the socket on purpose. The real thing is exercised
 * in session-connection.int.test.ts.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS, ID_PATTERN } from '@gt/core';
import { StaffConnection } from './staff-connection.js';
import type { ClientSocket } from './session-connection.js';
import type { JoinAck, PostWire } from './types.js';
import { postWire } from './testing/post-wire.js';

const SESSION = 'ses_00000001';

const post = postWire;

const joinAck = (publicSeq: number, posts: PostWire[] = []): JoinAck => ({
  session: {
    id: SESSION,
    eventId: 'evt_00000001',
    title: 'Biblioteket',
    joinCode: '123456',
    settings: { ...DEFAULT_SETTINGS, reactions: [] },
    version: 1,
    createdAt: 1,
  },
  you: { deviceId: null, staff: null },
  streams: { public: { seq: publicSeq, posts } },
  counts: { sessionId: SESSION, reactions: {} },
  myVotes: [],
});

type Emitted = {
  name: string;
  payload: Record<string, unknown>;
  answer: (result: unknown) => void;
};

/** Just enough of a Socket.IO client socket, driven by the test. */
class FakeSocket {
  connected = false;
  active = false;
  connects = 0;
  emitted: Emitted[] = [];
  #handlers = new Map<string, ((...args: unknown[]) => void)[]>();

  on(name: string, handler: (...args: unknown[]) => void) {
    this.#handlers.set(name, [...(this.#handlers.get(name) ?? []), handler]);
    return this;
  }
  timeout() {
    return this;
  }
  emitWithAck(name: string, payload: Record<string, unknown>) {
    return new Promise((answer) => this.emitted.push({ name, payload, answer }));
  }
  connect() {
    this.active = true;
    this.connects += 1;
    queueMicrotask(() => {
      this.connected = true;
      this.fire('connect');
    });
    return this;
  }
  disconnect() {
    const was = this.connected;
    this.connected = this.active = false;
    if (was) this.fire('disconnect', 'io client disconnect');
    return this;
  }
  fire(name: string, ...args: unknown[]) {
    for (const handler of this.#handlers.get(name) ?? []) handler(...args);
  }
  /** The server says something on a stream. */
  update(stream: string, seq: number, change: Record<string, unknown>) {
    this.fire(change.type as string, { sessionId: SESSION, stream, seq, ...change });
  }
  async next(name: string): Promise<Emitted> {
    // Generous: a reconnect after a server-side disconnect waits up to 1.5 s (jittered).
    await vi.waitFor(
      () => {
        if (!this.emitted.some((e) => e.name === name)) throw new Error(`no ${name} yet`);
      },
      { timeout: 10_000 },
    );
    const index = this.emitted.findIndex((e) => e.name === name);
    return this.emitted.splice(index, 1)[0]!;
  }
}

function setup(options: { gapHoldMs?: number; initial?: JoinAck } = {}) {
  const socket = new FakeSocket();
  const connection = new StaffConnection({
    sessionId: SESSION,
    lifecycle: null,
    gapHoldMs: options.gapHoldMs ?? 20,
    initial: options.initial,
    createSocket: () => socket as unknown as ClientSocket,
  });
  return { socket, connection };
}

const ids = (c: StaffConnection) => c.view.posts.map((p) => p.id);
const online = (c: StaffConnection) =>
  vi.waitFor(() => expect(c.status).toBe('online'), { timeout: 10_000 });

describe('SessionConnection ordering', () => {
  const open: StaffConnection[] = [];
  afterEach(() => {
    for (const c of open.splice(0)) c.close();
  });
  const track = <T extends { connection: StaffConnection }>(t: T) => {
    open.push(t.connection);
    return t;
  };

  it('buffers updates that overtake the join acknowledgement and drops those the snapshot covers', async () => {
    const { socket, connection } = track(setup());
    const join = await socket.next('session:join');
    expect(join.payload).toEqual({ sessionId: SESSION });
    // The server joined the rooms, then two posts were committed before it read the snapshot,
    // then one after: the acknowledgement covers the first two only.
    socket.update('public', 1, { type: 'post:created', post: post('a') });
    socket.update('public', 2, { type: 'post:created', post: post('b') });
    socket.update('public', 3, { type: 'post:created', post: post('c') });
    expect(connection.view.posts).toEqual([]);
    join.answer({ ok: true, data: joinAck(2, [post('a'), post('b', { text: 'from snapshot' })]) });

    await online(connection);
    expect(connection.lastSeq).toEqual({ public: 3 });
    expect(ids(connection)).toEqual(['a', 'b', 'c']);
    expect(connection.view.posts[1]!.text).toBe('from snapshot');
  });

  it('waits briefly for a missing update, and does not ask when it arrives in time', async () => {
    const { socket, connection } = track(setup({ gapHoldMs: 10_000 }));
    (await socket.next('session:join')).answer({ ok: true, data: joinAck(0) });
    await online(connection);
    socket.update('public', 2, { type: 'post:created', post: post('b') });
    expect(connection.lastSeq.public).toBe(0);
    socket.update('public', 1, { type: 'post:created', post: post('a') });
    expect(connection.lastSeq.public).toBe(2);
    expect(socket.emitted.filter((e) => e.name === 'stream:catchup')).toEqual([]);
  });

  it('asks for what is missing after the hold, and applies the answer in order', async () => {
    const { socket, connection } = track(setup());
    (await socket.next('session:join')).answer({ ok: true, data: joinAck(1, [post('a')]) });
    await online(connection);
    socket.update('public', 4, { type: 'post:created', post: post('d') });

    const catchup = await socket.next('stream:catchup');
    expect(catchup.payload).toEqual({ sessionId: SESSION, stream: 'public', afterSeq: 1 });
    catchup.answer({
      ok: true,
      data: {
        kind: 'entries',
        stream: 'public',
        entries: [
          { seq: 2, update: { type: 'post:created', post: post('b') } },
          { seq: 3, update: { type: 'post:withdrawn', postId: 'a' } },
          { seq: 4, update: { type: 'post:created', post: post('d') } },
        ],
      },
    });
    await vi.waitFor(() => expect(connection.lastSeq.public).toBe(4), { timeout: 10_000 });
    expect(ids(connection)).toEqual(['b', 'd']);
  });

  it('replaces a stream with the snapshot a catch-up may answer with', async () => {
    const { socket, connection } = track(setup());
    (await socket.next('session:join')).answer({ ok: true, data: joinAck(1, [post('a')]) });
    await online(connection);
    socket.update('public', 900, { type: 'post:created', post: post('z') });
    (await socket.next('stream:catchup')).answer({
      ok: true,
      data: { kind: 'snapshot', stream: 'public', snapshot: { seq: 899, posts: [post('y')] } },
    });
    await vi.waitFor(() => expect(connection.lastSeq.public).toBe(900), { timeout: 10_000 });
    expect(ids(connection)).toEqual(['y', 'z']);
  });

  it('takes counts as absolute values, and only for its own session', async () => {
    const { socket, connection } = track(setup());
    (await socket.next('session:join')).answer({ ok: true, data: joinAck(0) });
    await online(connection);
    socket.fire('counts', { sessionId: SESSION, reactions: { heart: 3 }, votes: { a: 2 } });
    socket.fire('counts', { sessionId: 'ses_other', reactions: { heart: 99 } });
    socket.fire('counts', { sessionId: SESSION, reactions: { heart: 4 } });
    expect(connection.view.counts).toEqual({ sessionId: SESSION, reactions: { heart: 4 } });
  });

  it('joins again, with a fresh snapshot, after every reconnect, including one the server forced', async () => {
    const { socket, connection } = track(setup());
    (await socket.next('session:join')).answer({ ok: true, data: joinAck(1, [post('a')]) });
    await online(connection);

    socket.connected = socket.active = false;
    socket.fire('disconnect', 'io server disconnect');
    expect(connection.status).toBe('offline');
    const rejoin = await socket.next('session:join');
    expect(socket.connects).toBe(2);
    rejoin.answer({ ok: true, data: joinAck(5, [post('e')]) });
    await online(connection);
    expect(connection.lastSeq.public).toBe(5);
    expect(ids(connection)).toEqual(['e']);
  });

  it('stops for good when the server speaks another protocol version', async () => {
    const { socket, connection } = track(setup());
    await vi.waitFor(() => expect(socket.connected).toBe(true), { timeout: 10_000 });
    socket.connected = false;
    socket.fire('connect_error', new Error('protocol_mismatch'));
    expect(connection.view.fatal).toBe('protocol_mismatch');
    await connection.resync();
    connection.start();
    expect(socket.connects).toBe(1);
  });

  it('fills in the session and a fresh command id, and answers offline without a socket', async () => {
    const { socket, connection } = track(setup());
    (await socket.next('session:join')).answer({ ok: true, data: joinAck(0) });
    await online(connection);
    const pending = connection.send('post:pin', { postId: 'pst_00000001', version: 1 });
    const sent = await socket.next('post:pin');
    expect(sent.payload).toMatchObject({ sessionId: SESSION, postId: 'pst_00000001', version: 1 });
    expect(sent.payload.commandId).toMatch(ID_PATTERN);
    sent.answer({ ok: true, data: { post: post('pst_00000001', { isPinned: true, version: 2 }) } });
    expect((await pending).ok).toBe(true);

    const register = connection.send('device:register', {});
    expect((await socket.next('device:register')).payload).toEqual({});
    void register;

    socket.disconnect();
    expect(await connection.send('post:unpin', { postId: 'p', version: 2 })).toEqual({
      ok: false,
      error: { code: 'offline', message: 'not connected' },
    });
  });

  it('shows a server-rendered join acknowledgement before any socket is open', () => {
    const socket = new FakeSocket();
    const connection = new StaffConnection({
      sessionId: SESSION,
      lifecycle: null,
      autoStart: false,
      initial: joinAck(7, [post('ssr')]),
      createSocket: () => socket as unknown as ClientSocket,
    });
    open.push(connection);
    expect(connection.view).toMatchObject({ status: 'connecting', lastSeq: { public: 7 } });
    expect(ids(connection)).toEqual(['ssr']);
    expect(socket.connects).toBe(0);
  });

  it('[SC5] takes the participant count from counts, and the newest counts replace the old', async () => {
    const { socket, connection } = track(setup());
    (await socket.next('session:join')).answer({ ok: true, data: joinAck(0) });
    await online(connection);
    socket.fire('counts', { sessionId: SESSION, reactions: { heart: 2 }, participants: 41 });
    socket.fire('counts', { sessionId: 'ses_elsewhere', reactions: {}, participants: 999 });
    await vi.waitFor(() => expect(connection.view.counts.participants).toBe(41));
    socket.fire('counts', { sessionId: SESSION, reactions: { heart: 2 } });
    await vi.waitFor(() => expect(connection.view.counts.participants).toBeUndefined());
  });

  it('[ML2] [ML3] staff: lists the log on joining, adds live entries once each, pages back', async () => {
    const { socket, connection } = track(setup());
    const staffAck: JoinAck = { ...joinAck(0), you: { deviceId: null, staff: 'moderator' } };
    (await socket.next('session:join')).answer({ ok: true, data: staffAck });
    await online(connection);
    const entry = (seq: number) => ({
      seq,
      id: `log_${seq}`,
      at: seq * 1000,
      actor: 'Ordstyrer 1',
      action: 'approve' as const,
      postId: 'pst_00000001',
      detail: null,
    });
    const list = await socket.next('log:list');
    expect(list.payload).toEqual({ sessionId: SESSION });
    // A live entry may overtake the first page's answer.
    socket.fire('log:entry', { sessionId: SESSION, entry: entry(4) });
    list.answer({ ok: true, data: { entries: [entry(4), entry(3)] } });
    await vi.waitFor(() => expect(connection.view.log.map((e) => e.seq)).toEqual([4, 3]));
    socket.fire('log:entry', { sessionId: SESSION, entry: entry(5) });
    socket.fire('log:entry', { sessionId: 'ses_elsewhere', entry: entry(6) });
    await vi.waitFor(() => expect(connection.view.log.map((e) => e.seq)).toEqual([5, 4, 3]));

    const older = connection.loadLog({ before: 3, limit: 2 });
    const page = await socket.next('log:list');
    expect(page.payload).toEqual({ sessionId: SESSION, before: 3, limit: 2 });
    page.answer({ ok: true, data: { entries: [entry(2), entry(1)] } });
    expect((await older).ok).toBe(true);
    expect(connection.view.log.map((e) => e.seq)).toEqual([5, 4, 3, 2, 1]);
  });

  it('an attendee does not ask for the moderation log', async () => {
    const { socket, connection } = track(setup());
    (await socket.next('session:join')).answer({ ok: true, data: joinAck(0) });
    await online(connection);
    connection.upvote('pst_00000001');
    await socket.next('post:upvote');
    expect(socket.emitted.map((e) => e.name)).not.toContain('log:list');
    expect(connection.view.log).toEqual([]);
  });

  it('[FV2] holds the wall set from the join acknowledgement, then the newest wall:rotation', async () => {
    const { socket, connection } = track(setup());
    const ack: JoinAck = { ...joinAck(0), wall: { postIds: ['a', 'b'], at: 100 } };
    (await socket.next('session:join')).answer({ ok: true, data: ack });
    await online(connection);
    expect(connection.view.wall).toEqual({ postIds: ['a', 'b'], at: 100 });
    socket.fire('wall:rotation', { sessionId: SESSION, postIds: ['c', 'd', 'e'], at: 200 });
    socket.fire('wall:rotation', { sessionId: 'ses_elsewhere', postIds: ['x'], at: 300 });
    // One that was overtaken on the way is older than what we hold: dropped.
    socket.fire('wall:rotation', { sessionId: SESSION, postIds: ['a'], at: 150 });
    await vi.waitFor(() =>
      expect(connection.view.wall).toEqual({ postIds: ['c', 'd', 'e'], at: 200 }),
    );
    socket.fire('counts', { sessionId: SESSION, reactions: {}, exposure: { c: 12 } });
    await vi.waitFor(() => expect(connection.view.counts.exposure).toEqual({ c: 12 }));
  });

  it('[Q4] [Q5] holds the queue and the ticket of this device from the snapshots, then from their streams in order', async () => {
    const { socket, connection } = track(setup());
    const ack: JoinAck = {
      ...joinAck(0),
      you: { deviceId: 'dev_00000001', staff: null },
      streams: {
        public: { seq: 4, posts: [], queue: { current: 7, next: 8, waiting: 2 } },
        private: {
          seq: 2,
          posts: [],
          micTicket: { ticketId: 'mic_00000001', number: 9, position: 2, status: 'waiting' },
        },
      },
    };
    (await socket.next('session:join')).answer({ ok: true, data: ack });
    await online(connection);
    expect(connection.view.queue).toEqual({ current: 7, next: 8, waiting: 2 });
    expect(connection.view.micTicket).toMatchObject({ number: 9, position: 2 });

    socket.update('public', 5, {
      type: 'queue:updated',
      queue: { current: 8, next: 9, waiting: 1 },
    });
    socket.update('private', 3, {
      type: 'mic:ticket',
      ticket: { ticketId: 'mic_00000001', number: 9, position: 1, status: 'next' },
    });
    // An update the snapshot already covered changes nothing.
    socket.update('public', 4, {
      type: 'queue:updated',
      queue: { current: 1, next: 2, waiting: 5 },
    });
    await vi.waitFor(() =>
      expect(connection.view.queue).toEqual({ current: 8, next: 9, waiting: 1 }),
    );
    expect(connection.view.micTicket).toEqual({
      ticketId: 'mic_00000001',
      number: 9,
      position: 1,
      status: 'next',
    });
    expect(connection.lastSeq).toEqual({ public: 5, private: 3 });

    const asked = connection.cancelMic('mic_00000001');
    const sent = await socket.next('mic:cancel');
    expect(sent.payload).toMatchObject({ sessionId: SESSION, ticketId: 'mic_00000001' });
    expect(sent.payload.commandId).toMatch(ID_PATTERN);
    sent.answer({
      ok: true,
      data: { ticket: { ticketId: 'mic_00000001', number: 9, position: 0, status: 'cancelled' } },
    });
    expect((await asked).ok).toBe(true);
  });

  it('[M8] [M9] tags and directs with the version held, and shows the acknowledged post at once', async () => {
    const { socket, connection } = track(setup());
    const staffAck: JoinAck = {
      ...joinAck(0, [post('pst_00000001')]),
      you: { deviceId: null, staff: 'moderator' },
      streams: {
        public: { seq: 0, posts: [post('pst_00000001')] },
        staff: { seq: 0, posts: [post('pst_00000001')] },
      },
    };
    (await socket.next('session:join')).answer({ ok: true, data: staffAck });
    await online(connection);
    const tagging = connection.moderate(
      'tag',
      { id: 'pst_00000001', version: 1 },
      { topicId: 'top_00000001' },
    );
    const tag = await socket.next('post:tag');
    expect(tag.payload).toMatchObject({
      postId: 'pst_00000001',
      version: 1,
      topicId: 'top_00000001',
    });
    tag.answer({
      ok: true,
      data: { post: post('pst_00000001', { version: 2, topicId: 'top_00000001' }) },
    });
    await tagging;
    expect(connection.view.posts.find((p) => p.id === 'pst_00000001')?.topicId).toBe(
      'top_00000001',
    );
    const directing = connection.moderate(
      'direct',
      { id: 'pst_00000001', version: 2 },
      { panelMemberId: null },
    );
    const direct = await socket.next('post:direct');
    expect(direct.payload).toMatchObject({ version: 2, panelMemberId: null });
    direct.answer({
      ok: false,
      error: { code: 'not_found', message: 'no such member of the panel' },
    });
    const reopening = connection.moderate('reopen', { id: 'pst_00000001', version: 2 });
    const reopen = await socket.next('post:reopen');
    expect(reopen.payload).toMatchObject({ postId: 'pst_00000001', version: 2 });
    reopen.answer({
      ok: false,
      error: {
        code: 'conflict',
        message: 'someone else changed this post first',
        details: { current: post('pst_00000001', { version: 5, status: 'answered' }) },
      },
    });
    await reopening;
    // The conflict's current state is shown at once, so the next click has the right version.
    expect(connection.view.posts.find((p) => p.id === 'pst_00000001')?.version).toBe(5);
    const unapproving = connection.moderate('unapprove', { id: 'pst_00000001', version: 5 });
    expect((await socket.next('post:unapprove')).payload).toMatchObject({ version: 5 });
    void unapproving;
    expect((await directing).ok).toBe(false);
  });
});
