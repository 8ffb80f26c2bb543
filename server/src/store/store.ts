/**
 * The Store: persistence at the level of intents. Services decide (with @gt/core) what a
 * command changes and which stream updates it produces; the store writes the change, the
 * numbered stream entries and the command's acknowledgement in one atomic step, so that
 *
 *   - a command is applied at most once (a repeat returns the stored acknowledgement),
 *   - a post and the updates announcing it are never out of step, and
 *   - each stream's sequence numbers are contiguous (1, 2, 3 ...) per session.
 *
 * The Store is the intersection of per-feature ports (SessionStore, PostStore, ...): a
 * service depends on the ports it uses. Three implementations pass the same contract suite
 * (./testing/store-contract.ts, one case file per port): SQLite (embedded, default), Redis
 * (several server nodes) and memory (unit tests). A change that adds an operation here adds
 * it to all three and to the suite.
 */
import type {
  Event,
  Exposure,
  FollowUp,
  LogEntry,
  NewLogEntry,
  ModeratorLink,
  Topic,
  Organisation,
  Invitation,
  Membership,
  OrgId,
  Post,
  PollAnswer,
  PollSet,
  Session,
  SessionId,
  SpeakerQueue,
  StreamAppend,
  StreamEntry,
  StreamKey,
} from '@gt/core';

/** Idempotency key: who sent it (device or staff identity) and their command id. */
export interface CommandRef {
  actor: string;
  commandId: string;
}

/** A stream entry as written, with the session and stream it belongs to. */
export interface AppendedEntry extends StreamEntry {
  sessionId: SessionId;
  stream: StreamKey;
}

/**
 * The outcome of a write that carries a command:
 *  - committed: applied now; `entries` are the numbered updates to publish;
 *  - replay: the command was applied before; `ack` is the stored acknowledgement, nothing to publish;
 *  - conflict: an expected version did not match; nothing was written; `current` holds the
 *    present state of the posts (or session) involved.
 */
export type Commit<A> =
  | {
      kind: 'committed';
      ack: A;
      entries: AppendedEntry[];
      /** The moderation log entries written with the change, numbered (ML1). */
      log?: LogEntry[];
    }
  | { kind: 'replay'; ack: A }
  | { kind: 'conflict'; currentPosts: Post[]; currentSession: Session | null };

export interface PostChange {
  post: Post;
  /** The version the post must have in the store for the change to apply. */
  expectedVersion: number;
}

export interface VoteChange {
  sessionId: SessionId;
  postId: Post['id'];
  deviceId: string;
  isOn: boolean;
}

export interface Counts {
  /** Upvotes per post id; posts with no votes may be absent. */
  votes: Record<string, number>;
  /** Reaction totals per reaction name. */
  reactions: Record<string, number>;
}

export interface StreamRead {
  /** The stream's current sequence number (0 when nothing was ever appended). */
  head: number;
  /** Entries with seq > afterSeq, ascending, at most `limit`. */
  entries: StreamEntry[];
  /**
   * False when entries after afterSeq are no longer retained (or afterSeq is ahead of the
   * head): the reader must take a snapshot instead.
   */
  isComplete: boolean;
}

export interface Snapshot {
  /** Head sequence number of each requested stream, read atomically with `posts`. */
  heads: Record<string, number>;
  /** Every post of the session, oldest first. Views are the caller's business. */
  posts: Post[];
}

/** Organisations, their events and sessions (SPEC ST1, ST5). */
export interface SessionStore {
  /** Create or rename an organisation. */
  saveOrganisation(org: Organisation): Promise<void>;
  getOrganisation(id: string): Promise<Organisation | null>;
  createEvent(event: Event): Promise<void>;
  getEvent(id: string): Promise<Event | null>;
  /** Events of an organisation, newest first. */
  listEvents(orgId: string): Promise<Event[]>;
  /** 'code_taken' when another session already uses the join code; nothing is written then. */
  createSession(session: Session): Promise<'created' | 'code_taken'>;
  getSession(id: string): Promise<Session | null>;
  findSessionByCode(joinCode: string): Promise<Session | null>;
  listSessions(eventId: string): Promise<Session[]>;
  /**
   * Replace the session if its stored version equals expectedVersion. `log` entries are
   * appended to the session's moderation log in the same atomic step (ML1).
   */
  updateSession<A>(
    cmd: CommandRef,
    next: Session,
    expectedVersion: number,
    appends: StreamAppend[],
    ack: A,
    log?: NewLogEntry[],
  ): Promise<Commit<A>>;
}

