/**
 * The command table: every message a client may send, its payload schema, the data of its
 * acknowledgement and the capability it needs. Socket.IO's typed event maps, the server's
 * handler registry, the role matrix and the fuzz tests are all derived from this one table,
 * so a command cannot be added without being validated, authorised and tested.
 */
import type { Capability } from '@gt/core';
import { z } from 'zod';
import {
  RAW_NAME_MAX,
  RAW_REASON_MAX,
  RAW_TEXT_MAX,
  ageBasisSchema,
  commandIdSchema,
  followUpViewSchema,
  topicViewSchema,
  countsSchema,
  idSchema,
  logEntrySchema,
  micTicketSchema,
  queueStaffSchema,
  wallSetSchema,
  postViewSchema,
  reactionSchema,
  seqSchema,
  sessionViewSchema,
  settingsSchema,
  snapshotSchema,
  joinedStreamSchema,
  resumeSchema,
  staffRoleSchema,
  streamEntrySchema,
  streamNameSchema,
} from './schemas.js';
import { MAX_MERGE_SOURCES, POST_KINDS } from '@gt/core';
import type { CommandName, IdempotentCommand, SessionlessCommand } from './names.js';
import {
  pollAnswerValueSchema,
  pollAnswerViewSchema,
  pollDraftInputShape,
  pollResultsSchema,
  pollViewSchema,
} from './poll-schemas.js';

export interface CommandSpec {
  /** What the principal needs in the session the payload names; null: no session involved. */
  capability: Capability | null;
  /** Commands that change state carry a client-generated `commandId`: repeats are answered from the first result. */
  isIdempotent: boolean;
  request: z.ZodType;
  ack: z.ZodType;
  summary: string;
}

/**
 * What the table must say of each command, from the zod-free lists in names.ts (which the
 * browser reads): one entry per name, no other, `isIdempotent` true exactly for the
 * idempotent ones, and a `sessionId` in the request exactly when the command is not
 * session-less. A table and a list that disagree do not compile.
 */
type CommandTable = {
  [K in CommandName]: CommandSpec & {
    isIdempotent: K extends IdempotentCommand ? true : false;
    request: K extends SessionlessCommand
      ? z.ZodType<Record<string, unknown> & { sessionId?: never }>
      : z.ZodType<{ sessionId: string }>;
  };
};

const inSession = { sessionId: idSchema };
/** The most moderation log entries one log:list answers. */
export const MAX_LOG_PAGE = 200;
export const DEFAULT_LOG_PAGE = 50;
/** A phone's first screenful holds a handful of posts; 12 leaves room for a tall tablet. */
export const MAX_REPORTED_POSTS = 12;
const moderation = z.strictObject({
  ...inSession,
  commandId: commandIdSchema,
  postId: idSchema,
  version: z.number().int().min(1),
});
const postAck = z.strictObject({ post: postViewSchema });

export const joinAckSchema = z.strictObject({
  session: sessionViewSchema,
  you: z.strictObject({ deviceId: z.string().nullable(), staff: staffRoleSchema.nullable() }),
  streams: z.strictObject({
    public: joinedStreamSchema,
    staff: joinedStreamSchema.optional(),
    private: joinedStreamSchema.optional(),
  }),
  counts: countsSchema,
  /** Posts this device has upvoted. */
  myVotes: z.array(z.string()),
  /** [FV2] What the wall's rotation lists now (top or fresh voices), so a new wall shows the same. */
  wall: wallSetSchema.nullable().optional(),
  /** [PL10] The results of the session's polls as this principal may see them now. */
  pollResults: z.array(pollResultsSchema).optional(),
});

export const catchupAckSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('entries'),
    stream: streamNameSchema,
    entries: z.array(streamEntrySchema),
  }),
  z.strictObject({
    kind: z.literal('snapshot'),
    stream: streamNameSchema,
    snapshot: snapshotSchema,
  }),
]);

// Live polls (SPEC PL1-PL10) ------------------------------------------------------------------

const pollCommand = z.strictObject({ ...inSession, commandId: commandIdSchema, pollId: idSchema });
const pollAck = z.strictObject({ poll: pollViewSchema });

