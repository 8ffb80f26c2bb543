/**
 * The SQLite store: one file, one connection, the default for a single server.
 *
 * Writes go through group commit (group-commit.ts: one transaction per tick, one savepoint
 * per write, every promise settled after COMMIT); the SQL is in statements.ts and the schema
 * in migrations.ts. Reads run synchronously on the same connection and see what is
 * committed.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { invitationState, withSettingsDefaults } from '@gt/core';
import type {
  Event,
  Exposure,
  FollowUp,
  LogEntry,
  NewLogEntry,
  ModeratorLink,
  Topic,
  Invitation,
  Membership,
  Organisation,
  PollAnswer,
  PollSet,
  Post,
  Session,
  SessionId,
  SpeakerQueue,
  StreamAppend,
  StreamEntry,
  StreamKey,
} from '@gt/core';
import type {
  AppendedEntry,
  CommandRef,
  Commit,
  Counts,
  AcceptInvitationOutcome,
  OrganiserAccount,
  PollAnswers,
  PostChange,
  Snapshot,
  Store,
  StreamRead,
  TopicStore,
  VoteChange,
  WallSet,
} from '../store.js';
import { DEFAULT_RETAIN_ENTRIES } from '../store.js';
import { migrate } from './migrations.js';
import { prepareStatements } from './statements.js';
import type { Statements } from './statements.js';
import { closedError, GroupCommit } from './group-commit.js';
import type { GroupCommitStats } from './group-commit.js';

export interface SqliteStoreOptions {
  /** The database file; its folder is created if missing. */
  file: string;
  /** Entries kept per stream for catch-up (default DEFAULT_RETAIN_ENTRIES). */
  retainEntries?: number;
  /** How long the first queued write waits for others to join its transaction; 0: the next turn (setImmediate). */
  groupCommitDelayMs?: number;
  /** How long a write waits for a lock held by another connection (default 5000 ms). */
  busyTimeoutMs?: number;
}

export type SqliteStoreStats = GroupCommitStats;

type Db = Database.Database;

const DEFAULT_BUSY_TIMEOUT_MS = 5000;

const parse = <T>(row: { data: string } | undefined): T | null =>
  row ? (JSON.parse(row.data) as T) : null;
/** [SC2] Sessions written before a setting existed read with its default. */
const readSession = (row: { data: string } | undefined): Session | null => {
  const session = parse<Session>(row);
  return session && withSettingsDefaults(session);
};
const parseAll = <T>(rows: { data: string }[]): T[] => rows.map((r) => JSON.parse(r.data) as T);

const POSTS_CACHE_SESSIONS = 256;
const READS_CACHE_ENTRIES = 4096;

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/** Serialise now, so that a caller changing an object after the call cannot change what is written. */
const json = (value: unknown): string => JSON.stringify(value ?? null);

interface SerialAppend {
  stream: StreamKey;
  update: StreamAppend['update'];
  data: string;
}
/** Copies, so that a caller changing an entry after the call cannot change what is written. */
const serialLogEntries = (log: NewLogEntry[]): NewLogEntry[] =>
  log.map((entry) => JSON.parse(json(entry)) as NewLogEntry);

const serialAppends = (appends: StreamAppend[]): SerialAppend[] =>
  appends.map((a) => {
    const data = json(a.update);
    return { stream: a.stream, update: JSON.parse(data) as StreamAppend['update'], data };
  });

export class SqliteStore implements Store, TopicStore {
  readonly kind = 'sqlite' as const;

  readonly #db: Db;
  readonly #retain: number;
  readonly #commits: GroupCommit;
  readonly #q: Statements;
  /**
   * Every session's posts as last read, parsed and frozen. After a restart a thousand phones
   * rejoin within seconds, and each join's snapshot would otherwise read and JSON.parse every
   * post of the session again (bench S3). This process is the only writer of the file, and
   * write batch empties the cache before it writes anything (GroupCommit's beforeBatch): a
   * read never sees posts older than the last commit.
   */
  readonly #postsCache = new Map<string, readonly Post[]>();
  /**
   * The same, for the small reads every join makes (the session, its counts, exposure and
   * wall set): frozen, emptied with the posts by every write batch, and by itself when it grows
   * past READS_CACHE_ENTRIES. Keyed by what was read and for which session.
   */
  readonly #readsCache = new Map<string, unknown>();