/** Stored acknowledgements of commands already applied (SPEC ST3). */
export interface CommandStore {
  /** The stored acknowledgement of a command already applied, or null. */
  getCommandResult<A>(cmd: CommandRef): Promise<A | null>;
}

/** Posts and a device's receipt of them (SPEC ST2-ST4, ST16). */
export interface PostStore {
  getPost(sessionId: string, postId: string): Promise<Post | null>;
  /** Every post of the session, oldest first (by createdAt, then id). */
  listPosts(sessionId: string): Promise<Post[]>;
  /**
   * Insert a new post (its id is new). A repeated command is a replay, not a second post.
   * `log` entries are appended to the session's moderation log atomically with it (ML1).
   */
  insertPost<A>(
    cmd: CommandRef,
    post: Post,
    appends: StreamAppend[],
    ack: A,
    log?: NewLogEntry[],
  ): Promise<Commit<A>>;
  /**
   * Replace posts of one session, all or none, if every expected version matches; with the
   * `log` entries, atomically (ML1).
   */
  updatePosts<A>(
    cmd: CommandRef,
    sessionId: SessionId,
    changes: PostChange[],
    appends: StreamAppend[],
    ack: A,
    log?: NewLogEntry[],
  ): Promise<Commit<A>>;

  /**
   * [M13] Merge posts: `changes` as updatePosts (all or none, every expected version checked),
   * and in the same atomic step every device that upvoted a source upvotes the target (once,
   * however many of the posts it voted for), the sources keep no votes, the entries are
   * appended and the `log` entries written.
   */
  mergePosts<A>(
    cmd: CommandRef,
    sessionId: SessionId,
    merge: { targetId: Post['id']; sourceIds: Post['id'][] },
    changes: PostChange[],
    appends: StreamAppend[],
    ack: A,
    log?: NewLogEntry[],
  ): Promise<Commit<A>>;

  /** Every post one device wrote, in any session, oldest first (the receipt). */
  listDevicePosts(deviceId: string): Promise<Post[]>;
}

/** Votes and reactions: counts, not stream events (SPEC ST9). */
export interface CountStore {
  /**
   * Set or clear one device's upvote. Setting an existing vote or clearing a missing one
   * changes nothing but still records the command. Entries are always empty.
   */
  setVote<A>(cmd: CommandRef, vote: VoteChange, ack: A): Promise<Commit<A>>;
  /** Post ids this device has upvoted in the session. */
  listDeviceVotes(sessionId: string, deviceId: string): Promise<string[]>;
  /** Add reaction taps (already batched in memory by the caller). */
  addReactions(sessionId: string, deltas: Record<string, number>): Promise<void>;
  getCounts(sessionId: string): Promise<Counts>;
}

/** Exposure and the wall's rotation (SPEC FV1-FV4, ST14). */
export interface ExposureStore {
  /**
   * Count one first-screen impression for each post this device has not been counted for in
   * the session before; returns the post ids counted now.
   */
  addImpressions(sessionId: string, deviceId: string, postIds: string[]): Promise<string[]>;
  /** Add seconds on the wall per post id. */
  addWallSeconds(sessionId: string, seconds: Record<string, number>): Promise<void>;
  /** Exposure per post id; posts never seen are absent. */
  getExposure(sessionId: string): Promise<Record<string, Exposure>>;
  /** What the wall lists now, for walls that join later; null before the first turn. */
  saveWall(sessionId: string, wall: WallSet): Promise<void>;
  getWall(sessionId: string): Promise<WallSet | null>;
  /**
   * Claim (or renew) the right to run the session's wall rotation for `ttlMs`: true for the
   * one node that holds it. SQLite serves one node, which always holds it.
   */
  claimWallTick(sessionId: string, owner: string, ttlMs: number): Promise<boolean>;
}

/** Reading the numbered streams (SPEC ST6-ST8). */
export interface StreamStore {
  readStream(
    sessionId: string,
    stream: StreamKey,
    afterSeq: number,
    limit: number,
  ): Promise<StreamRead>;
  /** Heads of the given streams and all posts, as of one moment. */
  snapshot(sessionId: string, streams: StreamKey[]): Promise<Snapshot>;
}

