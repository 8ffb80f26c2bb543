/**
 * One Socket.IO connection for one session, and a consistent local replica of every stream
 * the principal is entitled to (DESIGN "Real time, without losing anything"; SPEC S1-S6).
 *
 * - On every (re)connect it sends `session:join` and takes the snapshot of each stream.
 *   The server joins the rooms before it reads the snapshot, so updates may arrive before the
 *   acknowledgement: they are buffered and replayed through the replica, which drops the ones
 *   the snapshot already covers.
 * - Sequenced updates are applied per stream strictly in order (StreamReplica). An update
 *   that skips ahead is held for a moment; if the gap is still there, `stream:catchup` fills
 *   it (entries, or a fresh snapshot of that stream).
 * - Coming back (tab visible, network online, page restored, device awake) catches up every
 *   stream: a socket can look connected and have missed everything.
 * - Attendee actions go through the Outbox: stored first, sent with a fixed command id until
 *   acknowledged, so a reload, a lost connection or a restarted server loses nothing and
 *   doubles nothing.
 *
 * Framework-free: a Svelte state class mirrors `view` through `subscribe` (lib/session).
 */
import type { ManagerOptions, Socket, SocketOptions } from 'socket.io-client';
import type {
  ClientToServerEvents,
  CommandAck,
  CommandName,
  CommandRequest,
  ServerToClientEvents,
} from '@gt/protocol';
import { newCommandId } from './command-id.js';
import type { LifecycleSource } from './lifecycle.js';
import { Outbox } from './outbox.js';
import type { OutboxCommand, OutboxItem } from './outbox.js';
import { outboxLockFor } from './outbox-lock.js';
import { LocalOutboxStorage, MemoryOutboxStorage } from './outbox-storage.js';
import type { OutboxStorage } from './outbox-storage.js';
import {
  type HANDSHAKE_ERRORS,
  PROTOCOL_VERSION,
  SEQUENCED_UPDATES,
  isIdempotentCommand,
  isSessionlessCommand,
} from '@gt/protocol/names';
import { effectiveVotes, mergePosts, shortHash } from './replica-view.js';
import type { ViewPost } from './replica-view.js';
import { StreamReplica } from './stream-replica.js';
import { STREAM_NAMES } from './types.js';
import type {
  ClientError,
  ClientResult,
  Counts,
  JoinAck,
  LogEntryWire,
  MicTicketWire,
  PostWire,
  QueueWire,
  WallSetWire,
  SequencedUpdate,
  SessionWire,
  StreamEntry,
  StreamName,
} from './types.js';

export type ConnectionStatus = 'connecting' | 'online' | 'offline';
export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type SocketFactory = (
  url: string | undefined,
  options: Partial<ManagerOptions & SocketOptions>,
) => ClientSocket;

export type ModerationAction =
  | 'approve'
  | 'hide'
  | 'restore'
  | 'answer'
  | 'highlight'
  | 'unhighlight'
  | 'pin'
  | 'unpin'
  | 'edit'
  | 'reopen'
  | 'unapprove'
  | 'tag'
  | 'direct'
  | 'promise-follow-up'
  | 'to-topic';

/** What the screens read. A new object on every change; never mutated. */
export interface ConnectionView {
  readonly sessionId: string;
  readonly status: ConnectionStatus;
  /** The server refused this client for good (another protocol version: reload the page). */
  readonly fatal: string | null;
  /** The last `session:join` failed (no such session, ...); null once joined. */
  readonly joinError: ClientError | null;
  readonly session: SessionWire | null;
  /** Who the server says we are in this session (staff null: the staff link was not accepted). */
  readonly you: JoinAck['you'] | null;
  /** Every post this principal may see, oldest first (see mergePosts). */
  readonly posts: readonly ViewPost[];
  readonly counts: Counts;
  /** Posts this device has upvoted, including upvotes still in the outbox. */
  readonly myVotes: ReadonlySet<string>;
  /** The last applied sequence number of each stream held. */
  readonly lastSeq: Readonly<Partial<Record<StreamName, number>>>;
  /** Actions not yet acknowledged ('sending') or refused for good ('failed'). */
  readonly outbox: readonly OutboxItem[];
  /**
   * Staff only: the moderation log held, newest first (by seq): the first page is listed on
   * every join, new entries arrive live, `loadLog({ before })` pages back.
   */
  readonly log: readonly LogEntryWire[];
  /**
   * [FV2] What the wall's rotation lists now (top votes or fresh voices, the highlighted post
   * aside), from the join acknowledgement and then each `wall:rotation`; null when the
   * session's wall has no rotation. Ids of posts this view does not hold may be listed for a
   * moment (an update still on its way): look them up in `posts` and skip the missing.
   */
  readonly wall: WallSetWire | null;
  /**
   * [Q4] The speaker queue: `{ current, next, waiting }` numbers for everyone, plus `tickets`
   * (with names, current first, then the line) for staff. null before the join.
   */
  readonly queue: QueueWire | null;
  /**
   * [Q4] This device's microphone ticket: its number, position (1 = next) and status
   * ('waiting', 'next', 'current', 'done', 'cancelled'); null when it never asked.
   */
  readonly micTicket: MicTicketWire | null;
}

