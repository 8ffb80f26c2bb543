/**
 * One Socket.IO connection for one session, and a consistent local replica of every stream
 * the principal is entitled to (DESIGN "Real time, without losing anything"; SPEC S1-S6): a
 * façade over the socket link (socket-link.ts: socket, calls, reconnection; loaded with
 * Socket.IO once the page runs), the stream sync (stream-sync.ts: join, resume, catch-up)
 * and the view builder (connection-view.ts). Here: the commands, the unsequenced state
 * (counts, wall, log, votes), resync on every resume signal (a socket can look connected and
 * have missed everything), and the Outbox, through which actions are stored first and sent
 * with a fixed command id until acknowledged: nothing lost, nothing doubled. Framework-free:
 * a Svelte state class mirrors `view` through `subscribe` (lib/session).
 */
import type { CommandAck, CommandName, CommandRequest } from '@gt/protocol';
import { SEQUENCED_UPDATES, isIdempotentCommand, isSessionlessCommand } from '@gt/protocol/names';
import { newCommandId } from './command-id.js';
import { buildView, emptyCounts } from './connection-view.js';
import type { ConnectionStatus, ConnectionView } from './connection-view.js';
import { sessionOutbox } from './outbox.js';
import type { Outbox, OutboxCommand, OutboxItem } from './outbox.js';
import type { ClientSocket, SocketLink } from './socket-link.js';
import type { SendPayload, SessionConnectionOptions } from './session-connection-options.js';
import { StreamSync } from './stream-sync.js';
import { jittered } from './timers.js';
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
/** After the socket link failed to load, the next attempt (jittered). */
const LOAD_RETRY_MS = 2_000;
const OFFLINE: ClientResult<never> = {
  ok: false,
  error: { code: 'offline', message: 'not connected' },
};

export class SessionConnection {
  readonly sessionId: string;
  readonly #o: SessionConnectionOptions;
  #timers = new Set<ReturnType<typeof setTimeout>>();
  /** Loaded by start(): constructing a connection (server-side rendering, say) opens nothing. */
  #link: SocketLink | null = null;
  #isLoadingLink = false;
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
    this.#sync = new StreamSync({
      sessionId: this.sessionId,
      later: (delayMs, task) => this.#later(delayMs, task),
      gapHoldMs: options.gapHoldMs,
      call: (name, payload) => this.#call(name, payload),
      isConnected: () => this.#isConnected,
      isClosed: () => this.#isClosed,
      reconnectNow: () => this.#link?.reconnectNow(),
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

    this.#outbox = sessionOutbox(
      { sessionId: this.sessionId, staffToken: this.#staffToken, storage: options.storage },
      {
        send: (name, payload) => this.#call(name, payload),
        canSend: () => this.#sync.isJoined && this.#isConnected,
        onChange: () => this.#changed(),
        onAcknowledged: (item, data) => this.#onOutboxAck(item, data),
      },
    );

    if (options.autoStart !== false) this.start();
  }

  /**
   * Connect, and listen for resume signals. Idempotent. Runs in the constructor unless
   * `autoStart` is false: pages build the connection while rendering on the server and start
   * it once mounted in the browser.
   */
  start(): void {
    if (this.#isClosed || this.#isLoadingLink) return;
    if (this.#link) {
      this.#link.start();
      return;
    }
    // Socket.IO's client is a good part of a page's script, and the first paint (rendered on
    // the server) and the first actions (the outbox keeps them) do not need it: it is loaded
    // with the socket link once the page runs, instead of with the page. The attendee page's
    // first-load budget counts on this (client/e2e/attendee-budget.e2e.ts).
    this.#isLoadingLink = true;
    // Both at once (no waterfall); a test brings its own socket factory.
    const { createSocket } = this.#o;
    Promise.all([import('./socket-link.js'), createSocket ?? import('socket.io-client')]).then(
      ([{ SocketLink }, factory]) => {
        this.#isLoadingLink = false;
        if (this.#isClosed) return;
        this.#link = new SocketLink(this.#o, typeof factory === 'function' ? factory : factory.io, {
          later: (delayMs, task) => this.#later(delayMs, task),
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
        this.#link.start();
      },
      () => {
        // The chunk did not arrive (a bad network): try again, as a reconnect would.
        this.#isLoadingLink = false;
        this.#setOffline();
        this.#later(jittered(LOAD_RETRY_MS), () => this.start());
      },
    );
  }

  close(): void {
    if (this.#isClosed) return;
    this.#isClosed = true;
    this.#outbox.close();
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#sync.close();
    this.#link?.close();
    this.#status = 'offline';
    this.#changed();
    this.#listeners.clear();
  }

  // Reading ---------------------------------------------------------------------------------

  get view(): ConnectionView {
    return (this.#view ??= buildView({
      sessionId: this.sessionId,
      status: this.#status,
      fatal: this.#link?.fatal ?? null,
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
    const link = this.#link;
    if (this.#isClosed || !link || link.fatal) return;
    if (!link.isConnected) {
      link.reconnectNow();
      return;
    }
    if (!this.#sync.isJoined) return;
    void this.#outbox.drain();
    await this.#sync.catchUpAll();
  }

  // Local state -----------------------------------------------------------------------------

  get #isConnected(): boolean {
    return this.#link?.isConnected ?? false;
  }

  /** Emit with an acknowledgement (never rejects); `offline` until the link is loaded. */
  #call(name: string, payload: Record<string, unknown>): Promise<ClientResult<unknown>> {
    return this.#link?.call(name, payload) ?? Promise.resolve(OFFLINE);
  }

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
    this.tap(socket);
  }

  /**
   * A subclass's own part of every new socket (to listen for more updates) and of every join
   * acknowledgement (staff: the polls). One short hook, because every byte here is on the
   * attendee page's budget (client/e2e/attendee-budget.e2e.ts).
   */
  protected tap(_from: ClientSocket | JoinAck): void {}

  #adoptJoin(ack: JoinAck): void {
    this.#session = ack.session;
    this.#you = ack.you;
    this.#counts = ack.counts;
    this.#myVotes = new Set(ack.myVotes);
    this.#wall = ack.wall ?? null;
    this.tap(ack);
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

  /** Delayed tasks (retries, back-offs) that closing the connection cancels. */
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
}