/** The speaker queue (SPEC Q1-Q6, ST15). */
export interface QueueStore {
  /** The session's queue for the microphone; null before the first ticket. */
  getQueue(sessionId: string): Promise<SpeakerQueue | null>;
  /**
   * Replace the queue if its stored version equals expectedVersion (0: none stored yet), with
   * its stream entries and log entries, atomically; a stale version is a conflict that writes
   * nothing (the caller reads again and retries).
   */
  saveQueue<A>(
    cmd: CommandRef,
    queue: SpeakerQueue,
    expectedVersion: number,
    appends: StreamAppend[],
    ack: A,
    log?: NewLogEntry[],
  ): Promise<Commit<A>>;
}

/** A poll's answers as of one moment, and how many answers were ever written to it. */
export interface PollAnswers {
  /** One per device that answered, the latest; in no particular order. */
  answers: PollAnswer[];
  /**
   * Counts every committed answer write to the poll (a changed answer too), read atomically
   * with `answers`: of two reads, the one with the higher revision is the newer.
   */
  revision: number;
}

/** Live polls (SPEC PL1-PL10, ST19). */
export interface PollStore {
  /** The session's polls; null before the first. */
  getPolls(sessionId: string): Promise<PollSet | null>;
  /**
   * Replace the session's polls if their stored version equals expectedVersion (0: none
   * stored yet), with stream and log entries, atomically; a stale version is a conflict that
   * writes nothing (the caller reads again and retries).
   */
  savePolls<A>(
    cmd: CommandRef,
    set: PollSet,
    expectedVersion: number,
    appends: StreamAppend[],
    ack: A,
    log?: NewLogEntry[],
  ): Promise<Commit<A>>;
  /**
   * Store a device's answer to a poll, replacing its earlier one, with its stream entries and
   * one more revision of the poll, atomically, and only if the session's polls are still at
   * `pollsVersion` (the version the answer was checked against: a poll closed meanwhile is a
   * conflict that writes nothing). A repeated command is a replay.
   */
  saveAnswer<A>(
    cmd: CommandRef,
    answer: PollAnswer,
    pollsVersion: number,
    appends: StreamAppend[],
    ack: A,
  ): Promise<Commit<A>>;
  listAnswers(sessionId: string, pollId: string): Promise<PollAnswers>;
  /** The answers one device gave to the session's polls. */
  listDeviceAnswers(sessionId: string, deviceId: string): Promise<PollAnswer[]>;
}

/** The moderation log (SPEC ML1, ST13); entries are written with the change they record. */
export interface LogStore {
  /** A session's log, newest first: the `limit` entries with seq below `beforeSeq` (all when null). */
  listLog(sessionId: string, beforeSeq: number | null, limit: number): Promise<LogEntry[]>;
}

/** Topics and follow-ups (SPEC ST10, ST11, ST17). */
export interface TopicStore {
  createTopic(topic: Topic): Promise<void>;
  getTopic(id: string): Promise<Topic | null>;
  /** Topics of an event (its sessions' topics included), oldest first. */
  listTopics(eventId: string): Promise<Topic[]>;
  /** Store a sign-up; a repeated command is a replay. Entries are always empty. */
  insertFollowUp<A>(cmd: CommandRef, followUp: FollowUp, ack: A): Promise<Commit<A>>;
  /** Replace a follow-up (withdrawal) if it exists; a repeated command is a replay. */
  updateFollowUp<A>(cmd: CommandRef, followUp: FollowUp, ack: A): Promise<Commit<A>>;
  getFollowUp(id: string): Promise<FollowUp | null>;
  /** Follow-ups held by one follow key (one person's receipt), oldest first. */
  listFollowUpsByKey(followKey: string): Promise<FollowUp[]>;
  /** Follow-ups of a topic, oldest first (for the contact person's export). */
  listFollowUps(topicId: string): Promise<FollowUp[]>;
  /**
   * [F8] Delete every follow-up whose deletion date is at or before `dueBy`, entirely: the
   * record and its place in every index. Returns how many went; running it twice, or on two
   * nodes at once, deletes nothing more.
   */
  deleteFollowUpsDueBy(dueBy: number): Promise<number>;
}

/** Moderator links (SPEC ST13). */
export interface LinkStore {
  /** Create or replace a link record (revoking is saving it with revokedAt set). */
  saveModeratorLink(link: ModeratorLink): Promise<void>;
  getModeratorLink(id: string): Promise<ModeratorLink | null>;
  /** Links of a session, oldest first, revoked ones included. */
  listModeratorLinks(sessionId: string): Promise<ModeratorLink[]>;
}

