/**
 * Wire shapes as the client holds them. All type-only imports: nothing here reaches the
 * bundle, so the browser never loads the protocol's zod schemas.
 */
import type { StreamName } from '@gt/core';
import type {
  CatchupAck,
  ErrorCode,
  JoinAck,
  SequencedUpdate,
  SessionWire,
  UpdatePayload,
} from '@gt/protocol';

export type { StreamName, SessionWire, JoinAck, CatchupAck };

/** A post as a stream carries it (public view, or the full view for staff and its author). */
export type PostWire = UpdatePayload<'post:created'>['post'];
export type Counts = UpdatePayload<'counts'>;
/** [FV2] What the wall's rotation lists now besides the highlighted post. */
export type WallSetWire = Omit<UpdatePayload<'wall:rotation'>, 'sessionId'>;
/** One moderation log entry (staff only), as `log:list` and `log:entry` carry it. */
export type LogEntryWire = UpdatePayload<'log:entry'>['entry'];
export type Snapshot = JoinAck['streams']['public'];
/** One numbered change of a stream, as catch-up returns it. */
export type StreamEntry = Extract<CatchupAck, { kind: 'entries' }>['entries'][number];
export type StreamChange = StreamEntry['update'];
export type { SequencedUpdate };
export type StaffRole = NonNullable<JoinAck['you']['staff']>;

export const STREAM_NAMES = ['public', 'staff', 'private'] as const satisfies readonly StreamName[];

/**
 * Errors the client adds to the server's closed list: the command could not be sent
 * (`offline`), or no acknowledgement came in time (`timeout`: it may or may not have
 * happened, so only an idempotent command can safely be sent again, with the same id).
 */
export type ClientErrorCode = ErrorCode | 'offline' | 'timeout';
export interface ClientError {
  code: ClientErrorCode;
  message: string;
  details?: Record<string, unknown>;
}
export type ClientResult<T> = { ok: true; data: T } | { ok: false; error: ClientError };
