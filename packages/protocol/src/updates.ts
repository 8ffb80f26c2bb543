/**
 * The update table: every message the server sends. Sequenced updates belong to one stream
 * of one session and carry that stream's sequence number; a client that sees a gap asks
 * `stream:catchup`. `counts` is not sequenced: it carries absolute values, so a lost one is
 * repaired by the next.
 */
import { z } from 'zod';
import {
  micTicketSchema,
  queueSchema,
  countsSchema,
  logEntrySchema,
  wallSetSchema,
  postViewSchema,
  seqSchema,
  sessionViewSchema,
  streamNameSchema,
} from './schemas.js';
import { pollAnswerViewSchema, pollResultsSchema, pollViewSchema } from './poll-schemas.js';
import type { SequencedUpdateName } from './names.js';

/**
 * The sequenced updates are listed in names.ts (the browser reads that list): each must be in
 * the table below, with the stream envelope, or the table does not compile.
 */
type UpdateTable = Record<string, z.ZodType> & {
  [K in SequencedUpdateName]: z.ZodType<{ stream: string; seq: number }>;
};

const envelope = { sessionId: z.string(), stream: streamNameSchema, seq: seqSchema };

export const updates = {
  'post:created': z.strictObject({
    ...envelope,
    type: z.literal('post:created'),
    post: postViewSchema,
  }),
  'post:updated': z.strictObject({
    ...envelope,
    type: z.literal('post:updated'),
    post: postViewSchema,
  }),
  'post:withdrawn': z.strictObject({
    ...envelope,
    type: z.literal('post:withdrawn'),
    postId: z.string(),
  }),
  'session:updated': z.strictObject({
    ...envelope,
    type: z.literal('session:updated'),
    session: sessionViewSchema,
  }),
  'queue:updated': z.strictObject({
    ...envelope,
    type: z.literal('queue:updated'),
    queue: queueSchema,
  }),
  'mic:ticket': z.strictObject({
    ...envelope,
    type: z.literal('mic:ticket'),
    ticket: micTicketSchema,
  }),
  'poll:updated': z.strictObject({
    ...envelope,
    type: z.literal('poll:updated'),
    poll: pollViewSchema,
  }),
  'poll:answered': z.strictObject({
    ...envelope,
    type: z.literal('poll:answered'),
    answer: pollAnswerViewSchema,
  }),
  counts: countsSchema,
  /**
   * [PL10] A poll's results: to staff always, to the public while they are shown. Not
   * sequenced, coalesced like counts (at most 4 a second); the higher revision wins.
   */
  'poll:results': z.strictObject({ sessionId: z.string(), ...pollResultsSchema.shape }),
  /**
   * [FV2] The wall's rotation turned (or a listed post left): what the wall lists now. To the
   * public room, not sequenced: the newest replaces the last.
   */
  'wall:rotation': z.strictObject({ sessionId: z.string(), ...wallSetSchema.shape }),
  /** [ML2] A staff action just logged; to the session's staff only, not sequenced. */
  'log:entry': z.strictObject({ sessionId: z.string(), entry: logEntrySchema }),
} as const satisfies UpdateTable;

export type Updates = typeof updates;
export type UpdateName = keyof Updates;
export type UpdatePayload<K extends UpdateName> = z.output<Updates[K]>;
export type SequencedUpdate = UpdatePayload<SequencedUpdateName>;
