/**
 * The Redis store's key layout. Keys are prefixed here rather than with ioredis' `keyPrefix`,
 * which would not reach keys named inside Lua; the scripts receive every key through KEYS.
 *
 * Key layout ({p} is the key prefix; every id part is escaped, see `part`):
 *   {p}cmd:{actor}:{commandId}          acknowledgement JSON, expires after commandTtlSeconds
 *   {p}org:{orgId}                      organisation JSON
 *   {p}org:{orgId}:events               ZSET eventId by createdAt
 *   {p}event:{eventId}                  event JSON
 *   {p}event:{eventId}:sessions         ZSET sessionId by createdAt
 *   {p}session:{sessionId}              session JSON
 *   {p}code:{joinCode}                  sessionId
 *   {p}s:{sessionId}:posts              HASH postId -> post JSON
 *   {p}s:{sessionId}:head:{stream}      last sequence number of the stream (INCR)
 *   {p}s:{sessionId}:log:{stream}       ZSET of entry JSON {"seq","update"} scored by seq, newest retainEntries kept
 *   {p}s:{sessionId}:votes              HASH postId -> upvote count (absent when 0)
 *   {p}s:{sessionId}:voters:{postId}    SET deviceIds that upvoted the post
 *   {p}s:{sessionId}:dev:{deviceId}:votes  SET postIds the device upvoted
 *   {p}s:{sessionId}:reactions          HASH reaction name -> total
 *   {p}s:{sessionId}:exposure:wall      HASH postId -> seconds on the wall (HINCRBYFLOAT)
 *   {p}s:{sessionId}:exposure:imp       HASH postId -> first-screen impressions
 *   {p}s:{sessionId}:exposure:seen      SET "postId deviceId" pairs already counted
 *   {p}s:{sessionId}:wall               JSON of what the wall lists now
 *   {p}s:{sessionId}:wall:claim         the node running the rotation (SET NX with expiry)
 *   {p}s:{sessionId}:micqueue           JSON of the speaker queue (versioned)
 *   {p}s:{sessionId}:polls              JSON of the session's polls (versioned)
 *   {p}s:{sessionId}:polls:version      the version of that JSON, for answers to check cheaply
 *   {p}s:{sessionId}:poll:{pollId}:answers   HASH deviceId -> answer JSON
 *   {p}s:{sessionId}:poll:{pollId}:revision  answers written to the poll (INCR)
 *   {p}s:{sessionId}:modlog:head        last moderation log number (INCR)
 *   {p}s:{sessionId}:modlog             ZSET of log entry JSON scored by seq (kept whole)
 *   {p}first-org                        id of the organisation the first start created (SET NX)
 *   {p}account:{accountId}              organiser account JSON
 *   {p}account-email:{email}            accountId (SET NX: one account per e-mail)
 *   {p}org:{orgId}:members              HASH accountId -> membership JSON
 *   {p}account:{accountId}:orgs         HASH orgId -> membership JSON (the same record)
 *   {p}invitation:{invitationId}        invitation JSON
 *   {p}org:{orgId}:invitations          ZSET invitationId by createdAt
 */
import type { CommandRef } from '../store.js';

/**
 * Escape one variable part of a key. ':' separates parts, so an actor or id containing it
 * could otherwise name another key; '%' is escaped too, which keeps the mapping one-to-one.
 * Glob and hash-tag characters and control characters are escaped as well.
 */
