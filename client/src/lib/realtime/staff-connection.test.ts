/**
 * The console's polls through a staff connection: from the page's first join, before any
 * socket, and then live from the staff stream and the coalesced results.
 */
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS } from '@gt/core';
import type { PollView } from '@gt/core';
import { StaffConnection } from './staff-connection.js';
import type { ClientSocket } from './session-connection.js';
import type { JoinAck } from './types.js';

const SESSION = 'ses_00000001';

const poll = (id: string, updatedAt: number, extra: Partial<PollView> = {}): PollView => ({
  id,
  question: 'Hvad først?',
  spec: { kind: 'words', maxAnswers: 2 },
  status: 'draft',
  isResultsHiddenUntilClose: false,
  isResultsShown: false,
  wordOverrides: {},
  createdAt: 1,
  updatedAt,
  ...extra,
});

const joinAck = (polls: PollView[]): JoinAck => ({
  session: {
    id: SESSION,
    eventId: 'evt_00000001',
    title: 'Biblioteket',
    joinCode: '123456',
    settings: { ...DEFAULT_SETTINGS, reactions: [] },
    version: 1,
    createdAt: 1,
  },
  you: { deviceId: null, staff: 'moderator' },
  streams: { public: { seq: 0, posts, polls: [] }, staff: { seq: 0, posts, polls } },
  counts: { sessionId: SESSION, reactions: {} },
  myVotes: [],
  pollResults: [],
});
const posts: never[] = [];

/** Enough of a socket to connect and to hear updates; acknowledgements never come. */
class FakeSocket {
  connected = false;
  #handlers = new Map<string, ((...args: unknown[]) => void)[]>();
  on(name: string, handler: (...args: unknown[]) => void) {
    this.#handlers.set(name, [...(this.#handlers.get(name) ?? []), handler]);
    return this;
  }
  timeout() {
    return this;
  }
  emitWithAck() {
    return new Promise(() => {});
  }
  connect() {
    queueMicrotask(() => {
      this.connected = true;
      this.fire('connect');
    });
    return this;
  }
  disconnect() {
    return this;
  }
  fire(name: string, ...args: unknown[]) {
    for (const handler of this.#handlers.get(name) ?? []) handler(...args);
  }
}

describe('StaffConnection polls', () => {
  it('[PL9] shows the polls of the server-rendered join, drafts included, before a socket', () => {
    const connection = new StaffConnection({
      sessionId: SESSION,
      lifecycle: null,
      autoStart: false,
      initial: joinAck([poll('pol_aaaaaaaa', 1)]),
    });
    expect(connection.polls.polls.map((p) => p.id)).toEqual(['pol_aaaaaaaa']);
    connection.close();
  });

  it('[PL9, PL10] takes live staff poll updates and results; public views and other sessions not', async () => {
    const socket = new FakeSocket();
    const connection = new StaffConnection({
      sessionId: SESSION,
      lifecycle: null,
      initial: joinAck([poll('pol_aaaaaaaa', 1)]),
      createSocket: () => socket as unknown as ClientSocket,
    });
    await vi.waitFor(() => expect(socket.connected).toBe(true));
    const opened = poll('pol_aaaaaaaa', 2, { status: 'open', wordOverrides: { sko: 'hidden' } });
    const update = { sessionId: SESSION, type: 'poll:updated' };
    socket.fire('poll:updated', { ...update, stream: 'staff', seq: 1, poll: opened });
    socket.fire('poll:updated', {
      ...update,
      stream: 'public',
      seq: 1,
      poll: { ...opened, wordOverrides: {} },
    });
    socket.fire('poll:updated', {
      ...update,
      sessionId: 'ses_other',
      stream: 'staff',
      seq: 2,
      poll: poll('pol_bbbbbbbb', 3),
    });
    const tally = { kind: 'words', responses: 4, words: [] };
    socket.fire('poll:results', { sessionId: SESSION, pollId: 'pol_aaaaaaaa', revision: 4, tally });
    expect(connection.polls.polls).toEqual([opened]);
    expect(connection.polls.results('pol_aaaaaaaa')?.tally.responses).toBe(4);
    connection.close();
  });
});
