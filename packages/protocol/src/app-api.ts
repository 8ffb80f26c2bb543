/**
 * AppApi: the one door from SvelteKit's server code (SSR loads, form actions) into the
 * application. In production the server attaches an in-process implementation to each
 * request; in development an HTTP implementation calls the API server. Both speak these
 * operations, the same ones the socket handlers call.
 */
import { z } from 'zod';
import { MEMBER_ROLES, MIN_PASSWORD_LENGTH } from '@gt/core';
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
export const memberRoleSchema = z.enum(MEMBER_ROLES);
/** [O2] The role comes with the login, so a page shows only what it may do. */
export const loginAckSchema = z.strictObject({
  staffToken: z.string(),
  orgId: z.string(),
  role: memberRoleSchema,
});

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

// Organisations' people (SPEC O2-O6) ---------------------------------------------------------

/** Where a login comes from: the address is only ever kept as an hourly HMAC (T2, O6). */
export interface LoginClient {
  address?: string | undefined;
}

export const invitationStateSchema = z.enum(['pending', 'accepted', 'revoked', 'expired']);
export const memberViewSchema = z.strictObject({
  accountId: z.string(),
  email: z.string(),
  role: memberRoleSchema,
  createdAt: z.number(),
  /** The caller's own membership (the page offers no "remove" for it). */
  isYou: z.boolean(),
});
export const invitationViewSchema = z.strictObject({
  id: z.string(),
  email: z.string(),
  role: memberRoleSchema,
  createdAt: z.number(),
  expiresAt: z.number(),
  state: invitationStateSchema,
});
export const peopleSchema = z.strictObject({
  members: z.array(memberViewSchema),
  invitations: z.array(invitationViewSchema),
});
export const myAccountSchema = z.strictObject({
  accountId: z.string(),
  email: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  role: memberRoleSchema,
});
export const inviteRequestSchema = z.strictObject({
  /** Compared as the login compares it: trimmed, lower-case (C6). */
  email: z.string().trim().toLowerCase().pipe(z.email().max(320)),
  role: memberRoleSchema,
});
export const inviteAckSchema = z.strictObject({
  invitation: invitationViewSchema,
  /** `/invite/<token>`: the one place the link's secret is ever shown. */
  path: z.string(),
});
/** What the invitation page shows before the password is set. */
export const invitationLookupSchema = z.strictObject({
  orgName: z.string(),
  email: z.string(),
  role: memberRoleSchema,
  state: invitationStateSchema,
  /** The e-mail has an account already: the page asks for its password instead of a new one. */
  hasAccount: z.boolean(),
});
const newPasswordSchema = z.string().min(MIN_PASSWORD_LENGTH).max(200);
export const acceptInvitationRequestSchema = z.strictObject({
  token: z.string().min(1).max(200),
  password: newPasswordSchema,
});
export const changePasswordRequestSchema = z.strictObject({
  currentPassword: z.string().max(200),
  newPassword: newPasswordSchema,
});
export const removeMemberAckSchema = z.strictObject({ accountId: z.string() });
export const changePasswordAckSchema = z.strictObject({ isChanged: z.literal(true) });
export const signOutEverywhereAckSchema = z.strictObject({ tokenVersion: z.number() });

export type MemberRoleWire = z.output<typeof memberRoleSchema>;
export type MemberView = z.output<typeof memberViewSchema>;
export type InvitationView = z.output<typeof invitationViewSchema>;
export type People = z.output<typeof peopleSchema>;
export type MyAccount = z.output<typeof myAccountSchema>;
export type InviteRequest = z.input<typeof inviteRequestSchema>;
export type InviteAck = z.output<typeof inviteAckSchema>;
export type InvitationLookup = z.output<typeof invitationLookupSchema>;
export type AcceptInvitationRequest = z.input<typeof acceptInvitationRequestSchema>;
export type ChangePasswordRequest = z.input<typeof changePasswordRequestSchema>;

/** The people operations of the AppApi (server/src/services/members.service.ts). */
export interface MembersApi {
  /** [O6] Throttled per account and per address; a refusal carries `retryAfterMs`. */
  login(request: LoginRequest, client?: LoginClient): Promise<Result<LoginAck>>;
  /** Any member: who the login is, in which organisation, with which role. */
  getMyAccount(creds: Credentials): Promise<Result<MyAccount>>;
  /** Admins: the members and the invitations of their organisation. */
  listPeople(creds: Credentials): Promise<Result<People>>;
  inviteMember(creds: Credentials, request: InviteRequest): Promise<Result<InviteAck>>;
  revokeInvitation(creds: Credentials, invitationId: string): Promise<Result<InvitationView>>;
  /** Never the last admin (`conflict`). */
  removeMember(
    creds: Credentials,
    accountId: string,
  ): Promise<Result<z.output<typeof removeMemberAckSchema>>>;
  /** Public: what an invitation link is for, and whether it still stands. */
  findInvitation(token: string): Promise<Result<InvitationLookup>>;
  /** Public: set the password (or give the existing account's) and be logged in. */
  acceptInvitation(
    request: AcceptInvitationRequest,
    client?: LoginClient,
  ): Promise<Result<LoginAck>>;
  changePassword(
    creds: Credentials,
    request: ChangePasswordRequest,
  ): Promise<Result<z.output<typeof changePasswordAckSchema>>>;
  /** Every login of the account, this one included, stops standing at once. */
  signOutEverywhere(
    creds: Credentials,
  ): Promise<Result<z.output<typeof signOutEverywhereAckSchema>>>;
}

export interface AppApi extends MembersApi {
  /** Run any command of the table, exactly as a socket would (minus live subscription). */
  command<K extends CommandName>(
    creds: Credentials,
    name: K,
    payload: CommandRequest<K>,
  ): Promise<Result<CommandAck<K>>>;
  findSessionByCode(code: string): Promise<Result<SessionWire>>;
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
