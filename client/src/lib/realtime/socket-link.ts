/**
 * The socket under a session connection: opens it with Socket.IO's client, presents the
 * handshake, sends commands and waits for their acknowledgements, and gets the connection
 * back (Socket.IO's own back-off, a nudge when the server closed the socket, at once on a
 * resume signal). What the messages mean is the owner's business (SessionConnection wires
 * the listeners through `listen`).
 *
 * SessionConnection loads this module, and Socket.IO's client beside it (`createSocket`),
 * with import() once the page runs: the first paint (rendered on the server) and the first
 * actions (the outbox keeps them) need neither, and the attendee page's first-load budget
 * counts on it (client/e2e/attendee-budget.e2e.ts). Only types may be imported from here
 * statically.
 */
import type { ManagerOptions, Socket, SocketOptions } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@gt/protocol';
import { type HANDSHAKE_ERRORS, PROTOCOL_VERSION } from '@gt/protocol/names';
import { browserLifecycle } from './lifecycle.js';
import { jittered } from './timers.js';
import type { Later } from './timers.js';
import type { SessionConnectionOptions } from './session-connection-options.js';
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

/** What the link tells the connection it serves, and asks of it. */
export interface SocketLinkHooks {
  later: Later;
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
  readonly #o: SessionConnectionOptions;
  /** Socket.IO's `io`, or a test's wrapper of it. */
  readonly #factory: SocketFactory;
  readonly #hooks: SocketLinkHooks;
  readonly #timeoutMs: number;
  #socket: ClientSocket | null = null;
  #fatal: string | null = null;
  #isClosed = false;
  #stopLifecycle: () => void = () => {};

  constructor(options: SessionConnectionOptions, factory: SocketFactory, hooks: SocketLinkHooks) {
    this.#o = options;
    this.#factory = factory;
    this.#hooks = hooks;
    this.#timeoutMs = options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
  }

  /** The server refused this client for good (another protocol version: reload the page). */
  get fatal(): string | null {
    return this.#fatal;
  }

  get isConnected(): boolean {
    return this.#socket?.connected ?? false;
  }

  /** Connect, and listen for resume signals. Idempotent. */
  start(): void {
    if (this.#isClosed || this.#fatal || this.#socket?.active) return;
    this.#stopLifecycle();
    // The browser's resume signals matter once there is a socket to check: they come with
    // this module, not with the page (first-load budget).
    const lifecycle =
      this.#o.lifecycle !== undefined
        ? this.#o.lifecycle
        : typeof window !== 'undefined'
          ? browserLifecycle()
          : null;
    this.#stopLifecycle = lifecycle?.subscribe(() => this.#hooks.onResume()) ?? (() => {});
    if (this.#socket) {
      this.#socket.connect();
      return;
    }
    this.#socket = this.#createSocket(this.#factory);
    this.#socket.connect();
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
    this.#hooks.listen(socket);
    return socket;
  }

  #handshake(): Record<string, unknown> {
    const { device, staff } = this.#hooks.tokens();
    return {
      v: PROTOCOL_VERSION,
      ...(device ? { device } : {}),
      ...(staff ? { staff } : {}),
    };
  }

  #listen(socket: ClientSocket): void {
    socket.on('connect', () => this.#hooks.onConnect());
    socket.on('disconnect', (reason) => {
      this.#hooks.onDisconnect();
      if (this.#isClosed) return;
      // A server that is shutting down, or that revoked our link, closes the socket itself;
      // Socket.IO then does not reconnect on its own. A restarted server must get us back.
      if (reason === 'io server disconnect')
        this.#hooks.later(jittered(SERVER_DISCONNECT_RETRY_MS), () => {
          if (!socket.active) socket.connect();
        });
    });
    socket.on('connect_error', (error) => {
      if (FATAL_HANDSHAKE_ERRORS.includes(error.message)) {
        this.#fatal = error.message;
        socket.disconnect();
      }
      this.#hooks.onOffline();
    });
  }
}
