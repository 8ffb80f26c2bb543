/**
 * One Socket.IO connection for one session, and a consistent local replica of every stream
 * the principal is entitled to (DESIGN "Real time, without losing anything"; SPEC S1-S6).
 * A façade over three parts:
 *
 * - the socket link (socket-link.ts): loads Socket.IO, sends commands, reconnects;
 * - the stream sync (stream-sync.ts): join, resume, catch-up, gaps held for a moment;
 * - the view builder (connection-view.ts): what the screens read, rebuilt on every change.
 *
 * Here: the commands the screens send, the unsequenced state (counts, wall, log, votes), and
 * the outbox. Coming back (tab visible, network online, page restored, device awake) catches
 * up every stream: a socket can look connected and have missed everything. Attendee actions
 * go through the Outbox: stored first, sent with a fixed command id until acknowledged, so a
 * reload, a lost connection or a restarted server loses nothing and doubles nothing.
 *
 * Framework-free: a Svelte state class mirrors `view` through `subscribe` (lib/session).
 */
import type { CommandAck, CommandName, CommandRequest } from '@gt/protocol';
import { SEQUENCED_UPDATES, isIdempotentCommand, isSessionlessCommand } from '@gt/protocol/names';
import { newCommandId } from './command-id.js';
import { buildView, emptyCounts } from './connection-view.js';
import type { ConnectionStatus, ConnectionView } from './connection-view.js';
import { Outbox } from './outbox.js';
import type { OutboxCommand, OutboxItem } from './outbox.js';
import { outboxLockFor } from './outbox-lock.js';
import { LocalOutboxStorage, MemoryOutboxStorage } from './outbox-storage.js';
import { shortHash } from './replica-view.js';
import { SocketLink } from './socket-link.js';
import type { ClientSocket } from './socket-link.js';
import type { SendPayload, SessionConnectionOptions } from './session-connection-options.js';
import { StreamSync } from './stream-sync.js';
import { Timers } from './timers.js';
import type {
  ClientError,
  ClientResult,
  Counts,
  JoinAck,
  LogEntryWire,
  PostWire,
  SequencedUpdate,
  SessionWire,
  StreamName,
  WallSetWire,
} from './types.js';

export { emptyView, isPostWire } from './connection-view.js';
export type { ConnectionStatus, ConnectionView } from './connection-view.js';
export type { ClientSocket, SocketFactory } from './socket-link.js';
export type {
  ModerationAction,
  SendPayload,
  SessionConnectionOptions,
} from './session-connection-options.js';

/** The console never needs more of the log in memory than this; older pages are listed again. */
const MAX_LOG_HELD = 1000;

export class SessionConnection {
  readonly sessionId: string;
  readonly #o: SessionConnectionOptions;
  readonly #timers = new Timers();
  readonly #link: SocketLink;
  readonly #sync: StreamSync;
  readonly #outbox: Outbox;
  #deviceToken: string | null;
  readonly #staffToken: string | null;

  #status: ConnectionStatus = 'connecting';
  #joinError: ClientError | null = null;
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
  #isClosed = false;

  #view: ConnectionView | null = null;
  #isNotifyQueued = false;
  #listeners = new Set<(view: ConnectionView) => void>();

