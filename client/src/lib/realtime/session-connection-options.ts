/**
 * The options of a session connection and the shapes of its public methods, apart from the
 * connection itself so that screens and tests can name them without reading its workings.
 */
import type { ManagerOptions, SocketOptions } from 'socket.io-client';
import type { CommandName, CommandRequest } from '@gt/protocol';
import type { LifecycleSource } from './lifecycle.js';
import type { OutboxStorage } from './outbox-storage.js';
import type { SocketFactory } from './socket-link.js';
import type { JoinAck } from './types.js';

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
  /** Overrides of the Socket.IO client options (the handshake `auth` is always ours). */
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