  /** Use openSqliteStore(). */
  constructor(db: Db, options: { retainEntries?: number; groupCommitDelayMs?: number }) {
    this.#db = db;
    const retain = options.retainEntries ?? DEFAULT_RETAIN_ENTRIES;
    if (!Number.isInteger(retain) || retain < 1)
      throw new Error(`retainEntries must be a positive integer, got ${retain}`);
    this.#retain = retain;
    this.#q = prepareStatements(db);
    this.#commits = new GroupCommit(db, this.#q, {
      delayMs: options.groupCommitDelayMs ?? 0,
      beforeBatch: () => {
        // Whatever this batch writes, no cached read may outlive it (see #postsCache).
        this.#postsCache.clear();
        this.#readsCache.clear();
      },
    });
  }

  // Diagnostics ----------------------------------------------------------------------------------

  /** The durability settings in force on this store's own connection. */
  pragmas(): { journalMode: string; synchronous: number } {
    this.#assertOpen();
    return {
      journalMode: String(this.#db.pragma('journal_mode', { simple: true })),
      synchronous: Number(this.#db.pragma('synchronous', { simple: true })),
    };
  }

  stats(): SqliteStoreStats {
    return this.#commits.stats();
  }

  // Organisations, events, sessions ------------------------------------------------------------

  saveOrganisation(org: Organisation): Promise<void> {
    const data = json(org);
    return this.#write(() => {
      this.#q.upsertOrg.run(org.id, data);
    });
  }

  getOrganisation(id: string): Promise<Organisation | null> {
    return this.#read(() => parse<Organisation>(this.#q.getOrg.get(id)));
  }

  createEvent(event: Event): Promise<void> {
    const data = json(event);
    return this.#write(() => {
      this.#q.insertEvent.run(event.id, event.orgId, event.createdAt, data);
    });
  }

  getEvent(id: string): Promise<Event | null> {
    return this.#read(() => parse<Event>(this.#q.getEvent.get(id)));
  }

  listEvents(orgId: string): Promise<Event[]> {
    return this.#read(() => parseAll<Event>(this.#q.listEvents.all(orgId)));
  }

  createSession(session: Session): Promise<'created' | 'code_taken'> {
    const data = json(session);
    return this.#write(() => {
      if (this.#q.sessionByCode.get(session.joinCode)) return 'code_taken' as const;
      this.#q.insertSession.run(
        session.id,
        session.eventId,
        session.joinCode,
        session.version,
        session.createdAt,
        data,
      );
      return 'created' as const;
    });
  }

  getSession(id: string): Promise<Session | null> {
    // Read for every command and every join: a thousand rejoins after a restart (bench S3).
    return this.#read(() =>
      this.#cachedRead(`session:${id}`, () => readSession(this.#q.getSession.get(id))),
    );
  }

  findSessionByCode(joinCode: string): Promise<Session | null> {
    return this.#read(() => readSession(this.#q.sessionByCode.get(joinCode)));
  }

  listSessions(eventId: string): Promise<Session[]> {
    return this.#read(() =>
      parseAll<Session>(this.#q.listSessions.all(eventId)).map(withSettingsDefaults),
    );
  }

  updateSession<A>(
    cmd: CommandRef,
    next: Session,
    expectedVersion: number,
    appends: StreamAppend[],
    ack: A,
    log: NewLogEntry[] = [],
  ): Promise<Commit<A>> {
    const data = json(next);
    const ackData = json(ack);
    const serial = serialAppends(appends);
    const serialLog = serialLogEntries(log);
    return this.#write((): Commit<A> => {
      const replay = this.#replay<A>(cmd);
      if (replay) return replay;
      const current = readSession(this.#q.getSession.get(next.id));
      if (!current || current.version !== expectedVersion) {
        return { kind: 'conflict', currentPosts: [], currentSession: current };
      }
      this.#q.updateSession.run(
        next.eventId,
        next.joinCode,
        next.version,
        next.createdAt,
        data,
        next.id,
      );
      return this.#commit(cmd, ack, ackData, next.id, serial, serialLog);
    });
  }

  // Commands -------------------------------------------------------------------------------------

  getCommandResult<A>(cmd: CommandRef): Promise<A | null> {
    return this.#read(() => {
      const row = this.#q.getCommand.get(cmd.actor, cmd.commandId);
      return row ? (JSON.parse(row.ack) as A) : null;
    });
  }

  // Posts ----------------------------------------------------------------------------------------

  getPost(sessionId: string, postId: string): Promise<Post | null> {
    return this.#read(() => {
      // The session's posts as kept since the last write, when they are (see #postsCache).
      const cached = this.#postsCache.get(sessionId);
      if (cached) return cached.find((post) => post.id === postId) ?? null;
      return parse<Post>(this.#q.getPost.get(sessionId, postId));
    });
  }

  listPosts(sessionId: string): Promise<Post[]> {
    return this.#read(() => this.#cachedPosts(sessionId));
  }

  /** `read()` once until the next write; callers must not change what it returns. */
  #cachedRead<T>(key: string, read: () => T): T {
    if (this.#readsCache.has(key)) return this.#readsCache.get(key) as T;
    const value = deepFreeze(read());
    if (this.#readsCache.size >= READS_CACHE_ENTRIES) this.#readsCache.clear();
    this.#readsCache.set(key, value);
    return value;
  }

  #cachedPosts(sessionId: string): Post[] {
    let posts = this.#postsCache.get(sessionId);
    if (!posts) {
      posts = Object.freeze(parseAll<Post>(this.#q.listPosts.all(sessionId)).map(deepFreeze));
      // A few hundred sessions at most are live at once; forget the oldest beyond that.
      if (this.#postsCache.size >= POSTS_CACHE_SESSIONS)
        this.#postsCache.delete(this.#postsCache.keys().next().value!);
      this.#postsCache.set(sessionId, posts);
    }
    // Callers get the frozen posts themselves (a post is never mutated: core returns new
    // ones) in an array of their own.
    return posts.slice();
  }

  insertPost<A>(
    cmd: CommandRef,
    post: Post,
    appends: StreamAppend[],
    ack: A,
    log: NewLogEntry[] = [],
  ): Promise<Commit<A>> {
    const data = json(post);
    const ackData = json(ack);
    const serial = serialAppends(appends);
    const serialLog = serialLogEntries(log);
    return this.#write((): Commit<A> => {
      const replay = this.#replay<A>(cmd);
      if (replay) return replay;
      // The command and entries first, the post last: if the post cannot be written (its id
      // is taken), the savepoint takes the command and the entries back with it.
      const result = this.#commit(cmd, ack, ackData, post.sessionId, serial, serialLog);
      this.#q.insertPost.run(
        post.sessionId,
        post.id,
        post.version,
        post.createdAt,
        data,
        post.authorDevice,
      );
      return result;
    });
  }

  updatePosts<A>(
    cmd: CommandRef,
    sessionId: SessionId,
    changes: PostChange[],
    appends: StreamAppend[],
    ack: A,
    log: NewLogEntry[] = [],
  ): Promise<Commit<A>> {
    return this.#updatePosts(cmd, sessionId, null, changes, appends, ack, log);
  }

  mergePosts<A>(
    cmd: CommandRef,
    sessionId: SessionId,
    merge: { targetId: string; sourceIds: string[] },
    changes: PostChange[],
    appends: StreamAppend[],
    ack: A,
    log: NewLogEntry[] = [],
  ): Promise<Commit<A>> {
    return this.#updatePosts(cmd, sessionId, merge, changes, appends, ack, log);
  }

  #updatePosts<A>(
    cmd: CommandRef,
    sessionId: SessionId,
    merge: { targetId: string; sourceIds: string[] } | null,
    changes: PostChange[],
    appends: StreamAppend[],
    ack: A,
    log: NewLogEntry[],
  ): Promise<Commit<A>> {
    const serialLog = serialLogEntries(log);
    const serialChanges = changes.map((c) => ({
      id: c.post.id,
      version: c.post.version,
      createdAt: c.post.createdAt,
      expectedVersion: c.expectedVersion,
      data: json(c.post),
    }));
    const ackData = json(ack);
    const serial = serialAppends(appends);
    return this.#write((): Commit<A> => {
      const replay = this.#replay<A>(cmd);
      if (replay) return replay;
      // All or none: check every expected version before writing anything.
      let isConflict = false;
      const current = new Map<string, Post>();
      for (const change of serialChanges) {
        const row = this.#q.getPost.get(sessionId, change.id);
        const post = parse<Post>(row);
        if (post) current.set(change.id, post);
        if (!row || row.version !== change.expectedVersion) isConflict = true;
      }
      if (isConflict)
        return { kind: 'conflict', currentPosts: [...current.values()], currentSession: null };
      for (const change of serialChanges) {
        this.#q.updatePost.run(change.version, change.createdAt, change.data, sessionId, change.id);
      }
      if (merge) {
        // [M13] Each source's voters vote for the target (a repeat is ignored), then the
        // source keeps none; the target's count is recounted from its voters.
        for (const sourceId of merge.sourceIds) {
          this.#q.moveVotes.run(merge.targetId, sessionId, sourceId);
          this.#q.clearVotes.run(sessionId, sourceId);
          this.#q.clearVoteCount.run(sessionId, sourceId);
        }
        this.#q.recountVotes.run(sessionId, merge.targetId, sessionId, merge.targetId);
      }
      return this.#commit(cmd, ack, ackData, sessionId, serial, serialLog);
    });
  }

  // Exposure and the wall -----------------------------------------------------------------------

  addImpressions(sessionId: string, deviceId: string, postIds: string[]): Promise<string[]> {
    const ids = [...new Set(postIds)];
    return this.#write(() => {
      const counted: string[] = [];
      for (const postId of ids) {
        if (this.#q.insertSeen.run(sessionId, postId, deviceId).changes === 0) continue;
        this.#q.addExposure.run(sessionId, postId, 0, 1);
        counted.push(postId);
      }
      return counted;
    });
  }

  addWallSeconds(sessionId: string, seconds: Record<string, number>): Promise<void> {
    const entries = Object.entries(seconds).filter(([, n]) => n > 0);
    for (const [postId, n] of entries)
      if (!Number.isFinite(n))
        return Promise.reject(new TypeError(`wall seconds for ${postId} is not finite: ${n}`));
    if (entries.length === 0) return Promise.resolve();
    return this.#write(() => {
      for (const [postId, n] of entries) this.#q.addExposure.run(sessionId, postId, n, 0);
    });
  }

  getExposure(sessionId: string): Promise<Record<string, Exposure>> {
    return this.#read(() => ({
      ...this.#cachedRead(`exposure:${sessionId}`, () => {
        const out: Record<string, Exposure> = {};
        for (const row of this.#q.exposure.all(sessionId))
          out[row.post_id] = { wallSeconds: row.wall_seconds, impressions: row.impressions };
        return out;
      }),
    }));
  }

  saveWall(sessionId: string, wall: WallSet): Promise<void> {
    const data = json(wall);
    return this.#write(() => {
      this.#q.saveWall.run(sessionId, data);
    });
  }

  getWall(sessionId: string): Promise<WallSet | null> {
    return this.#read(() =>
      this.#cachedRead(`wall:${sessionId}`, () => parse<WallSet>(this.#q.getWall.get(sessionId))),
    );
  }

  /** One file, one node: this node always runs the rotation. */
  claimWallTick(): Promise<boolean> {
    return Promise.resolve(!this.#commits.isClosed);
  }

  // The speaker queue ----------------------------------------------------------------------------

  getQueue(sessionId: string): Promise<SpeakerQueue | null> {
    return this.#read(() => parse<SpeakerQueue>(this.#q.getQueue.get(sessionId)));
  }

  saveQueue<A>(
    cmd: CommandRef,
    queue: SpeakerQueue,
    expectedVersion: number,
    appends: StreamAppend[],
    ack: A,
    log: NewLogEntry[] = [],
  ): Promise<Commit<A>> {
    return this.#saveVersioned(cmd, queue, expectedVersion, appends, ack, log, {
      get: this.#q.getQueue,
      save: this.#q.saveQueue,
    });
  }

  // Live polls (SPEC PL1-PL10) -------------------------------------------------------------------

  getPolls(sessionId: string): Promise<PollSet | null> {
    return this.#read(() => parse<PollSet>(this.#q.getPolls.get(sessionId)));
  }

  savePolls<A>(
    cmd: CommandRef,
    set: PollSet,
    expectedVersion: number,
    appends: StreamAppend[],
    ack: A,
    log: NewLogEntry[] = [],
  ): Promise<Commit<A>> {
    return this.#saveVersioned(cmd, set, expectedVersion, appends, ack, log, {
      get: this.#q.getPolls,
      save: this.#q.savePolls,
    });
  }

  /**
   * Replace a session's versioned document (the speaker queue, the polls) if its stored
   * version equals expectedVersion (0: none stored yet), with its stream and log entries and
   * the command's acknowledgement, in one step; a stale version writes nothing.
   */
  #saveVersioned<A>(
    cmd: CommandRef,
    doc: { sessionId: SessionId; version: number },
    expectedVersion: number,
    appends: StreamAppend[],
    ack: A,
    log: NewLogEntry[],
    table: {
      get: { get(sessionId: string): { version: number } | undefined };
      save: { run(sessionId: string, version: number, data: string): unknown };
    },
  ): Promise<Commit<A>> {
    const data = json(doc);
    const ackData = json(ack);
    const serial = serialAppends(appends);
    const serialLog = serialLogEntries(log);
    return this.#write((): Commit<A> => {
      const replay = this.#replay<A>(cmd);
      if (replay) return replay;
      const stored = table.get.get(doc.sessionId)?.version ?? 0;
      if (stored !== expectedVersion)
        return { kind: 'conflict', currentPosts: [], currentSession: null };
      table.save.run(doc.sessionId, doc.version, data);
      return this.#commit(cmd, ack, ackData, doc.sessionId, serial, serialLog);
    });
  }

  saveAnswer<A>(
    cmd: CommandRef,
    answer: PollAnswer,
    pollsVersion: number,
    appends: StreamAppend[],
    ack: A,
  ): Promise<Commit<A>> {
    const data = json(answer);
    const ackData = json(ack);
    const serial = serialAppends(appends);
    return this.#write((): Commit<A> => {
      const replay = this.#replay<A>(cmd);
      if (replay) return replay;
      const stored = this.#q.getPolls.get(answer.sessionId)?.version ?? 0;
      if (stored !== pollsVersion)
        return { kind: 'conflict', currentPosts: [], currentSession: null };
      this.#q.saveAnswer.run(answer.sessionId, answer.pollId, answer.deviceId, data);
      this.#q.bumpPollRevision.run(answer.sessionId, answer.pollId);
      return this.#commit(cmd, ack, ackData, answer.sessionId, serial, []);
    });
  }

  listAnswers(sessionId: string, pollId: string): Promise<PollAnswers> {
    // One synchronous read: the answers and the revision are of the same moment.
    return this.#read(() => ({
      answers: parseAll<PollAnswer>(this.#q.listAnswers.all(sessionId, pollId)),
      revision: this.#q.pollRevision.get(sessionId, pollId)?.revision ?? 0,
    }));
  }

  listDeviceAnswers(sessionId: string, deviceId: string): Promise<PollAnswer[]> {
    return this.#read(() =>
      parseAll<PollAnswer>(this.#q.listDeviceAnswers.all(sessionId, deviceId)),
    );
  }

  // Moderation log -----------------------------------------------------------------------------

  listLog(sessionId: string, beforeSeq: number | null, limit: number): Promise<LogEntry[]> {
    return this.#read(() =>
      parseAll<LogEntry>(
        this.#q.listLog.all(
          sessionId,
          beforeSeq ?? Number.MAX_SAFE_INTEGER,
          Math.max(0, Math.floor(limit)),
        ),
      ),
    );
  }

  // Votes and reactions ------------------------------------------------------------------------

  setVote<A>(cmd: CommandRef, vote: VoteChange, ack: A): Promise<Commit<A>> {
    const ackData = json(ack);
    const { sessionId, postId, deviceId, isOn } = vote;
    return this.#write((): Commit<A> => {
      const replay = this.#replay<A>(cmd);
      if (replay) return replay;
      if (isOn) {
        if (this.#q.insertVote.run(sessionId, postId, deviceId).changes > 0) {
          this.#q.addVoteCount.run(sessionId, postId, 1);
        }
      } else if (this.#q.deleteVote.run(sessionId, postId, deviceId).changes > 0) {
        this.#q.addVoteCount.run(sessionId, postId, -1);
      }
      return this.#commit(cmd, ack, ackData, sessionId, []);
    });
  }

  listDeviceVotes(sessionId: string, deviceId: string): Promise<string[]> {
    return this.#read(() => this.#q.listDeviceVotes.all(sessionId, deviceId).map((r) => r.post_id));
  }

  addReactions(sessionId: string, deltas: Record<string, number>): Promise<void> {
    const entries = Object.entries(deltas).filter(([, n]) => n !== 0);
    for (const [name, n] of entries) {
      if (!Number.isSafeInteger(n))
        return Promise.reject(new TypeError(`reaction delta for ${name} is not an integer: ${n}`));
    }
    if (entries.length === 0) return Promise.resolve();
    return this.#write(() => {
      for (const [name, n] of entries) this.#q.addReaction.run(sessionId, name, n);
    });
  }

  getCounts(sessionId: string): Promise<Counts> {
    return this.#read(() => {
      const counts = this.#cachedRead(`counts:${sessionId}`, () => {
        const votes: Record<string, number> = {};
        for (const row of this.#q.voteCounts.all(sessionId)) votes[row.post_id] = row.count;
        const reactions: Record<string, number> = {};
        for (const row of this.#q.reactionCounts.all(sessionId)) reactions[row.name] = row.count;
        return { votes, reactions };
      });
      // Records of their own: callers add pending taps to them.
      return { votes: { ...counts.votes }, reactions: { ...counts.reactions } };
    });
  }

  // Receipts, topics, follow-ups -----------------------------------------------------------------

  listDevicePosts(deviceId: string): Promise<Post[]> {
    return this.#read(() => parseAll<Post>(this.#q.listDevicePosts.all(deviceId)));
  }

  createTopic(topic: Topic): Promise<void> {
    const data = json(topic);
    return this.#write(() => {
      this.#q.insertTopic.run(topic.id, topic.eventId, topic.createdAt, data);
    });
  }

  getTopic(id: string): Promise<Topic | null> {
    return this.#read(() => parse<Topic>(this.#q.getTopic.get(id)));
  }

  listTopics(eventId: string): Promise<Topic[]> {
    return this.#read(() => parseAll<Topic>(this.#q.listTopics.all(eventId)));
  }

  insertFollowUp<A>(cmd: CommandRef, followUp: FollowUp, ack: A): Promise<Commit<A>> {
    const data = json(followUp);
    const ackData = json(ack);
    return this.#write((): Commit<A> => {
      const replay = this.#replay<A>(cmd);
      if (replay) return replay;
      const f = followUp;
      this.#q.insertFollowUp.run(f.id, f.topicId, f.followKey, f.consentedAt, f.deleteAfter, data);
      return this.#commit(cmd, ack, ackData, '' as SessionId, []);
    });
  }

  updateFollowUp<A>(cmd: CommandRef, followUp: FollowUp, ack: A): Promise<Commit<A>> {
    const data = json(followUp);
    const ackData = json(ack);
    return this.#write((): Commit<A> => {
      const replay = this.#replay<A>(cmd);
      if (replay) return replay;
      if (this.#q.updateFollowUp.run(followUp.deleteAfter, data, followUp.id).changes === 0) {
        throw new Error(`no follow-up ${followUp.id}`);
      }
      return this.#commit(cmd, ack, ackData, '' as SessionId, []);
    });
  }

  getFollowUp(id: string): Promise<FollowUp | null> {
    return this.#read(() => parse<FollowUp>(this.#q.getFollowUp.get(id)));
  }

  listFollowUpsByKey(followKey: string): Promise<FollowUp[]> {
    return this.#read(() => parseAll<FollowUp>(this.#q.followUpsByKey.all(followKey)));
  }

  listFollowUps(topicId: string): Promise<FollowUp[]> {
    return this.#read(() => parseAll<FollowUp>(this.#q.followUpsByTopic.all(topicId)));
  }

  deleteFollowUpsDueBy(dueBy: number): Promise<number> {
    return this.#write(() => this.#q.deleteFollowUpsDueBy.run(dueBy).changes);
  }

  // Moderator links ------------------------------------------------------------------------------

  saveModeratorLink(link: ModeratorLink): Promise<void> {
    const data = json(link);
    return this.#write(() => {
      this.#q.saveLink.run(link.id, link.sessionId, link.createdAt, data);
    });
  }

  getModeratorLink(id: string): Promise<ModeratorLink | null> {
    return this.#read(() => parse<ModeratorLink>(this.#q.getLink.get(id)));
  }

  listModeratorLinks(sessionId: string): Promise<ModeratorLink[]> {
    return this.#read(() => parseAll<ModeratorLink>(this.#q.listLinks.all(sessionId)));
  }

  // Organiser accounts and the first organisation ---------------------------------------------

  claimFirstOrganisation(candidate: Organisation): Promise<Organisation> {
    const data = json(candidate);
    return this.#write(() => {
      // The claim row and the candidate are written together or not at all (one savepoint).
      if (this.#q.claimFirstOrg.run(candidate.id).changes > 0)
        this.#q.upsertOrg.run(candidate.id, data);
      const id = this.#q.firstOrgId.get()!.org_id;
      return parse<Organisation>(this.#q.getOrg.get(id))!;
    });
  }

  createAccount(account: OrganiserAccount): Promise<'created' | 'email_taken'> {
    const data = json(account);
    return this.#write(() => {
      if (this.#q.accountIdByEmail.get(account.email)) return 'email_taken' as const;
      this.#q.insertAccount.run(account.id, account.orgId, account.email, account.createdAt, data);
      return 'created' as const;
    });
  }

  getAccountByEmail(email: string): Promise<OrganiserAccount | null> {
    return this.#read(() => parse<OrganiserAccount>(this.#q.accountByEmail.get(email)));
  }

  setAccountPassword(
    accountId: string,
    password: { passwordSalt: string; passwordHash: string },
  ): Promise<boolean> {
    const { passwordSalt, passwordHash } = password;
    return this.#write(() => {
      const account = parse<OrganiserAccount>(this.#q.accountById.get(accountId));
      if (!account) return false;
      this.#q.updateAccount.run(json({ ...account, passwordSalt, passwordHash }), accountId);
      return true;
    });
  }

  // People of organisations (MemberStore) ------------------------------------------------------

  getAccount(accountId: string): Promise<OrganiserAccount | null> {
    return this.#read(() => parse<OrganiserAccount>(this.#q.accountById.get(accountId)));
  }

  addMembership(membership: Membership): Promise<'added' | 'exists'> {
    return this.#write(() => this.#addMembership(membership));
  }

  #addMembership(m: Membership): 'added' | 'exists' {
    const { changes } = this.#q.insertMembership.run(
      m.orgId,
      m.accountId,
      m.role,
      m.createdAt,
      json(m),
    );
    return changes > 0 ? 'added' : 'exists';
  }

  getMembership(orgId: string, accountId: string): Promise<Membership | null> {
    return this.#read(() => parse<Membership>(this.#q.getMembership.get(orgId, accountId)));
  }

  listMembers(orgId: string): Promise<Membership[]> {
    return this.#read(() => parseAll<Membership>(this.#q.membersOfOrg.all(orgId)));
  }

  listMemberships(accountId: string): Promise<Membership[]> {
    return this.#read(() => parseAll<Membership>(this.#q.membershipsOfAccount.all(accountId)));
  }

  removeMembership(
    orgId: string,
    accountId: string,
  ): Promise<'removed' | 'not_found' | 'last_admin'> {
    return this.#write(() => {
      const membership = parse<Membership>(this.#q.getMembership.get(orgId, accountId));
      if (!membership) return 'not_found' as const;
      if (membership.role === 'admin' && this.#q.countAdmins.get(orgId)!.n <= 1)
        return 'last_admin' as const;
      this.#q.deleteMembership.run(orgId, accountId);
      return 'removed' as const;
    });
  }

  saveInvitation(invitation: Invitation): Promise<void> {
    return this.#write(() => {
      this.#q.saveInvitation.run(
        invitation.id,
        invitation.orgId,
        invitation.createdAt,
        json(invitation),
      );
    });
  }

  getInvitation(id: string): Promise<Invitation | null> {
    return this.#read(() => parse<Invitation>(this.#q.getInvitation.get(id)));
  }

  listInvitations(orgId: string): Promise<Invitation[]> {
    return this.#read(() => parseAll<Invitation>(this.#q.invitationsOfOrg.all(orgId)));
  }

  acceptInvitation(
    id: string,
    account: OrganiserAccount,
    at: number,
  ): Promise<AcceptInvitationOutcome> {
    return this.#write((): AcceptInvitationOutcome => {
      const invitation = parse<Invitation>(this.#q.getInvitation.get(id));
      if (!invitation) return 'not_found';
      const state = invitationState(invitation, at);
      if (state !== 'pending') return state === 'accepted' ? 'used' : state;
      const existingId = this.#q.accountIdByEmail.get(account.email)?.id;
      if (existingId !== undefined && existingId !== account.id) return 'email_taken';
      if (existingId === undefined)
        this.#q.insertAccount.run(
          account.id,
          account.orgId,
          account.email,
          account.createdAt,
          json(account),
        );
      this.#addMembership({
        orgId: invitation.orgId,
        accountId: account.id,
        role: invitation.role,
        createdAt: at,
      });
      const accepted = { ...invitation, acceptedAt: at };
      this.#q.saveInvitation.run(id, invitation.orgId, invitation.createdAt, json(accepted));
      return 'accepted';
    });
  }

  bumpTokenVersion(accountId: string): Promise<number | null> {
    return this.#write(() => {
      const account = parse<OrganiserAccount>(this.#q.accountById.get(accountId));
      if (!account) return null;
      const tokenVersion = (account.tokenVersion ?? 0) + 1;
      this.#q.updateAccount.run(json({ ...account, tokenVersion }), accountId);
      return tokenVersion;
    });
  }

  // Streams ----------------------------------------------------------------------------------------

  readStream(
    sessionId: string,
    stream: StreamKey,
    afterSeq: number,
    limit: number,
  ): Promise<StreamRead> {
    return this.#read(() => {
      const head = this.#q.getHead.get(sessionId, stream)?.head ?? 0;
      if (afterSeq > head) return { head, entries: [], isComplete: false };
      if (afterSeq === head) return { head, entries: [], isComplete: true };
      const oldest = this.#q.oldestSeq.get(sessionId, stream)?.seq ?? null;
      const isComplete = oldest !== null && oldest <= afterSeq + 1;
      const rows = this.#q.readEntries.all(
        sessionId,
        stream,
        afterSeq,
        Math.max(0, Math.floor(limit)),
      );
      const entries: StreamEntry[] = rows.map((r) => ({
        seq: r.seq,
        update: JSON.parse(r.data) as StreamEntry['update'],
      }));
      return { head, entries, isComplete };
    });
  }

  snapshot(sessionId: string, streams: StreamKey[]): Promise<Snapshot> {
    return this.#read(
      () =>
        this.#q.readTransaction(() => {
          const heads: Record<string, number> = {};
          for (const stream of streams)
            heads[stream] = this.#q.getHead.get(sessionId, stream)?.head ?? 0;
          return { heads, posts: this.#cachedPosts(sessionId) };
        }) as Snapshot,
    );
  }

  // Lifecycle ----------------------------------------------------------------------------------------

  ping(): Promise<void> {
    return this.#read(() => {
      this.#q.ping.get();
    });
  }

  /** Apply the writes still queued, then close the connection. Calling it again does nothing. */
  async close(): Promise<void> {
    if (this.#commits.isClosed) return;
    this.#commits.close();
    this.#db.close();
  }

  // Internals ------------------------------------------------------------------------------------

  #assertOpen(): void {
    if (this.#commits.isClosed) throw closedError();
  }

  #read<T>(fn: () => T): Promise<T> {
    try {
      this.#assertOpen();
      return Promise.resolve(fn());
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #write<T>(run: () => T): Promise<T> {
    return this.#commits.write(run);
  }

  /** The stored acknowledgement as a replay, when this command was applied before. */
  #replay<A>(cmd: CommandRef): Commit<A> | null {
    const row = this.#q.getCommand.get(cmd.actor, cmd.commandId);
    return row ? { kind: 'replay', ack: JSON.parse(row.ack) as A } : null;
  }

  /** Record the command and append the entries (inside the current savepoint). */
  #commit<A>(
    cmd: CommandRef,
    ack: A,
    ackData: string,
    sessionId: SessionId,
    appends: SerialAppend[],
    log: NewLogEntry[] = [],
  ): Commit<A> {
    this.#q.insertCommand.run(cmd.actor, cmd.commandId, ackData, Date.now());
    const logged: LogEntry[] = [];
    for (const entry of log) {
      const seq = (this.#q.lastLogSeq.get(entry.sessionId)?.seq ?? 0) + 1;
      const numbered = { ...entry, seq };
      this.#q.insertLog.run(entry.sessionId, seq, json(numbered));
      logged.push(numbered);
    }
    const entries: AppendedEntry[] = [];
    const heads = new Map<StreamKey, number>();
    for (const append of appends) {
      const seq = this.#q.bumpHead.get(sessionId, append.stream)!.head;
      this.#q.insertEntry.run(sessionId, append.stream, seq, append.data);
      heads.set(append.stream, seq);
      entries.push({ sessionId, stream: append.stream, seq, update: append.update });
    }
    for (const [stream, head] of heads)
      this.#q.trimEntries.run(sessionId, stream, head - this.#retain);
    return logged.length > 0
      ? { kind: 'committed', ack, entries, log: logged }
      : { kind: 'committed', ack, entries };
  }
}

/**
 * Open (creating and migrating as needed) the store's file, with the durability settings the
 * design relies on: WAL, synchronous=FULL (a commit survives power loss), foreign keys on,
 * and a busy timeout for the odd second connection (exports, backups).
 */
export async function openSqliteStore(options: SqliteStoreOptions): Promise<SqliteStore> {
  if (options.file !== ':memory:')
    fs.mkdirSync(path.dirname(path.resolve(options.file)), { recursive: true });
  const db = new Database(options.file);
  try {
    const busyTimeout = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
    if (!Number.isInteger(busyTimeout) || busyTimeout < 0)
      throw new Error(`busyTimeoutMs must be a non-negative integer`);
    db.pragma(`busy_timeout = ${busyTimeout}`);
    const mode = String(db.pragma('journal_mode = WAL', { simple: true }));
    if (mode !== 'wal' && options.file !== ':memory:')
      throw new Error(`could not switch ${options.file} to WAL (got ${mode})`);
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    migrate(db);
    return new SqliteStore(db, options);
  } catch (error) {
    db.close();
    throw error;
  }
}