const pollCommands = {
  'poll:create': {
    capability: 'moderate',
    isIdempotent: true,
    request: z.strictObject({ ...inSession, commandId: commandIdSchema, ...pollDraftInputShape }),
    ack: pollAck,
    summary: 'Prepare a poll as a draft: single or multiple choice, scale, ranking or words.',
  },
  'poll:update': {
    capability: 'moderate',
    isIdempotent: true,
    request: pollCommand.extend(pollDraftInputShape),
    ack: pollAck,
    summary: 'Rewrite a draft poll (an opened poll keeps the question people saw).',
  },
  'poll:open': {
    capability: 'moderate',
    isIdempotent: true,
    request: pollCommand,
    ack: pollAck,
    summary: 'Open a draft poll to answers; only one poll of a session is open at a time.',
  },
  'poll:close': {
    capability: 'moderate',
    isIdempotent: true,
    request: pollCommand,
    ack: pollAck,
    summary: 'Close the open poll: no more answers, its answers kept.',
  },
  'poll:reopen': {
    capability: 'moderate',
    isIdempotent: true,
    request: pollCommand,
    ack: pollAck,
    summary: 'Open a closed poll again, with the answers it has.',
  },
  'poll:show-results': {
    capability: 'moderate',
    isIdempotent: true,
    request: pollCommand,
    ack: pollAck,
    summary: 'Show the poll’s results on the wall and phones (after close, if hidden until then).',
  },
  'poll:hide-results': {
    capability: 'moderate',
    isIdempotent: true,
    request: pollCommand,
    ack: pollAck,
    summary: 'Take the poll’s results off the wall and phones.',
  },
  'poll:hide-word': {
    capability: 'moderate',
    isIdempotent: true,
    request: pollCommand.extend({
      word: z.string().min(1).max(RAW_NAME_MAX),
      /** false: show it again, also a word the word filter held. */
      isHidden: z.boolean(),
    }),
    ack: pollAck,
    summary: 'Hide a word of the word cloud, or show it (also one the word filter held).',
  },
  'poll:answer': {
    capability: 'vote',
    isIdempotent: true,
    request: pollCommand.extend({ answer: pollAnswerValueSchema }),
    ack: z.strictObject({ answer: pollAnswerViewSchema }),
    summary: 'Answer the open poll, or change your answer while it is open.',
  },
  'poll:my-answers': {
    capability: 'vote',
    isIdempotent: false,
    request: z.strictObject({ ...inSession }),
    ack: z.strictObject({ answers: z.array(pollAnswerViewSchema) }),
    summary: 'What this device answered to the session’s polls.',
  },
} as const satisfies Record<string, CommandSpec>;