  constructor(options: SessionConnectionOptions) {
    this.#o = options;
    this.sessionId = options.sessionId;
    this.#deviceToken = options.deviceToken ?? null;
    this.#staffToken = options.staffToken ?? null;
    this.#counts = emptyCounts(this.sessionId);
    this.#link = new SocketLink({
      url: options.url,
      socketOptions: options.socketOptions,
      createSocket: options.createSocket,
      commandTimeoutMs: options.commandTimeoutMs,
      lifecycle: options.lifecycle,
      timers: this.#timers,
      tokens: () => ({ device: this.#deviceToken, staff: this.#staffToken }),
      listen: (socket) => this.#listen(socket),
      onConnect: () => {
        this.#status = 'connecting';
        this.#changed();
        void this.#sync.join();
      },
      onDisconnect: () => {
        this.#sync.disconnected();
        if (this.#isClosed) return;
        this.#setOffline();
      },
      onOffline: () => this.#setOffline(),
      onResume: () => void this.resync(),
    });
    this.#sync = new StreamSync({
      sessionId: this.sessionId,
      timers: this.#timers,
      gapHoldMs: options.gapHoldMs,
      call: (name, payload) => this.#link.call(name, payload),
      isConnected: () => this.#link.isConnected,
      isClosed: () => this.#isClosed,
      reconnectNow: () => this.#link.reconnectNow(),
      deviceId: () => this.#you?.deviceId,
      adoptJoin: (ack) => this.#adoptJoin(ack),
      joined: () => this.#joined(),
      joinFailed: (error) => {
        this.#joinError = error;
        this.#setOffline();
      },
      changed: () => this.#changed(),
    });
    if (options.initial) {
      this.#adoptJoin(options.initial);
      this.#sync.applyJoin(options.initial);
    }

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
      send: (name, payload) => this.#link.call(name, payload),
      canSend: () => this.#sync.isJoined && this.#link.isConnected,
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
    if (this.#isClosed) return;
    this.#link.start();
  }

  close(): void {
    if (this.#isClosed) return;
    this.#isClosed = true;
    this.#outbox.close();
    this.#timers.close();
    this.#sync.close();
    this.#link.close();
    this.#status = 'offline';
    this.#changed();
    this.#listeners.clear();
  }

  // Reading ---------------------------------------------------------------------------------

  get view(): ConnectionView {
    return (this.#view ??= buildView({
      sessionId: this.sessionId,
      status: this.#status,
      fatal: this.#link.fatal,
      joinError: this.#joinError,
      session: this.#session,
      you: this.#you,
      replicas: this.#sync.replicas,
      acknowledged: this.#acknowledged,
      ownIds: this.#ownIds,
      counts: this.#counts,
      myVotes: this.#myVotes,
      // Undefined while the constructor applies `initial`, before the outbox exists.
      outbox: (this.#outbox as Outbox | undefined)?.items ?? [],
      log: this.#log,
      wall: this.#wall,
    }));
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
    return this.#link.call(name, full) as Promise<ClientResult<CommandAck<K>>>;
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
      await this.#sync.join();
    }
    return result;
  }

  /**
   * Make sure nothing was missed: catch up every stream and send the outbox, or, when the
   * socket is down, reconnect now instead of waiting out the back-off. Called on every
   * resume signal; resolves when the catch-ups have been answered.
   */
  async resync(): Promise<void> {
    if (this.#isClosed || this.#link.fatal) return;
    if (!this.#link.hasSocket) return;
    if (!this.#link.isConnected) {
      this.#link.reconnectNow();
      return;
    }
    if (!this.#sync.isJoined) return;
    void this.#outbox.drain();
    await this.#sync.catchUpAll();
  }

  // Local state -----------------------------------------------------------------------------

  /** The updates of a new socket: sequenced ones to the stream sync, the rest held here. */
  #listen(socket: ClientSocket): void {
    for (const name of SEQUENCED_UPDATES)
      socket.on(name, (payload: SequencedUpdate) => this.#sync.onUpdate(payload));
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

  #adoptJoin(ack: JoinAck): void {
    this.#session = ack.session;
    this.#you = ack.you;
    this.#counts = ack.counts;
    this.#myVotes = new Set(ack.myVotes);
    this.#wall = ack.wall ?? null;
  }

  #joined(): void {
    this.#joinError = null;
    this.#status = 'online';
    this.#changed();
    void this.#outbox.drain();
    // Live entries missed while disconnected come back with the newest page.
    this.onJoined();
  }

  #setOffline(): void {
    this.#status = 'offline';
    this.#changed();
  }

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
}
