/**
 * AppApi: the one door from SvelteKit's server code (SSR loads, form actions) into the
 * application. In production the server attaches an in-process implementation to each
 * request; in development an HTTP implementation calls the API server. Both speak these
 * operations, the same ones the socket handlers call.
 */
import { z } from 'zod';
import type { CommandAck, CommandRequest } from './commands.js';
import type { CommandName } from './names.js';
import type { Result } from './result.js';
import {
  followUpViewSchema,
  idSchema,
  postViewSchema,
  sessionViewSchema,
  settingsSchema,
  topicViewSchema,
} from './schemas.js';

/** Who is calling: the same tokens a socket presents at the handshake. */
export interface Credentials {
  device?: string | undefined;
  staff?: string | undefined;
  /** A receipt link's token (read your own posts and follow-ups, withdraw). */
  receipt?: string | undefined;
}

export const loginRequestSchema = z.strictObject({
  email: z.string().max(320),
  password: z.string().max(200),
});
export const loginAckSchema = z.strictObject({ staffToken: z.string(), orgId: z.string() });

export const eventViewSchema = z.strictObject({
  id: z.string(),
  orgId: z.string(),
  title: z.string(),
  createdAt: z.number(),
});
export const createEventRequestSchema = z.strictObject({ title: z.string().min(1).max(200) });
export const createSessionRequestSchema = z.strictObject({
  eventId: idSchema,
  title: z.string().min(1).max(200),
  settings: settingsSchema.partial().optional(),
});
export const createSessionAckSchema = z.strictObject({
  session: sessionViewSchema,
  /** A signed per-session moderator link token. */
  moderatorToken: z.string(),
});

export const createTopicRequestSchema = z.strictObject({
  eventId: idSchema,
  sessionId: idSchema.nullable().optional(),
  title: z.string().min(1).max(200),
  description: z.string().max(2000).default(''),
  contactName: z.string().min(1).max(200),
  contactEmail: z.email().nullable().optional(),
  retentionDays: z.number().int().min(1).max(730).optional(),
});

export const receiptSchema = z.strictObject({
  posts: z.array(z.strictObject({ post: postViewSchema, sessionTitle: z.string() })),
  followUps: z.array(z.strictObject({ followUp: followUpViewSchema, topicTitle: z.string() })),
});

export const moderatorLinkSchema = z.strictObject({
  id: z.string(),
  sessionId: z.string(),
  label: z.string(),
  createdAt: z.number(),
  revokedAt: z.number().nullable(),
});
export const createModeratorLinkRequestSchema = z.strictObject({
  sessionId: idSchema,
  label: z.string().min(1).max(80),
});
export const createModeratorLinkAckSchema = z.strictObject({
  link: moderatorLinkSchema,
  moderatorToken: z.string(),
});

export type ModeratorLinkWire = z.output<typeof moderatorLinkSchema>;
export type CreateModeratorLinkRequest = z.input<typeof createModeratorLinkRequestSchema>;
export type CreateModeratorLinkAck = z.output<typeof createModeratorLinkAckSchema>;
export type CreateTopicRequest = z.input<typeof createTopicRequestSchema>;
export type TopicWire = z.output<typeof topicViewSchema>;
export type Receipt = z.output<typeof receiptSchema>;
export type LoginRequest = z.input<typeof loginRequestSchema>;
export type LoginAck = z.output<typeof loginAckSchema>;
export type EventView = z.output<typeof eventViewSchema>;
export type CreateEventRequest = z.input<typeof createEventRequestSchema>;
export type CreateSessionRequest = z.input<typeof createSessionRequestSchema>;
export type CreateSessionAck = z.output<typeof createSessionAckSchema>;
export type SessionWire = z.output<typeof sessionViewSchema>;

export interface AppApi {
  /** Run any command of the table, exactly as a socket would (minus live subscription). */
  command<K extends CommandName>(
    creds: Credentials,
    name: K,
    payload: CommandRequest<K>,
  ): Promise<Result<CommandAck<K>>>;
  findSessionByCode(code: string): Promise<Result<SessionWire>>;
  login(request: LoginRequest): Promise<Result<LoginAck>>;
  createEvent(creds: Credentials, request: CreateEventRequest): Promise<Result<EventView>>;
  listEvents(creds: Credentials): Promise<Result<EventView[]>>;
  createSession(
    creds: Credentials,
    request: CreateSessionRequest,
  ): Promise<Result<CreateSessionAck>>;
  createTopic(creds: Credentials, request: CreateTopicRequest): Promise<Result<TopicWire>>;
  /** The receipt of the device (device token) or of a receipt link (receipt token). */
  getReceipt(creds: Credentials): Promise<Result<Receipt>>;
  createModeratorLink(
    creds: Credentials,
    request: CreateModeratorLinkRequest,
  ): Promise<Result<CreateModeratorLinkAck>>;
  /** The session's links; a standing link carries its token, so the organiser can hand it out again. */
  listModeratorLinks(
    creds: Credentials,
    sessionId: string,
  ): Promise<Result<(ModeratorLinkWire & { moderatorToken: string | null })[]>>;
  /** The sessions of one of the organiser's events, oldest first. */
  listSessions(creds: Credentials, eventId: string): Promise<Result<SessionWire[]>>;
  /** Revoking also closes the link's open sockets on every node. */
  revokeModeratorLink(creds: Credentials, linkId: string): Promise<Result<ModeratorLinkWire>>;
}
