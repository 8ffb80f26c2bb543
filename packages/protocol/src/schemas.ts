/**
 * Wire shapes shared by every command and update. Raw length caps here are generous guards
 * against abuse (a megabyte of text); the grapheme rules of @gt/core decide what a person
 * may post.
 */
import {
  ID_PATTERN,
  JOIN_CODE_PATTERN,
  LOG_ACTIONS,
  MAX_PANEL_MEMBERS,
  MAX_ROTATION_SECONDS,
  MIN_ROTATION_SECONDS,
  POST_KINDS,
  POST_STATUSES,
  REACTIONS,
  WALL_LANGUAGES,
  WALL_MODES,
  WALL_OVERRIDES,
} from '@gt/core';
import type {
  Brand,
  FollowUpView,
  LogEntryView,
  PostView,
  SessionView,
  StreamUpdate,
  TopicView,
} from '@gt/core';
import { z } from 'zod';
import { pollAnswerViewSchema, pollViewSchema } from './poll-schemas.js';

export const idSchema = z
  .string()
  .regex(ID_PATTERN, 'expected an id of 8-64 letters, digits, _ or -');
export const joinCodeSchema = z.string().regex(JOIN_CODE_PATTERN, 'expected six digits');
export const commandIdSchema = idSchema;
export const seqSchema = z.number().int().min(0);
export const streamNameSchema = z.enum(['public', 'staff', 'private']);
export const reactionSchema = z.enum(REACTIONS);
export const staffRoleSchema = z.enum(['moderator', 'organiser']);

/** Raw text caps (characters, before normalisation); the core rule counts graphemes. */
export const RAW_TEXT_MAX = 4000;
export const RAW_NAME_MAX = 200;
export const RAW_REASON_MAX = 1000;

export const postViewSchema = z.strictObject({
  id: z.string(),
  sessionId: z.string(),
  kind: z.enum(POST_KINDS),
  text: z.string(),
  displayName: z.string().nullable(),
  status: z.enum(POST_STATUSES),
  version: z.number().int(),
  createdAt: z.number(),
  updatedAt: z.number(),
  isHighlighted: z.boolean(),
  isPinned: z.boolean(),
  isFromRoom: z.boolean(),
  heldReason: z.enum(['premoderation', 'word_filter']).nullable(),
  hideReason: z.string().nullable(),
  history: z.array(z.strictObject({ text: z.string(), editedAt: z.number() })),
  /** [M8] A topic of the session's event, or null. */
  topicId: z.string().nullable(),
  /** [M9] A panel member's id, or null. */
  directedTo: z.string().nullable(),
  /** [M13] The post this one was merged into (it is hidden then), or null. */
  mergedInto: z.string().nullable(),
  /** [M13] The texts merged into this post, shown under it. */
  merged: z.array(
    z.strictObject({ id: z.string(), text: z.string(), authorName: z.string().nullable() }),
  ),
  /** [M13] Distinct authors of the post and the posts merged into it. */
  voices: z.number().int().min(1),
  /** [M14] The panel member who promised to follow it up (name as the panel had it), or null. */
  followUpPromisedBy: z
    .strictObject({ panelMemberId: z.string(), name: z.string(), at: z.number() })
    .nullable(),
});

export const settingsSchema = z.strictObject({
  moderation: z.enum(['pre', 'post']),
  isOpen: z.boolean(),
  hideVotes: z.boolean(),
  maxLength: z.number().int().min(20).max(1000),
  reactions: z.array(reactionSchema).max(REACTIONS.length),
  wallMode: z.enum(WALL_MODES),
  wallOverride: z.enum(WALL_OVERRIDES),
  reactionsPaused: z.boolean(),
  rotationSeconds: z.number().int().min(MIN_ROTATION_SECONDS).max(MAX_ROTATION_SECONDS),
  wallLanguage: z.enum(WALL_LANGUAGES),
  showParticipantCount: z.boolean(),
  /** Raw caps; core's checkPanel counts graphemes (name 80, party 40). */
  panel: z
    .array(
      z.strictObject({
        id: idSchema,
        name: z.string().max(RAW_NAME_MAX),
        party: z.string().max(RAW_NAME_MAX),
      }),
    )
    .max(MAX_PANEL_MEMBERS),
});

export const sessionViewSchema = z.strictObject({
  id: z.string(),
  eventId: z.string(),
  title: z.string(),
  joinCode: z.string(),
  settings: settingsSchema,
  version: z.number().int(),
  createdAt: z.number(),
});

export const topicViewSchema = z.strictObject({
  id: z.string(),
  eventId: z.string(),
  sessionId: z.string().nullable(),
  title: z.string(),
  description: z.string(),
  contactName: z.string(),
  retentionDays: z.number().int(),
  createdAt: z.number(),
});

export const ageBasisSchema = z.enum(['self_13_or_older', 'parent']);

export const followUpViewSchema = z.strictObject({
  id: z.string(),
  topicId: z.string(),
  eventId: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  ageBasis: ageBasisSchema,
  consentVersion: z.string(),
  consentedAt: z.number(),
  deleteAfter: z.number(),
  withdrawnAt: z.number().nullable(),
});

/** [Q4] A device's own microphone ticket; `position` 1 is first in line, 0 not waiting. */
export const micTicketSchema = z.strictObject({
  ticketId: z.string(),
  number: z.number().int().min(1),
  position: z.number().int().min(0),
  status: z.enum(['waiting', 'next', 'current', 'done', 'cancelled']),
});