export const commands = {
  'device:register': {
    capability: null,
    isIdempotent: false,
    request: z.strictObject({}),
    ack: z.strictObject({ deviceId: z.string(), deviceToken: z.string() }),
    summary: 'Get an anonymous device token and become an attendee on this connection.',
  },
  'session:join': {
    capability: 'read',
    isIdempotent: false,
    request: z.strictObject({ ...inSession, resume: resumeSchema.optional() }),
    ack: joinAckSchema,
    summary:
      'Subscribe to the streams you are entitled to; answers with a snapshot of each, or with only the entries after the seqs given in `resume`.',
  },
  'session:leave': {
    capability: 'read',
    isIdempotent: false,
    request: z.strictObject({ ...inSession }),
    ack: z.strictObject({}),
    summary: 'Stop receiving updates of a session.',
  },
  'stream:catchup': {
    capability: 'read',
    isIdempotent: false,
    request: z.strictObject({ ...inSession, stream: streamNameSchema, afterSeq: seqSchema }),
    ack: catchupAckSchema,
    summary:
      'Entries after afterSeq from the retained log, or a fresh snapshot when they are gone.',
  },
  'post:create': {
    capability: 'post',
    isIdempotent: true,
    request: z.strictObject({
      ...inSession,
      commandId: commandIdSchema,
      kind: z.enum(POST_KINDS),
      text: z.string().max(RAW_TEXT_MAX),
      displayName: z.string().max(RAW_NAME_MAX).nullable().optional(),
    }),
    ack: postAck,
    summary: 'Post a question or an idea.',
  },
  'post:upvote': {
    capability: 'vote',
    isIdempotent: true,
    request: z.strictObject({
      ...inSession,
      commandId: commandIdSchema,
      postId: idSchema,
      isOn: z.boolean(),
    }),
    ack: z.strictObject({ postId: z.string(), isOn: z.boolean() }),
    summary: 'Upvote a post (isOn true) or take the vote back (false); once per device.',
  },
  'reaction:send': {
    capability: 'react',
    isIdempotent: true,
    request: z.strictObject({ ...inSession, commandId: commandIdSchema, reaction: reactionSchema }),
    ack: z.strictObject({}),
    summary: 'A quick reaction to the session; counts arrive in coalesced counts updates.',
  },
  'topic:list': {
    capability: 'read',
    isIdempotent: false,
    request: z.strictObject({ ...inSession }),
    ack: z.strictObject({ organisationName: z.string(), topics: z.array(topicViewSchema) }),
    summary: "Topics people can follow: the session's own and its event's.",
  },
  'followup:create': {
    capability: 'follow',
    isIdempotent: true,
    request: z.strictObject({
      ...inSession,
      commandId: commandIdSchema,
      topicId: idSchema,
      name: z.string().max(RAW_NAME_MAX),
      email: z.string().max(320).nullable().optional(),
      phone: z.string().max(40).nullable().optional(),
      /** The unticked consent box, ticked by the person: must be true. */
      hasConsented: z.boolean(),
      ageBasis: ageBasisSchema,
      /** The consent text version the person was shown; must be the current one. */
      consentVersion: z.string().max(40),
    }),
    // No name or contact details: the acknowledgement is kept for replays, and withdrawing
    // must leave no copy of them behind (SPEC F5).
    ack: z.strictObject({
      followUp: z.strictObject({
        id: z.string(),
        topicId: z.string(),
        consentVersion: z.string(),
        consentedAt: z.number(),
        deleteAfter: z.number(),
      }),
    }),
    summary: 'Sign up to be contacted about a topic, with consent; never linked to your posts.',
  },
  'followup:withdraw': {
    capability: null,
    isIdempotent: true,
    request: z.strictObject({ commandId: commandIdSchema, followUpId: idSchema }),
    ack: z.strictObject({ followUp: followUpViewSchema }),
    summary: 'Withdraw a follow-up of your own: the name and contact details are erased at once.',
  },
  'receipt:link': {
    capability: null,
    isIdempotent: false,
    request: z.strictObject({}),
    ack: z.strictObject({ receiptToken: z.string(), path: z.string() }),
    summary:
      'A personal link to your receipt: the status of your posts and follow-ups, from any device.',
  },
  'post:create-from-room': {
    capability: 'moderate',
    isIdempotent: true,
    request: z.strictObject({
      ...inSession,
      commandId: commandIdSchema,
      kind: z.enum(POST_KINDS),
      text: z.string().max(RAW_TEXT_MAX),
      displayName: z.string().max(RAW_NAME_MAX).nullable().optional(),
    }),
    ack: postAck,
    summary:
      'Staff type in a question asked aloud or written on a paper card; it is visible at once, marked "from the room".',
  },
  'post:edit': {
    capability: 'moderate',
    isIdempotent: true,
    request: moderation.extend({ text: z.string().max(RAW_TEXT_MAX) }),
    ack: postAck,
    summary: "Fix a typo in a post; the author's original wording stays in the post's history.",
  },
  'post:approve': {
    capability: 'moderate',
    isIdempotent: true,
    request: moderation,
    ack: postAck,
    summary: 'Approve a pending post.',
  },
  'post:hide': {
    capability: 'moderate',
    isIdempotent: true,
    request: moderation.extend({ reason: z.string().max(RAW_REASON_MAX) }),
    ack: postAck,
    summary: 'Hide a post; the reason is shown to its author.',
  },
  'post:restore': {
    capability: 'moderate',
    isIdempotent: true,
    request: moderation,
    ack: postAck,
    summary: 'Make a hidden post visible again.',
  },
  'post:answer': {
    capability: 'moderate',
    isIdempotent: true,
    request: moderation,
    ack: postAck,
    summary: 'Mark a visible post answered.',
  },
  'post:highlight': {
    capability: 'moderate',
    isIdempotent: true,
    request: moderation,
    ack: postAck,
    summary: 'Show the post large on the wall; the previous highlight is cleared.',
  },
  'post:unhighlight': {
    capability: 'moderate',
    isIdempotent: true,
    request: moderation,
    ack: postAck,
    summary: 'Take the post off the wall.',
  },
  'post:pin': {
    capability: 'moderate',
    isIdempotent: true,
    request: moderation,
    ack: postAck,
    summary: 'Pin the post to the top.',
  },
  'post:unpin': {
    capability: 'moderate',
    isIdempotent: true,
    request: moderation,
    ack: postAck,
    summary: 'Unpin the post.',
  },
  'post:reopen': {
    capability: 'moderate',
    isIdempotent: true,
    request: moderation,
    ack: postAck,
    summary: 'Take back "answered": the post is visible again (undo of post:answer).',
  },
  'post:unapprove': {
    capability: 'moderate',
    isIdempotent: true,
    request: moderation,
    ack: postAck,
    summary: 'Take back an approval: the post waits for a moderator again (undo of post:approve).',
  },
  'post:tag': {
    capability: 'moderate',
    isIdempotent: true,
    request: moderation.extend({ topicId: idSchema.nullable() }),
    ack: postAck,
    summary: "Tag the post with a topic of the session's event (null: untag).",
  },
  'post:direct': {
    capability: 'moderate',
    isIdempotent: true,
    request: moderation.extend({ panelMemberId: idSchema.nullable() }),
    ack: postAck,
    summary: 'Direct the post to a member of the panel (null: to nobody in particular).',
  },
  'post:promise-follow-up': {
    capability: 'moderate',
    isIdempotent: true,
    request: moderation.extend({ panelMemberId: idSchema.nullable() }),
    ack: postAck,
    summary:
      'Record that a member of the panel promised to follow the post up (null: take the promise back).',
  },
  'post:to-topic': {
    capability: 'moderate',
    isIdempotent: true,
    request: moderation.extend({ title: z.string().max(RAW_NAME_MAX).optional() }),
    ack: z.strictObject({ post: postViewSchema, topic: topicViewSchema }),
    summary:
      'Turn the post into a topic of this session people can follow, and tag the post with it.',
  },
  'post:merge': {
    capability: 'moderate',
    isIdempotent: true,
    request: z
      .strictObject({
        ...inSession,
        commandId: commandIdSchema,
        targetId: idSchema,
        targetVersion: z.number().int().min(1),
        sourceIds: z.array(idSchema).min(1).max(MAX_MERGE_SOURCES),
        sourceVersions: z.array(z.number().int().min(1)).min(1).max(MAX_MERGE_SOURCES),
      })
      .refine((p) => p.sourceVersions.length === p.sourceIds.length, {
        message: 'one version per source',
        path: ['sourceVersions'],
      })
      .refine((p) => new Set(p.sourceIds).size === p.sourceIds.length, {
        message: 'the sources must be distinct',
        path: ['sourceIds'],
      })
      .refine((p) => !p.sourceIds.includes(p.targetId), {
        message: 'the target cannot be one of the sources',
        path: ['sourceIds'],
      }),
    ack: z.strictObject({ post: postViewSchema }),
    summary:
      "Merge duplicates into a post: they are hidden, their texts shown under it, their voters' and authors' voices counted for it once.",
  },
  'session:configure': {
    capability: 'configure',
    isIdempotent: true,
    request: z.strictObject({
      ...inSession,
      commandId: commandIdSchema,
      version: z.number().int().min(1),
      settings: settingsSchema.partial(),
    }),
    ack: z.strictObject({ session: sessionViewSchema }),
    summary: 'Change the session settings (moderation mode, open, hidden votes ...).',
  },
  'mic:request': {
    capability: 'post',
    isIdempotent: true,
    request: z.strictObject({
      ...inSession,
      commandId: commandIdSchema,
      /** Optional, for staff only (the public sees numbers). */
      name: z.string().max(RAW_NAME_MAX).nullable().optional(),
    }),
    ack: z.strictObject({ ticket: micTicketSchema }),
    summary: "I'd rather say it myself: ask for the microphone and get a number in the line.",
  },
  'mic:cancel': {
    capability: 'post',
    isIdempotent: true,
    request: z.strictObject({ ...inSession, commandId: commandIdSchema, ticketId: idSchema }),
    ack: z.strictObject({ ticket: micTicketSchema }),
    summary: 'Give up your place in the line for the microphone.',
  },
  'mic:call-next': {
    capability: 'moderate',
    isIdempotent: true,
    request: z.strictObject({ ...inSession, commandId: commandIdSchema }),
    ack: z.strictObject({ queue: queueStaffSchema }),
    summary: 'The speaker at the microphone is done; the first in line is called.',
  },
  'mic:move': {
    capability: 'moderate',
    isIdempotent: true,
    request: z.strictObject({
      ...inSession,
      commandId: commandIdSchema,
      ticketId: idSchema,
      position: z.number().int().min(1),
    }),
    ack: z.strictObject({ queue: queueStaffSchema }),
    summary: 'Move a waiting ticket to a place in the line (1 = next).',
  },
  'exposure:report': {
    capability: 'read',
    isIdempotent: false,
    request: z.strictObject({
      ...inSession,
      /** The public posts in the first screenful of the attendee's list now. */
      postIds: z.array(idSchema).max(MAX_REPORTED_POSTS),
    }),
    ack: z.strictObject({ counted: z.number().int().min(0) }),
    summary:
      "An attendee's first screenful: each public post in it gains one impression, once per device.",
  },
  'log:list': {
    capability: 'moderate',
    isIdempotent: false,
    request: z.strictObject({
      ...inSession,
      /** The seq of the oldest entry you hold: answers the entries before it. */
      before: z.number().int().min(1).optional(),
      limit: z.number().int().min(1).max(MAX_LOG_PAGE).optional(),
    }),
    ack: z.strictObject({ entries: z.array(logEntrySchema) }),
    summary:
      'The moderation log, newest first: every staff action with its time and who did it (page back with before).',
  },
  ...pollCommands,
} as const satisfies CommandTable;

export type Commands = typeof commands;
export type CommandRequest<K extends CommandName> = z.input<Commands[K]['request']>;
export type CommandPayload<K extends CommandName> = z.output<Commands[K]['request']>;
export type CommandAck<K extends CommandName> = z.output<Commands[K]['ack']>;
export type JoinAck = z.output<typeof joinAckSchema>;
export type CatchupAck = z.output<typeof catchupAckSchema>;
