/**
 * The socket under a session connection: loads Socket.IO's client when the page runs,
 * presents the handshake, sends commands and waits for their acknowledgements, and gets the
 * connection back (Socket.IO's own back-off, a nudge when the server closed the socket, at
 * once on a resume signal). What the messages mean is the owner's business (SessionConnection
 * wires the listeners through `listen`).
 */
import type { ManagerOptions, Socket, SocketOptions } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@gt/protocol';
import { type HANDSHAKE_ERRORS, PROTOCOL_VERSION } from '@gt/protocol/names';
import type { LifecycleSource } from './lifecycle.js';
import { jittered } from './timers.js';
import type { Timers } from './timers.js';
import type { ClientResult } from './types.js';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type SocketFactory = (
  url: string | undefined,
  options: Partial<ManagerOptions & SocketOptions>,
) => ClientSocket;

/** Handshake refusals that another attempt cannot fix (the page must be reloaded). */
const FATAL_HANDSHAKE_ERRORS: readonly string[] = [
  'protocol_mismatch',
  'invalid_handshake',
] satisfies (typeof HANDSHAKE_ERRORS)[number][];
const DEFAULT_COMMAND_TIMEOUT_MS = 10_000;
/** When the server itself closed the socket, Socket.IO does not reconnect: we do, after this. */
const SERVER_DISCONNECT_RETRY_MS = 1_000;
/** After the Socket.IO client failed to load, the next attempt (jittered). */
const LOAD_RETRY_MS = 2_000;

export interface SocketLinkOptions {
  url?: string;
  socketOptions?: Partial<ManagerOptions & SocketOptions>;
  createSocket?: SocketFactory;
  commandTimeoutMs?: number;
  /** Resume signals; the browser's by default, none outside a browser. null: none. */
  lifecycle?: LifecycleSource | null;
  timers: Timers;
  /** The tokens to present: read on every (re)connect, so a new device token is used. */
  tokens: () => { device: string | null; staff: string | null };
  /** Wire the owner's update listeners on a new socket. */
  listen: (socket: ClientSocket) => void;
  onConnect: () => void;
  onDisconnect: () => void;
  /** The connection is down or could not be made (`fatal`: never try again). */
  onOffline: () => void;
  /** The page came back (tab visible, network online, device awake): check nothing was missed. */
  onResume: () => void;
}

export class SocketLink {
  readonly #o: SocketLinkOptions;
  readonly #timeoutMs: number;
  /** Made by start(): constructing a connection (during server-side rendering, say) opens nothing. */
  #socket: ClientSocket | null = null;
  /** The Socket.IO client is being loaded (see start()). */
  #isLoadingClient = false;
  #fatal: string | null = null;
  #isClosed = false;
  #stopLifecycle: () => void = () => {};
  /** Bumped by every start(), so a lifecycle module that arrives late subscribes only once. */
  #startCount = 0;

  constructor(options: SocketLinkOptions) {
    this.#o = options;
    this.#timeoutMs = options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
  }

  /** The server refused this client for good (another protocol version: reload the page). */
  get fatal(): string | null {
    return this.#fatal;
  }

  get hasSocket(): boolean {
    return this.#socket !== null;
  }

  get isConnected(): boolean {
    return this.#socket?.connected ?? false;
  }

  /** Connect, and listen for resume signals. Idempotent. */
  start(): void {
    if (this.#isClosed || this.#fatal || this.#socket?.active || this.#isLoadingClient) return;
    this.#startCount += 1;
    this.#stopLifecycle();
    this.#stopLifecycle = () => {};
    if (this.#o.lifecycle !== undefined) {
      const lifecycle = this.#o.lifecycle;
      this.#stopLifecycle = lifecycle?.subscribe(() => this.#o.onResume()) ?? (() => {});
    } else if (typeof window !== 'undefined') {
      // The browser's resume signals matter once there is a socket to check, which comes a
      // moment later too (below): loaded with it, not with the page (first-load budget).
      const startedAt = this.#startCount;
      void import('./lifecycle.js').then(({ browserLifecycle }) => {
        if (this.#isClosed || startedAt !== this.#startCount) return;
        this.#stopLifecycle = browserLifecycle().subscribe(() => this.#o.onResume());
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
        this.#o.onOffline();
        this.#o.timers.later(jittered(LOAD_RETRY_MS), () => this.start());
      },
    );
  }

  close(): void {
    if (this.#isClosed) return;
    this.#isClosed = true;
    this.#stopLifecycle();
    this.#socket?.disconnect();
  }

  /** Drop the socket and open it again at once: disconnect() also resets Socket.IO's back-off. */
  reconnectNow(): void {
    if (!this.#socket || this.#isClosed || this.#fatal) return;
    this.#socket.disconnect();
    this.#socket.connect();
  }

  /** Emit with an acknowledgement; never rejects. */
  async call(name: string, payload: Record<string, unknown>): Promise<ClientResult<unknown>> {
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
    this.#o.listen(socket);
    return socket;
  }

  #handshake(): Record<string, unknown> {
    const { device, staff } = this.#o.tokens();
    return {
      v: PROTOCOL_VERSION,
      ...(device ? { device } : {}),
      ...(staff ? { staff } : {}),
    };
  }

  #listen(socket: ClientSocket): void {
    socket.on('connect', () => this.#o.onConnect());
    socket.on('disconnect', (reason) => {
      this.#o.onDisconnect();
      if (this.#isClosed) return;
      // A server that is shutting down, or that revoked our link, closes the socket itself;
      // Socket.IO then does not reconnect on its own. A restarted server must get us back.
      if (reason === 'io server disconnect')
        this.#o.timers.later(jittered(SERVER_DISCONNECT_RETRY_MS), () => {
          if (!socket.active) socket.connect();
        });
    });
    socket.on('connect_error', (error) => {
      if (FATAL_HANDSHAKE_ERRORS.includes(error.message)) {
        this.#fatal = error.message;
        socket.disconnect();
      }
      this.#o.onOffline();
    });
  }
}