export interface SessionConnectionOptions {
  sessionId: string;
  /** The server's origin; omitted, the page's own origin (the app is served on one port). */
  url?: string;
  deviceToken?: string | null;
  staffToken?: string | null;
  /** Where the outbox lives: localStorage in a browser, memory elsewhere, unless given. */
  storage?: OutboxStorage;
  /** Resume signals; the browser's by default, none outside a browser. null: none. */
  lifecycle?: LifecycleSource | null;
  /** A join acknowledgement read during server-side rendering: the first paint needs no socket. */
  initial?: JoinAck;
  /** Overrides of the Socket.IO client options below (the handshake `auth` is always ours). */
  socketOptions?: Partial<ManagerOptions & SocketOptions>;
  /** Builds the socket; tests wrap it to drop or delay messages. */
  createSocket?: SocketFactory;
  /** How long an update that skips ahead waits for the missing ones before a catch-up. */
  gapHoldMs?: number;
  /** How long a command waits for its acknowledgement. */
  commandTimeoutMs?: number;
  /** A device token was issued by `registerDevice`: keep it (a cookie) for the next visit. */
  onDeviceToken?: (token: string) => void;
  /** Connect in the constructor (default); false: call `start()`. */
  autoStart?: boolean;
}

/** Payload of `send`: everything but the session and the command id, which are filled in. */
export type SendPayload<K extends CommandName> = Omit<
  CommandRequest<K>,
  'sessionId' | 'commandId'
> & { commandId?: string };

const DEFAULT_GAP_HOLD_MS = 300;
/** The console never needs more of the log in memory than this; older pages are listed again. */
const MAX_LOG_HELD = 1000;
const DEFAULT_COMMAND_TIMEOUT_MS = 10_000;
/** When the server itself closed the socket, Socket.IO does not reconnect: we do, after this. */
const SERVER_DISCONNECT_RETRY_MS = 1_000;
const JOIN_RETRY_MS = 2_000;
/** Handshake refusals that another attempt cannot fix (the page must be reloaded). */
const FATAL_HANDSHAKE_ERRORS: readonly string[] = [
  'protocol_mismatch',
  'invalid_handshake',
] satisfies (typeof HANDSHAKE_ERRORS)[number][];

const EMPTY_COUNTS = (sessionId: string): Counts => ({ sessionId, reactions: {} });

/** The view before anything is known: what a state class holds until it has a connection. */
export function emptyView(sessionId: string): ConnectionView {
  return {
    sessionId,
    status: 'connecting',
    fatal: null,
    joinError: null,
    session: null,
    you: null,
    posts: [],
    counts: EMPTY_COUNTS(sessionId),
    myVotes: new Set(),
    lastSeq: {},
    outbox: [],
    log: [],
    wall: null,
    queue: null,
    micTicket: null,
  };
}

export class SessionConnection {
  readonly sessionId: string;
  readonly #o: SessionConnectionOptions;
  /** Made by start(): constructing a connection (during server-side rendering, say) opens nothing. */
  #socket: ClientSocket | null = null;
  /** The Socket.IO client is being loaded (see start()). */
  #isLoadingClient = false;
  readonly #outbox: Outbox;
  readonly #gapHoldMs: number;
  readonly #timeoutMs: number;
  #deviceToken: string | null;
  readonly #staffToken: string | null;