/**
 * An organiser's login, kept in the store so that every node accepts every account. Stored
 * whole as JSON beside the columns it is found by, so a later field (roles, for the
 * organisations feature) is added without a schema change; readers give it a default.
 */
export interface OrganiserAccount {
  id: string;
  orgId: OrgId;
  /** Trimmed and lower-case: the login compares it so (SPEC C6). */
  email: string;
  /** scrypt's salt and derived key, base64url. */
  passwordSalt: string;
  passwordHash: string;
  createdAt: number;
  /**
   * [O4] Raised by "sign out everywhere": a login token carries the version it was issued
   * under and stands only while it is still the account's. Absent in older records: 0.
   */
  tokenVersion?: number;
}

/** Organiser accounts and the first organisation (SPEC ST18, C6, C7). */
export interface AccountStore {
  /**
   * The organisation the first start created. The first caller's `candidate` is saved and
   * becomes it; every later caller (on any node, however close in time) gets that one back and
   * writes nothing, so one store has exactly one first organisation.
   */
  claimFirstOrganisation(candidate: Organisation): Promise<Organisation>;
  /** 'email_taken' when an account already has the e-mail; nothing is written then. */
  createAccount(account: OrganiserAccount): Promise<'created' | 'email_taken'>;
  getAccountByEmail(email: string): Promise<OrganiserAccount | null>;
  /** Replace an account's password hash; false (writing nothing) when there is no such account. */
  setAccountPassword(
    accountId: string,
    password: { passwordSalt: string; passwordHash: string },
  ): Promise<boolean>;
}

// Organisations' people (SPEC O2-O7, ST20) --------------------------------------------------

export type AcceptInvitationOutcome =
  'accepted' | 'not_found' | 'expired' | 'revoked' | 'used' | 'email_taken';

/** Memberships (account × organisation × role), invitations and sign-out-everywhere. */
export interface MemberStore {
  getAccount(accountId: string): Promise<OrganiserAccount | null>;
  /** Add a member; an existing membership is kept as it is ('exists'), its role unchanged. */
  addMembership(membership: Membership): Promise<'added' | 'exists'>;
  getMembership(orgId: string, accountId: string): Promise<Membership | null>;
  /** The organisation's members, oldest first. */
  listMembers(orgId: string): Promise<Membership[]>;
  /** The account's memberships, oldest first. */
  listMemberships(accountId: string): Promise<Membership[]>;
  /** [O5] Never the organisation's last admin: 'last_admin' then, and nothing is written. */
  removeMembership(
    orgId: string,
    accountId: string,
  ): Promise<'removed' | 'not_found' | 'last_admin'>;
  /** Create or replace an invitation (revoking is saving it with revokedAt set). */
  saveInvitation(invitation: Invitation): Promise<void>;
  getInvitation(id: string): Promise<Invitation | null>;
  /** The organisation's invitations, oldest first, accepted and revoked ones included. */
  listInvitations(orgId: string): Promise<Invitation[]>;
  /**
   * [O3] In one atomic step: the invitation must be pending at `at`; the account is created
   * unless one with its e-mail exists (then it must be that one, else 'email_taken'); the
   * membership is added with the invitation's role; the invitation is marked accepted. Any
   * other outcome writes nothing.
   */
  acceptInvitation(
    id: string,
    account: OrganiserAccount,
    at: number,
  ): Promise<AcceptInvitationOutcome>;
  /** [O4] Raise the account's token version; the new version, or null for no such account. */
  bumpTokenVersion(accountId: string): Promise<number | null>;
}

/** Every port, and the lifecycle of the store that serves them all. */
export interface Store
  extends
    SessionStore,
    CommandStore,
    PostStore,
    CountStore,
    ExposureStore,
    StreamStore,
    QueueStore,
    PollStore,
    LogStore,
    TopicStore,
    LinkStore,
    AccountStore,
    MemberStore {
  readonly kind: 'sqlite' | 'redis' | 'memory';

  /** Health probe: resolves when the store can serve. */
  ping(): Promise<void>;
  /** Finish in-flight writes, then release the database. */
  close(): Promise<void>;
}

/** The posts the wall lists besides the highlighted one, as of `at`. */
export interface WallSet {
  postIds: string[];
  at: number;
}

/** Options both implementations take. */
export interface StoreOptions {
  /** How many entries each stream keeps for catch-up before readers get a snapshot. */
  retainEntries?: number;
}

export const DEFAULT_RETAIN_ENTRIES = 1000;