/** [Q4] The speaker queue: numbers for everyone; `tickets` (with names) for staff only. */
export const queueSummarySchema = z.strictObject({
  current: z.number().int().nullable(),
  next: z.number().int().nullable(),
  waiting: z.number().int().min(0),
});
export const queueStaffSchema = queueSummarySchema.extend({
  tickets: z.array(micTicketSchema.extend({ name: z.string().nullable() })),
});
export const queueSchema = z.union([queueStaffSchema, queueSummarySchema]);

export const streamUpdateSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('post:created'), post: postViewSchema }),
  z.strictObject({ type: z.literal('post:updated'), post: postViewSchema }),
  z.strictObject({ type: z.literal('post:withdrawn'), postId: z.string() }),
  z.strictObject({ type: z.literal('session:updated'), session: sessionViewSchema }),
  z.strictObject({ type: z.literal('queue:updated'), queue: queueSchema }),
  z.strictObject({ type: z.literal('mic:ticket'), ticket: micTicketSchema }),
  z.strictObject({ type: z.literal('poll:updated'), poll: pollViewSchema }),
  z.strictObject({ type: z.literal('poll:answered'), answer: pollAnswerViewSchema }),
]);

export const streamEntrySchema = z.strictObject({ seq: seqSchema, update: streamUpdateSchema });

export const snapshotSchema = z.strictObject({
  /** The stream's sequence number this snapshot is current to. */
  seq: seqSchema,
  posts: z.array(postViewSchema),
  /** [Q5] The speaker queue as this stream shows it (public and staff snapshots). */
  queue: queueSchema.optional(),
  /** [Q5] The device's open microphone ticket, or null (private snapshots). */
  micTicket: micTicketSchema.nullable().optional(),
  /** [PL9] The session's polls as this stream shows them (public and staff snapshots). */
  polls: z.array(pollViewSchema).optional(),
  /** [PL9] The device's answers to the session's polls (private snapshots). */
  pollAnswers: z.array(pollAnswerViewSchema).optional(),
});

/**
 * [S8] A stream as `session:join` returns it: a snapshot, or, when the join asked to resume
 * the stream from a seq the client holds and the retained log still has everything after it,
 * only what came after: `resumedFrom` is that seq, `entries` the entries after it (in
 * order) and `posts` is empty, because the client keeps what it holds. `seq` is the head
 * either way. A snapshot never carries `resumedFrom` or `entries`.
 */
export const joinedStreamSchema = snapshotSchema.extend({
  resumedFrom: seqSchema.optional(),
  entries: z.array(streamEntrySchema).optional(),
});

/** [S8] The seqs a rejoining client holds, per stream, to resume from. */
export const resumeSchema = z.strictObject({
  public: seqSchema.optional(),
  staff: seqSchema.optional(),
  private: seqSchema.optional(),
});

/** One entry of the moderation log (SPEC ML1): who did what, when, to which post. */
export const logEntrySchema = z.strictObject({
  /** Numbers the session's log 1, 2, 3 ... in the order of the changes. */
  seq: z.number().int().min(1),
  id: z.string(),
  at: z.number(),
  actor: z.string(),
  action: z.enum(LOG_ACTIONS),
  postId: z.string().nullable(),
  detail: z.string().nullable(),
});

/** Absolute counts. Votes are left out for attendees when the session hides them. */
export const countsSchema = z.strictObject({
  sessionId: z.string(),
  votes: z.record(z.string(), z.number().int()).optional(),
  reactions: z.record(z.string(), z.number().int()),
  /** [SC5] Attendees connected now; only while the session's showParticipantCount is on. */
  participants: z.number().int().min(0).optional(),
  /**
   * [K3] [FV3] Exposure score by post id (seconds on the wall plus first-screen impressions,
   * rounded); posts never seen are absent. Always sent by the server.
   */
  exposure: z.record(z.string(), z.number().min(0)).optional(),
});

/** [FV2] The posts the wall lists besides the highlighted one, as of `at`. */
export const wallSetSchema = z.strictObject({
  postIds: z.array(z.string()),
  at: z.number(),
});

// The wire schemas and the domain types must describe the same thing; these lines stop the
// build if one changes without the other.
// Ids are branded in the domain and plain strings on the wire.
export type Wire<T> =
  T extends Brand<string, string>
    ? string
    : T extends readonly (infer U)[]
      ? Wire<U>[]
      : T extends object
        ? { [K in keyof T]: Wire<T[K]> }
        : T;
type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertTrue = <T extends true>(value: T) => value;
assertTrue<Equal<z.infer<typeof postViewSchema>, Wire<PostView>>>(true);
assertTrue<Equal<z.infer<typeof sessionViewSchema>, Wire<SessionView>>>(true);
assertTrue<Equal<z.infer<typeof streamUpdateSchema>, Wire<StreamUpdate>>>(true);
assertTrue<Equal<z.infer<typeof topicViewSchema>, Wire<TopicView>>>(true);
assertTrue<Equal<z.infer<typeof followUpViewSchema>, Wire<FollowUpView>>>(true);
assertTrue<Equal<z.infer<typeof logEntrySchema>, Wire<LogEntryView>>>(true);