  #status: ConnectionStatus = 'connecting';
  #fatal: string | null = null;
  #joinError: ClientError | null = null;
  #isJoined = false;
  /** Bumped on every join; answers to older joins and catch-ups are ignored. */
  #joinGeneration = 0;
  /** Updates that arrived while a join was waiting for its acknowledgement. */
  #preJoin: SequencedUpdate[] | null = null;
  #replicas: Partial<Record<StreamName, StreamReplica>> = {};
  #session: SessionWire | null = null;
  #you: JoinAck['you'] | null = null;
  #counts: Counts;
  #myVotes = new Set<string>();
  /** Moderation log entries by seq (staff only). */
  #log = new Map<number, LogEntryWire>();
  #wall: WallSetWire | null = null;
  /** Posts from acknowledgements and conflicts, until the streams catch up with them. */
  #acknowledged = new Map<string, PostWire>();
  #ownIds = new Set<string>();
  #gapTimers = new Map<StreamName, ReturnType<typeof setTimeout>>();
  /** Streams with a catch-up in flight. */
  #catchingUp = new Map<StreamName, Promise<void>>();
  #timers = new Set<ReturnType<typeof setTimeout>>();
  #isClosed = false;

  #view: ConnectionView | null = null;
  #isNotifyQueued = false;
  #listeners = new Set<(view: ConnectionView) => void>();
  #stopLifecycle: () => void = () => {};
  /** Bumped by every start(), so a lifecycle module that arrives late subscribes only once. */
  #startCount = 0;