function part(value: string): string {
  return value.replace(
    /[\p{Cc} %:{}*?[\]\\]/gu,
    (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`,
  );
}

export class Keys {
  constructor(private readonly p: string) {}
  cmd(c: CommandRef) {
    return `${this.p}cmd:${part(c.actor)}:${part(c.commandId)}`;
  }
  org(id: string) {
    return `${this.p}org:${part(id)}`;
  }
  orgEvents(orgId: string) {
    return `${this.p}org:${part(orgId)}:events`;
  }
  event(id: string) {
    return `${this.p}event:${part(id)}`;
  }
  eventSessions(eventId: string) {
    return `${this.p}event:${part(eventId)}:sessions`;
  }
  session(id: string) {
    return `${this.p}session:${part(id)}`;
  }
  code(joinCode: string) {
    return `${this.p}code:${part(joinCode)}`;
  }
  posts(sid: string) {
    return `${this.p}s:${part(sid)}:posts`;
  }
  head(sid: string, stream: string) {
    return `${this.p}s:${part(sid)}:head:${part(stream)}`;
  }
  log(sid: string, stream: string) {
    return `${this.p}s:${part(sid)}:log:${part(stream)}`;
  }
  votes(sid: string) {
    return `${this.p}s:${part(sid)}:votes`;
  }
  voters(sid: string, postId: string) {
    return `${this.p}s:${part(sid)}:voters:${part(postId)}`;
  }
  deviceVotes(sid: string, deviceId: string) {
    return `${this.p}s:${part(sid)}:dev:${part(deviceId)}:votes`;
  }
  reactions(sid: string) {
    return `${this.p}s:${part(sid)}:reactions`;
  }
  exposureWall(sid: string) {
    return `${this.p}s:${part(sid)}:exposure:wall`;
  }
  exposureImpressions(sid: string) {
    return `${this.p}s:${part(sid)}:exposure:imp`;
  }
  exposureSeen(sid: string) {
    return `${this.p}s:${part(sid)}:exposure:seen`;
  }
  wall(sid: string) {
    return `${this.p}s:${part(sid)}:wall`;
  }
  wallClaim(sid: string) {
    return `${this.p}s:${part(sid)}:wall:claim`;
  }
  queue(sid: string) {
    return `${this.p}s:${part(sid)}:micqueue`;
  }
  polls(sid: string) {
    return `${this.p}s:${part(sid)}:polls`;
  }
  pollsVersion(sid: string) {
    return `${this.p}s:${part(sid)}:polls:version`;
  }
  pollAnswers(sid: string, pollId: string) {
    return `${this.p}s:${part(sid)}:poll:${part(pollId)}:answers`;
  }
  pollRevision(sid: string, pollId: string) {
    return `${this.p}s:${part(sid)}:poll:${part(pollId)}:revision`;
  }
  logHead(sid: string) {
    return `${this.p}s:${part(sid)}:modlog:head`;
  }
  modLog(sid: string) {
    return `${this.p}s:${part(sid)}:modlog`;
  }
  devicePosts(deviceId: string) {
    return `${this.p}dev:${part(deviceId)}:posts`;
  }
  topic(id: string) {
    return `${this.p}topic:${part(id)}`;
  }
  eventTopics(eventId: string) {
    return `${this.p}event:${part(eventId)}:topics`;
  }
  followUp(id: string) {
    return `${this.p}followup:${part(id)}`;
  }
  followUpsByKey(followKey: string) {
    return `${this.p}followkey:${part(followKey)}:followups`;
  }
  link(id: string) {
    return `${this.p}link:${part(id)}`;
  }
  sessionLinks(sessionId: string) {
    return `${this.p}session:${part(sessionId)}:links`;
  }
  /** Every follow-up by its deletion date, for the retention sweep (SPEC F8). */
  followUpsByDeletion() {
    return `${this.p}followups:by-deletion`;
  }
  topicFollowUps(topicId: string) {
    return `${this.p}topic:${part(topicId)}:followups`;
  }
  firstOrg() {
    return `${this.p}first-org`;
  }
  account(id: string) {
    return `${this.p}account:${part(id)}`;
  }
  accountEmail(email: string) {
    return `${this.p}account-email:${part(email)}`;
  }
  orgMembers(orgId: string) {
    return `${this.p}org:${part(orgId)}:members`;
  }
  accountOrgs(accountId: string) {
    return `${this.p}account:${part(accountId)}:orgs`;
  }
  invitation(id: string) {
    return `${this.p}invitation:${part(id)}`;
  }
  orgInvitations(orgId: string) {
    return `${this.p}org:${part(orgId)}:invitations`;
  }
}

/** A device index member names the session and the post (ids never contain a space). */
export const devicePostMember = (sessionId: string, postId: string) => `${sessionId} ${postId}`;