  constructor(options: SessionConnectionOptions) {
    this.#o = options;
    this.sessionId = options.sessionId;
    this.#deviceToken = options.deviceToken ?? null;
    this.#staffToken = options.staffToken ?? null;
    this.#gapHoldMs = options.gapHoldMs ?? DEFAULT_GAP_HOLD_MS;
    this.#timeoutMs = options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
    this.#counts = EMPTY_COUNTS(this.sessionId);
    if (options.initial) this.#applyJoin(options.initial);

    const storage =
      options.storage ??
      (typeof window === 'undefined' ? new MemoryOutboxStorage() : new LocalOutboxStorage());
    // Actions are scoped to the actor the server de-duplicates them by (SPEC I2): a device's
    // command id resent over a staff connection would be a second, different command.
    const scope = this.#staffToken ? `staff-${shortHash(this.#staffToken)}` : 'device';
    const key = `gt:outbox:v1:${this.sessionId}:${scope}`;
    this.#outbox = new Outbox({
      storage,
      key,
      lock: outboxLockFor(`gt:outbox-lock:${this.sessionId}:${scope}`, storage, newCommandId()),
      send: (name, payload) => this.#call(name, payload),
      canSend: () => this.#isJoined && this.#isConnected,
      onChange: () => this.#changed(),
      onAcknowledged: (item, data) => this.#onOutboxAck(item, data),
    });

    if (options.autoStart !== false) this.start();
  }

  /**
   * Connect, and listen for resume signals. Idempotent. Runs in the constructor unless
   * `autoStart` is false: pages build the connection while rendering on the server and start
   * it once mounted in the browser.
   */
  start(): void {
    if (this.#isClosed || this.#fatal || this.#socket?.active || this.#isLoadingClient) return;
    this.#startCount += 1;
    this.#stopLifecycle();
    this.#stopLifecycle = () => {};
    if (this.#o.lifecycle !== undefined) {
      const lifecycle = this.#o.lifecycle;
      this.#stopLifecycle = lifecycle?.subscribe(() => void this.resync()) ?? (() => {});
    } else if (typeof window !== 'undefined') {
      // The browser's resume signals matter once there is a socket to check, which comes a
      // moment later too (below): loaded with it, not with the page (first-load budget).
      const startedAt = this.#startCount;
      void import('./lifecycle.js').then(({ browserLifecycle }) => {
        if (this.#isClosed || startedAt !== this.#startCount) return;
        this.#stopLifecycle = browserLifecycle().subscribe(() => void this.resync());
      });
    }
    if (this.#socket) {
      this.#socket.connect();
      return;
    }
    if (this.#o.createSocket) {
      this.#socket = this.#createSocket(this.#o.createSocket);
      this.#socket.connect();
      return;
    }
    // Socket.IO's client is a good part of a page's script, and the first paint (rendered on
    // the server) and the first actions (the outbox keeps them) do not need it: it is loaded
    // once the page runs, instead of with it. The attendee page's first-load budget counts on
    // this (client/e2e/attendee-budget.e2e.ts).
    this.#isLoadingClient = true;
    import('socket.io-client').then(
      ({ io }) => {
        this.#isLoadingClient = false;
        if (this.#isClosed || this.#socket) return;
        this.#socket = this.#createSocket(io);
        this.#socket.connect();
      },
      () => {
        // The chunk did not arrive (a bad network): try again, as a reconnect would.
        this.#isLoadingClient = false;
        this.#status = 'offline';
        this.#changed();
        this.#later(JOIN_RETRY_MS * (0.5 + Math.random()), () => this.start());
      },
    );
  }

  #createSocket(factory: SocketFactory): ClientSocket {
    const socketOptions: Partial<ManagerOptions & SocketOptions> = {
      // WebSocket first (cheaper for thousands of phones), long-polling when a venue's proxy
      // blocks it.
      transports: ['websocket', 'polling'],
      tryAllTransports: true,
      reconnection: true,
      // Exponential back-off with jitter, so a tent full of phones does not come back at once.
      reconnectionDelay: 500,
      reconnectionDelayMax: 10_000,
      randomizationFactor: 0.5,
      timeout: 10_000,
      // One manager per session connection: its own back-off and its own reconnect nudges.
      forceNew: true,
      ...this.#o.socketOptions,
      autoConnect: false,
      // A function, so every reconnect presents the current tokens.
      auth: (cb: (data: object) => void) => cb(this.#handshake()),
    };
    const socket = factory(this.#o.url, socketOptions);
    this.#listen(socket);
    return socket;
  }

  close(): void {
    if (this.#isClosed) return;
    this.#isClosed = true;
    this.#stopLifecycle();
    this.#outbox.close();
    for (const timer of [...this.#timers, ...this.#gapTimers.values()]) clearTimeout(timer);
    this.#timers.clear();
    this.#gapTimers.clear();
    this.#socket?.disconnect();
    this.#isJoined = false;
    this.#status = 'offline';
    this.#changed();
    this.#listeners.clear();
  }

  // Reading ---------------------------------------------------------------------------------

  get view(): ConnectionView {
    return (this.#view ??= this.#buildView());
  }

  get status(): ConnectionStatus {
    return this.#status;
  }

  /** The last applied sequence number of each stream held (public, staff, private). */
  get lastSeq(): Partial<Record<StreamName, number>> {
    return this.view.lastSeq;
  }

  /** Called with the new view after every change (batched per microtask). */
  subscribe(listener: (view: ConnectionView) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  // Commands --------------------------------------------------------------------------------

  /**
   * Send any command and wait for its result. The session id is filled in, and a fresh
   * command id for commands that take one unless the caller brings one (to repeat a command
   * whose answer was lost: `timeout` means it may or may not have happened).
   */
  send<K extends CommandName>(
    name: K,
    payload: SendPayload<K>,
  ): Promise<ClientResult<CommandAck<K>>> {
    const full: Record<string, unknown> = { ...payload };
    if (!isSessionlessCommand(name)) full.sessionId = this.sessionId;
    if (isIdempotentCommand(name)) full.commandId ??= newCommandId();
    return this.#call(name, full) as Promise<ClientResult<CommandAck<K>>>;
  }

  /** Post a question or idea through the outbox. Returns at once; watch `view.outbox`. */
  post(input: Pick<CommandRequest<'post:create'>, 'kind' | 'text' | 'displayName'>): OutboxItem {
    return this.#outbox.enqueue('post:create', { sessionId: this.sessionId, ...input });
  }

  /** Upvote a post (or take the vote back) through the outbox. */
  upvote(postId: string, isOn = true): OutboxItem {
    return this.#outbox.enqueue('post:upvote', { sessionId: this.sessionId, postId, isOn });
  }

  /** Send a quick reaction through the outbox. */
  react(reaction: CommandRequest<'reaction:send'>['reaction']): OutboxItem {
    return this.#outbox.enqueue('reaction:send', { sessionId: this.sessionId, reaction });
  }

  /**
   * Staff type in a question asked aloud or from a paper card (SPEC P8), through the same
   * outbox as the attendee's posts: stored first, sent until acknowledged, never doubled.
   */
  postFromRoom(
    input: Pick<CommandRequest<'post:create-from-room'>, 'kind' | 'text' | 'displayName'>,
  ): OutboxItem {
    return this.#outbox.enqueue('post:create-from-room', { sessionId: this.sessionId, ...input });
  }

  /** Resolves when an outbox action is acknowledged or has failed for good. */
  settled<K extends OutboxCommand>(commandId: string): Promise<ClientResult<CommandAck<K>>> {
    return this.#outbox.settled<K>(commandId);
  }

  /** Forget a failed outbox action. */
  dismiss(commandId: string): void {
    this.#outbox.dismiss(commandId);
  }

  /** Send failed outbox actions once more. */
  retryFailed(): void {
    this.#outbox.retryFailed();
  }

  /** [Q1] Ask for the microphone ("I'd rather say it myself"); watch `view.micTicket`. */
  requestMic(name?: string | null): Promise<ClientResult<CommandAck<'mic:request'>>> {
    return this.send('mic:request', name ? { name } : {});
  }

  /** [Q2] Give up this device's place in the line. */
  cancelMic(ticketId: string): Promise<ClientResult<CommandAck<'mic:cancel'>>> {
    return this.send('mic:cancel', { ticketId });
  }

  /**
   * Called after every successful join. Staff connections (staff-connection.ts) load the
   * moderation log's newest page here; live entries missed while away come back with it.
   */
  protected onJoined(): void {}

  /** Settings newer than what the streams brought (an acknowledgement, a conflict). */
  protected adoptSession(session: SessionWire): void {
    if (this.#session && session.version < this.#session.version) return;
    this.#session = session;
    this.#changed();
  }

  /**
   * Get an anonymous device token over this connection, then join again so the private
   * stream comes along. The page keeps the token (`onDeviceToken`) for the next visit.
   */
  async registerDevice(): Promise<ClientResult<CommandAck<'device:register'>>> {
    const result = await this.send('device:register', {});
    if (result.ok) {
      this.#deviceToken = result.data.deviceToken;
      this.#o.onDeviceToken?.(result.data.deviceToken);
      await this.#join();
    }
    return result;
  }

  /**
   * Make sure nothing was missed: catch up every stream and send the outbox, or, when the
   * socket is down, reconnect now instead of waiting out the back-off. Called on every
   * resume signal; resolves when the catch-ups have been answered.
   */
  async resync(): Promise<void> {
    if (this.#isClosed || this.#fatal) return;
    if (!this.#socket) return;
    if (!this.#isConnected) {
      this.#reconnectNow();
      return;
    }
    if (!this.#isJoined) return;
    void this.#outbox.drain();
    await Promise.all(
      STREAM_NAMES.filter((name) => this.#replicas[name]).map((name) => this.#catchUp(name)),
    );
  }

  // Socket ----------------------------------------------------------------------------------

  #handshake(): Record<string, unknown> {
    return {
      v: PROTOCOL_VERSION,
      ...(this.#deviceToken ? { device: this.#deviceToken } : {}),
      ...(this.#staffToken ? { staff: this.#staffToken } : {}),
    };
  }

  get #isConnected(): boolean {
    return this.#socket?.connected ?? false;
  }

  /** Drop the socket and open it again at once: disconnect() also resets Socket.IO's back-off. */
  #reconnectNow(): void {
    if (!this.#socket || this.#isClosed || this.#fatal) return;
    this.#socket.disconnect();
    this.#socket.connect();
  }

  #listen(socket: ClientSocket): void {
    socket.on('connect', () => {
      this.#status = 'connecting';
      this.#changed();
      void this.#join();
    });
    socket.on('disconnect', (reason) => {
      this.#isJoined = false;
      this.#preJoin = null;
      this.#joinGeneration += 1;
      this.#catchingUp.clear();
      for (const timer of this.#gapTimers.values()) clearTimeout(timer);
      this.#gapTimers.clear();
      if (this.#isClosed) return;
      this.#status = 'offline';
      this.#changed();
      // A server that is shutting down, or that revoked our link, closes the socket itself;
      // Socket.IO then does not reconnect on its own. A restarted server must get us back.
      if (reason === 'io server disconnect')
        this.#later(SERVER_DISCONNECT_RETRY_MS * (0.5 + Math.random()), () => {
          if (!socket.active) socket.connect();
        });
    });
    socket.on('connect_error', (error) => {
      if (FATAL_HANDSHAKE_ERRORS.includes(error.message)) {
        this.#fatal = error.message;
        socket.disconnect();
      }
      this.#status = 'offline';
      this.#changed();
    });
    for (const name of SEQUENCED_UPDATES)
      socket.on(name, (payload: SequencedUpdate) => this.#onUpdate(payload));
    socket.on('wall:rotation', ({ sessionId, ...wall }) => {
      if (sessionId !== this.sessionId) return;
      // Not sequenced: the newest set wins, and one older than what we hold is dropped.
      if (this.#wall && wall.at < this.#wall.at) return;
      this.#wall = wall;
      this.#changed();
    });
    socket.on('log:entry', (update) => {
      if (update.sessionId === this.sessionId) this.addLog([update.entry]);
    });
    socket.on('counts', (counts) => {
      if (counts.sessionId !== this.sessionId) return;
      // Absolute values: the newest replaces whatever we had (SPEC S5, V2).
      this.#counts = counts;
      this.#changed();
    });
  }

  /** Emit with an acknowledgement; never rejects. */
  async #call(name: string, payload: Record<string, unknown>): Promise<ClientResult<unknown>> {
    const socket = this.#socket;
    if (!socket?.connected)
      return { ok: false, error: { code: 'offline', message: 'not connected' } };
    try {
      // The typed emit cannot see through a command name chosen at runtime.
      const emit = socket.timeout(this.#timeoutMs).emitWithAck as (
        name: string,
        payload: unknown,
      ) => Promise<ClientResult<unknown>>;
      return await emit.call(socket, name, payload);
    } catch {
      return { ok: false, error: { code: 'timeout', message: 'no answer from the server' } };
    }
  }

  /**
   * [S8] Join, resuming every stream held from its last seq unless `isFresh`: after a blip or
   * a server restart the answer carries what was missed instead of every post again.
   */
  async #join({ isFresh = false } = {}): Promise<void> {
    const generation = ++this.#joinGeneration;
    this.#isJoined = false;
    this.#preJoin = [];
    this.#catchingUp.clear();
    const resume: Partial<Record<StreamName, number>> = {};
    if (!isFresh)
      for (const name of STREAM_NAMES) {
        const replica = this.#replicas[name];
        if (replica) resume[name] = replica.seq;
      }
    const result = await this.#call('session:join', {
      sessionId: this.sessionId,
      ...(Object.keys(resume).length > 0 ? { resume } : {}),
    });
    if (this.#isClosed || generation !== this.#joinGeneration) return;
    const buffered = this.#preJoin ?? [];
    this.#preJoin = null;
    if (!result.ok) {
      this.#joinError = result.error;
      this.#status = 'offline';
      this.#changed();
      // A missing session or a refusal stays so; a timeout or the server's trouble may pass.
      if (['timeout', 'internal', 'rate_limited'].includes(result.error.code))
        this.#later(JOIN_RETRY_MS * (0.5 + Math.random()), () => {
          if (this.#isConnected && generation === this.#joinGeneration) void this.#join();
        });
      return;
    }
    const ack = result.data as JoinAck;
    if (!this.#canApply(ack)) {
      // Held entries from another device (its token changed meanwhile) cannot be resumed.
      void this.#join({ isFresh: true });
      return;
    }
    this.#applyJoin(ack);
    this.#isJoined = true;
    this.#joinError = null;
    this.#status = 'online';
    for (const update of buffered) this.#onUpdate(update);
    // A resumed stream whose entries stop short of its head (never expected): ask for the rest.
    for (const name of STREAM_NAMES) {
      const head = ack.streams[name]?.seq ?? 0;
      const replica = this.#replicas[name];
      if (replica && replica.seq < head) void this.#catchUp(name);
    }
    this.#changed();
    void this.#outbox.drain();
    // Live entries missed while disconnected come back with the newest page.
    this.onJoined();
  }

  /** A resumed stream applies only to the replica it was resumed from, of the same device. */
  #canApply(ack: JoinAck): boolean {
    return STREAM_NAMES.every((name) => {
      const stream = ack.streams[name];
      if (stream?.resumedFrom === undefined) return true;
      const replica = this.#replicas[name];
      return (
        replica !== undefined &&
        replica.seq >= stream.resumedFrom &&
        (name !== 'private' || ack.you.deviceId === this.#you?.deviceId)
      );
    });
  }

  #applyJoin(ack: JoinAck): void {
    this.#session = ack.session;
    this.#you = ack.you;
    this.#counts = ack.counts;
    this.#myVotes = new Set(ack.myVotes);
    this.#wall = ack.wall ?? null;
    for (const name of STREAM_NAMES) {
      const stream = ack.streams[name];
      const replica = this.#replicas[name];
      if (!stream) delete this.#replicas[name];
      else if (replica && stream.resumedFrom !== undefined) {
        // [S8] What we hold stays; the entries bring it up to the head.
        for (const entry of stream.entries ?? []) replica.offer(entry);
      } else if (replica) replica.replace(stream);
      else this.#replicas[name] = new StreamReplica(stream);
    }
    this.#changed();
  }

  #onUpdate(update: SequencedUpdate): void {
    if (update.sessionId !== this.sessionId) return;
    if (this.#preJoin) {
      this.#preJoin.push(update);
      return;
    }
    const replica = this.#replicas[update.stream];
    if (!replica) return;
    const outcome = replica.offer(toEntry(update));
    if (outcome === 'applied') this.#changed();
    if (replica.hasGap) this.#watchGap(update.stream);
  }

  /** Give a gap a moment to close by itself (updates can overtake each other), then ask. */
  #watchGap(stream: StreamName): void {
    if (this.#gapTimers.has(stream) || this.#catchingUp.has(stream)) return;
    const timer = setTimeout(() => {
      this.#gapTimers.delete(stream);
      if (this.#replicas[stream]?.hasGap) void this.#catchUp(stream);
    }, this.#gapHoldMs);
    this.#gapTimers.set(stream, timer);
  }

  /** Catch one stream up; joins a catch-up already in flight for it. */
  #catchUp(stream: StreamName): Promise<void> {
    const inFlight = this.#catchingUp.get(stream);
    if (inFlight) return inFlight;
    const replica = this.#replicas[stream];
    if (!replica || !this.#isJoined) return Promise.resolve();
    const promise: Promise<void> = this.#askCatchUp(stream, replica).finally(() => {
      if (this.#catchingUp.get(stream) !== promise) return;
      this.#catchingUp.delete(stream);
      // Still a hole (entries committed after the server read them, say): look again shortly.
      if (this.#replicas[stream]?.hasGap && this.#isJoined) this.#watchGap(stream);
    });
    this.#catchingUp.set(stream, promise);
    return promise;
  }

  async #askCatchUp(stream: StreamName, replica: StreamReplica): Promise<void> {
    const generation = this.#joinGeneration;
    const result = await this.#call('stream:catchup', {
      sessionId: this.sessionId,
      stream,
      afterSeq: replica.seq,
    });
    // A rejoin meanwhile brought a fresh snapshot; this answer belongs to the old connection.
    if (this.#isClosed || generation !== this.#joinGeneration) return;
    if (!result.ok) {
      // No answer on a socket that claims to be connected: it is probably dead (a phone that
      // slept). Reconnecting rejoins, and the join brings fresh snapshots.
      if (result.error.code === 'timeout') this.#reconnectNow();
      return;
    }
    const answer = result.data as CommandAck<'stream:catchup'>;
    if (answer.kind === 'entries') for (const entry of answer.entries) replica.offer(entry);
    else replica.replace(answer.snapshot);
    this.#changed();
  }

  // Local state -----------------------------------------------------------------------------

  #onOutboxAck(item: OutboxItem, data: unknown): void {
    if (item.name === 'post:create') {
      const post = (data as CommandAck<'post:create'>).post;
      this.#ownIds.add(post.id);
      this.noteAcknowledged(post);
    } else if (item.name === 'post:create-from-room') {
      // Staff: shown from the acknowledgement until the staff stream brings it.
      this.noteAcknowledged((data as CommandAck<'post:create-from-room'>).post);
    } else if (item.name === 'post:upvote') {
      if (item.payload.isOn) this.#myVotes.add(item.payload.postId);
      else this.#myVotes.delete(item.payload.postId);
      this.#changed();
    }
  }

  /** Moderation log entries for `view.log` (staff), newest kept. */
  protected addLog(entries: readonly LogEntryWire[]): void {
    if (entries.length === 0) return;
    for (const entry of entries) this.#log.set(entry.seq, entry);
    if (this.#log.size > MAX_LOG_HELD) {
      const keep = [...this.#log.keys()].sort((a, b) => b - a).slice(0, MAX_LOG_HELD);
      this.#log = new Map(keep.map((seq) => [seq, this.#log.get(seq)!]));
    }
    this.#changed();
  }

  /** A post from an acknowledgement or a conflict, shown until the streams catch up. */
  protected noteAcknowledged(post: PostWire): void {
    const known = this.#acknowledged.get(post.id);
    if (!known || post.version > known.version) this.#acknowledged.set(post.id, post);
    this.#changed();
  }

  #later(delayMs: number, task: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      if (!this.#isClosed) task();
    }, delayMs);
    this.#timers.add(timer);
  }

  #changed(): void {
    this.#view = null;
    if (this.#isNotifyQueued) return;
    this.#isNotifyQueued = true;
    queueMicrotask(() => {
      this.#isNotifyQueued = false;
      if (this.#listeners.size === 0) return;
      const view = this.view;
      for (const listener of this.#listeners) listener(view);
    });
  }

  #buildView(): ConnectionView {
    const list = (name: StreamName) => {
      const replica = this.#replicas[name];
      return replica ? [...replica.posts] : undefined;
    };
    const streams = {
      public: list('public') ?? [],
      staff: list('staff'),
      private: list('private'),
    };
    // Acknowledged copies are only needed until the streams have caught up with them.
    for (const [id, post] of this.#acknowledged) {
      const streamCopy =
        this.#replicas.staff?.getPost(id) ??
        this.#replicas.private?.getPost(id) ??
        this.#replicas.public?.getPost(id);
      if (streamCopy && streamCopy.version >= post.version) this.#acknowledged.delete(id);
    }
    const lastSeq: Partial<Record<StreamName, number>> = {};
    let session = this.#session;
    for (const name of STREAM_NAMES) {
      const replica = this.#replicas[name];
      if (!replica) continue;
      lastSeq[name] = replica.seq;
      if (replica.session && (!session || replica.session.version > session.version))
        session = replica.session;
    }
    const outbox = this.#outbox?.items ?? [];
    return {
      sessionId: this.sessionId,
      status: this.#status,
      fatal: this.#fatal,
      joinError: this.#joinError,
      session,
      you: this.#you,
      posts: mergePosts({
        ...streams,
        acknowledged: [...this.#acknowledged.values()],
        ownIds: this.#ownIds,
      }),
      counts: this.#counts,
      myVotes: effectiveVotes(this.#myVotes, outbox),
      lastSeq,
      outbox,
      log: [...this.#log.values()].sort((a, b) => b.seq - a.seq),
      wall: this.#wall,
      queue: (this.#replicas.staff ?? this.#replicas.public)?.queue ?? null,
      micTicket: this.#replicas.private?.micTicket ?? null,
    };
  }
}

function toEntry(update: SequencedUpdate): StreamEntry {
  switch (update.type) {
    case 'post:created':
    case 'post:updated':
      return { seq: update.seq, update: { type: update.type, post: update.post } };
    case 'post:withdrawn':
      return { seq: update.seq, update: { type: update.type, postId: update.postId } };
    case 'session:updated':
      return { seq: update.seq, update: { type: update.type, session: update.session } };
    case 'queue:updated':
      return { seq: update.seq, update: { type: update.type, queue: update.queue } };
    case 'mic:ticket':
      return { seq: update.seq, update: { type: update.type, ticket: update.ticket } };
  }
}

export function isPostWire(value: unknown): value is PostWire {
  const post = value as Partial<PostWire> | null;
  return (
    !!post &&
    typeof post === 'object' &&
    typeof post.id === 'string' &&
    typeof post.version === 'number' &&
    typeof post.status === 'string'
  );
}
