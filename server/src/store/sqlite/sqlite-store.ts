/**
 * The SQLite store: one file, one connection, the default for a single server.
 *
 * Writes use group commit (DESIGN "Group commit"). better-sqlite3 is synchronous, and a
 * durable commit (WAL + synchronous=FULL) costs an fsync, so instead of one transaction per
 * write, every write is queued and the queue is applied in ONE transaction shortly after
 * (on the next turn of the event loop, or after `groupCommitDelayMs`). Inside it each write
 * runs in its own SAVEPOINT: a write that throws is rolled back alone and rejects alone; a
 * conflict or a replay writes nothing. Every write's promise settles only after COMMIT, so
 * an acknowledgement sent on it is durable.
 *
 * Reads run synchronously on the same connection. A batch is applied synchronously too, so a
 * read never sees half a batch; it sees what is committed (a write still queued is not yet
 * visible, as it is not yet acknowledged).
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { withSettingsDefaults } from '@gt/core';
import type {
  Event,
  Exposure,
  FollowUp,
  LogEntry,
  NewLogEntry,
  ModeratorLink,
  Topic,
  Organisation,
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

export interface SqliteStoreStats {
  /** Write transactions committed (one per group-commit batch). */
  transactions: number;
  /** Write operations applied in those transactions (each its own savepoint), failed ones included. */
  operations: number;
}

type Db = Database.Database;

interface QueuedWrite {
  run: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

const DEFAULT_BUSY_TIMEOUT_MS = 5000;

const closedError = () => new Error('the SQLite store is closed');

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
  readonly #delayMs: number;
  #queue: QueuedWrite[] = [];
  #timer:
    | { kind: 'timeout'; handle: NodeJS.Timeout }
    | { kind: 'immediate'; handle: NodeJS.Immediate }
    | null = null;
  #closed = false;
  #stats: SqliteStoreStats = { transactions: 0, operations: 0 };
  readonly #q: ReturnType<typeof prepareStatements>;
  /**
   * Every session's posts as last read, parsed and frozen. After a restart a thousand phones
   * rejoin within seconds, and each join's snapshot would otherwise read and JSON.parse every
   * post of the session again (bench S3). This process is the only writer of the file, and
   * every write goes through #flush, which empties the cache before it writes anything: a
   * read never sees posts older than the last commit.
   */
  readonly #postsCache = new Map<string, readonly Post[]>();
  /**
   * The same, for the small reads every join makes (the session, its counts, exposure and
   * wall set): frozen, emptied with the posts by every #flush, and by itself when it grows
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
    this.#delayMs = Math.max(0, options.groupCommitDelayMs ?? 0);
    this.#q = prepareStatements(db);
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
    return { ...this.#stats };
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
    return Promise.resolve(!this.#closed);
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
    const data = json(queue);
    const ackData = json(ack);
    const serial = serialAppends(appends);
    const serialLog = serialLogEntries(log);
    return this.#write((): Commit<A> => {
      const replay = this.#replay<A>(cmd);
      if (replay) return replay;
      const stored = this.#q.getQueue.get(queue.sessionId)?.version ?? 0;
      if (stored !== expectedVersion)
        return { kind: 'conflict', currentPosts: [], currentSession: null };
      this.#q.saveQueue.run(queue.sessionId, queue.version, data);
      return this.#commit(cmd, ack, ackData, queue.sessionId, serial, serialLog);
    });
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
    if (this.#closed) return;
    this.#cancelTimer();
    this.#flush();
    this.#closed = true;
    this.#db.close();
  }

  // Internals ------------------------------------------------------------------------------------

  #assertOpen(): void {
    if (this.#closed) throw closedError();
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
    if (this.#closed) return Promise.reject(closedError());
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ run, resolve: resolve as (value: unknown) => void, reject });
      if (this.#timer === null) {
        this.#timer =
          this.#delayMs > 0
            ? { kind: 'timeout', handle: setTimeout(() => this.#flush(), this.#delayMs) }
            : { kind: 'immediate', handle: setImmediate(() => this.#flush()) };
      }
    });
  }

  #cancelTimer(): void {
    if (this.#timer === null) return;
    if (this.#timer.kind === 'timeout') clearTimeout(this.#timer.handle);
    else clearImmediate(this.#timer.handle);
    this.#timer = null;
  }

  /** Apply every queued write in one transaction, one savepoint each; settle them after COMMIT. */
  #flush(): void {
    this.#timer = null;
    const batch = this.#queue;
    this.#queue = [];
    if (batch.length === 0) return;
    // Whatever this batch writes, no cached read may outlive it (see #postsCache).
    this.#postsCache.clear();
    this.#readsCache.clear();
    if (this.#closed) {
      for (const op of batch) op.reject(closedError());
      return;
    }
    const db = this.#db;
    const settled: Settled[] = [];
    try {
      this.#q.begin.run();
      for (const op of batch) {
        this.#q.savepoint.run();
        try {
          const value = op.run();
          this.#q.release.run();
          settled.push({ ok: true, value });
        } catch (error) {
          // SQLite rolls the whole transaction back by itself on some errors (disk full,
          // I/O): then everything of this batch is lost, and the batch fails as a whole.
          if (!db.inTransaction) throw error;
          this.#q.rollbackTo.run();
          this.#q.release.run();
          settled.push({ ok: false, error });
        }
        this.#stats.operations += 1;
      }
      this.#q.commit.run();
      this.#stats.transactions += 1;
    } catch (error) {
      if (db.inTransaction) {
        try {
          this.#q.rollback.run();
        } catch (_ignored) {
          // The original error is the one to report.
        }
      }
      for (const op of batch) op.reject(error);
      return;
    }
    batch.forEach((op, i) => {
      const result = settled[i]!;
      if (result.ok) op.resolve(result.value);
      else op.reject(result.error);
    });
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

interface DataRow {
  data: string;
}

/** Every statement the store runs, prepared once. */
function prepareStatements(db: Db) {
  return {
    begin: db.prepare('BEGIN IMMEDIATE'),
    commit: db.prepare('COMMIT'),
    rollback: db.prepare('ROLLBACK'),
    savepoint: db.prepare('SAVEPOINT op'),
    release: db.prepare('RELEASE op'),
    rollbackTo: db.prepare('ROLLBACK TO op'),
    /** Runs a function inside BEGIN ... COMMIT: reads in it see one moment. */
    readTransaction: db.transaction((fn: () => unknown): unknown => fn()),
    ping: db.prepare('SELECT 1'),

    upsertOrg: db.prepare<[string, string]>(
      'INSERT INTO organisations (id, data) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET data = excluded.data',
    ),
    getOrg: db.prepare<[string], DataRow>('SELECT data FROM organisations WHERE id = ?'),

    insertEvent: db.prepare<[string, string, number, string]>(
      'INSERT INTO events (id, org_id, created_at, data) VALUES (?, ?, ?, ?)',
    ),
    getEvent: db.prepare<[string], DataRow>('SELECT data FROM events WHERE id = ?'),
    listEvents: db.prepare<[string], DataRow>(
      'SELECT data FROM events WHERE org_id = ? ORDER BY created_at DESC, id DESC',
    ),

    insertSession: db.prepare<[string, string, string, number, number, string]>(
      'INSERT INTO sessions (id, event_id, join_code, version, created_at, data) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    updateSession: db.prepare<[string, string, number, number, string, string]>(
      'UPDATE sessions SET event_id = ?, join_code = ?, version = ?, created_at = ?, data = ? WHERE id = ?',
    ),
    getSession: db.prepare<[string], DataRow>('SELECT data FROM sessions WHERE id = ?'),
    sessionByCode: db.prepare<[string], DataRow>('SELECT data FROM sessions WHERE join_code = ?'),
    listSessions: db.prepare<[string], DataRow>(
      'SELECT data FROM sessions WHERE event_id = ? ORDER BY created_at, id',
    ),

    getCommand: db.prepare<[string, string], { ack: string }>(
      'SELECT ack FROM commands WHERE actor = ? AND command_id = ?',
    ),
    insertCommand: db.prepare<[string, string, string, number]>(
      'INSERT INTO commands (actor, command_id, ack, created_at) VALUES (?, ?, ?, ?)',
    ),

    getPost: db.prepare<[string, string], DataRow & { version: number }>(
      'SELECT data, version FROM posts WHERE session_id = ? AND id = ?',
    ),
    listPosts: db.prepare<[string], DataRow>(
      'SELECT data FROM posts WHERE session_id = ? ORDER BY created_at, id',
    ),
    insertPost: db.prepare<[string, string, number, number, string, string | null]>(
      'INSERT INTO posts (session_id, id, version, created_at, data, author_device) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    listDevicePosts: db.prepare<[string], DataRow>(
      'SELECT data FROM posts WHERE author_device = ? ORDER BY created_at, id',
    ),
    insertTopic: db.prepare<[string, string, number, string]>(
      'INSERT INTO topics (id, event_id, created_at, data) VALUES (?, ?, ?, ?)',
    ),
    getTopic: db.prepare<[string], DataRow>('SELECT data FROM topics WHERE id = ?'),
    listTopics: db.prepare<[string], DataRow>(
      'SELECT data FROM topics WHERE event_id = ? ORDER BY created_at, id',
    ),
    insertFollowUp: db.prepare<[string, string, string, number, number, string]>(
      'INSERT INTO follow_ups (id, topic_id, follow_key, consented_at, delete_after, data) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    updateFollowUp: db.prepare<[number, string, string]>(
      'UPDATE follow_ups SET delete_after = ?, data = ? WHERE id = ?',
    ),
    getFollowUp: db.prepare<[string], DataRow>('SELECT data FROM follow_ups WHERE id = ?'),
    saveLink: db.prepare<[string, string, number, string]>(
      'INSERT INTO moderator_links (id, session_id, created_at, data) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET data = excluded.data',
    ),
    getLink: db.prepare<[string], DataRow>('SELECT data FROM moderator_links WHERE id = ?'),
    listLinks: db.prepare<[string], DataRow>(
      'SELECT data FROM moderator_links WHERE session_id = ? ORDER BY created_at, id',
    ),
    followUpsByKey: db.prepare<[string], DataRow>(
      'SELECT data FROM follow_ups WHERE follow_key = ? ORDER BY consented_at, id',
    ),
    // Uses the follow_ups_by_deletion index.
    deleteFollowUpsDueBy: db.prepare<[number]>('DELETE FROM follow_ups WHERE delete_after <= ?'),
    followUpsByTopic: db.prepare<[string], DataRow>(
      'SELECT data FROM follow_ups WHERE topic_id = ? ORDER BY consented_at, id',
    ),
    updatePost: db.prepare<[number, number, string, string, string]>(
      'UPDATE posts SET version = ?, created_at = ?, data = ? WHERE session_id = ? AND id = ?',
    ),

    insertVote: db.prepare<[string, string, string]>(
      'INSERT OR IGNORE INTO votes (session_id, post_id, device_id) VALUES (?, ?, ?)',
    ),
    deleteVote: db.prepare<[string, string, string]>(
      'DELETE FROM votes WHERE session_id = ? AND post_id = ? AND device_id = ?',
    ),
    moveVotes: db.prepare<[string, string, string]>(
      `INSERT OR IGNORE INTO votes (session_id, post_id, device_id)
       SELECT session_id, ?, device_id FROM votes WHERE session_id = ? AND post_id = ?`,
    ),
    clearVotes: db.prepare<[string, string]>(
      'DELETE FROM votes WHERE session_id = ? AND post_id = ?',
    ),
    clearVoteCount: db.prepare<[string, string]>(
      'DELETE FROM vote_counts WHERE session_id = ? AND post_id = ?',
    ),
    recountVotes: db.prepare<[string, string, string, string]>(
      `INSERT INTO vote_counts (session_id, post_id, count)
       SELECT ?, ?, COUNT(*) FROM votes WHERE session_id = ? AND post_id = ?
       ON CONFLICT (session_id, post_id) DO UPDATE SET count = excluded.count`,
    ),
    addVoteCount: db.prepare<[string, string, number]>(
      `INSERT INTO vote_counts (session_id, post_id, count) VALUES (?, ?, ?)
       ON CONFLICT (session_id, post_id) DO UPDATE SET count = count + excluded.count`,
    ),
    voteCounts: db.prepare<[string], { post_id: string; count: number }>(
      'SELECT post_id, count FROM vote_counts WHERE session_id = ? AND count > 0 ORDER BY post_id',
    ),
    listDeviceVotes: db.prepare<[string, string], { post_id: string }>(
      'SELECT post_id FROM votes WHERE session_id = ? AND device_id = ? ORDER BY post_id',
    ),
    addReaction: db.prepare<[string, string, number]>(
      `INSERT INTO reaction_counts (session_id, name, count) VALUES (?, ?, ?)
       ON CONFLICT (session_id, name) DO UPDATE SET count = count + excluded.count`,
    ),
    reactionCounts: db.prepare<[string], { name: string; count: number }>(
      'SELECT name, count FROM reaction_counts WHERE session_id = ? ORDER BY name',
    ),

    getHead: db.prepare<[string, string], { head: number }>(
      'SELECT head FROM stream_heads WHERE session_id = ? AND stream = ?',
    ),
    bumpHead: db.prepare<[string, string], { head: number }>(
      `INSERT INTO stream_heads (session_id, stream, head) VALUES (?, ?, 1)
       ON CONFLICT (session_id, stream) DO UPDATE SET head = head + 1
       RETURNING head`,
    ),
    insertEntry: db.prepare<[string, string, number, string]>(
      'INSERT INTO stream_entries (session_id, stream, seq, data) VALUES (?, ?, ?, ?)',
    ),
    trimEntries: db.prepare<[string, string, number]>(
      'DELETE FROM stream_entries WHERE session_id = ? AND stream = ? AND seq <= ?',
    ),
    insertSeen: db.prepare<[string, string, string]>(
      'INSERT OR IGNORE INTO impressions_seen (session_id, post_id, device_id) VALUES (?, ?, ?)',
    ),
    addExposure: db.prepare<[string, string, number, number]>(
      `INSERT INTO exposure (session_id, post_id, wall_seconds, impressions) VALUES (?, ?, ?, ?)
       ON CONFLICT (session_id, post_id) DO UPDATE SET
         wall_seconds = wall_seconds + excluded.wall_seconds,
         impressions = impressions + excluded.impressions`,
    ),
    exposure: db.prepare<[string], { post_id: string; wall_seconds: number; impressions: number }>(
      'SELECT post_id, wall_seconds, impressions FROM exposure WHERE session_id = ? ORDER BY post_id',
    ),
    saveWall: db.prepare<[string, string]>(
      'INSERT INTO wall_sets (session_id, data) VALUES (?, ?) ON CONFLICT (session_id) DO UPDATE SET data = excluded.data',
    ),
    getWall: db.prepare<[string], DataRow>('SELECT data FROM wall_sets WHERE session_id = ?'),
    getQueue: db.prepare<[string], DataRow & { version: number }>(
      'SELECT data, version FROM speaker_queues WHERE session_id = ?',
    ),
    saveQueue: db.prepare<[string, number, string]>(
      `INSERT INTO speaker_queues (session_id, version, data) VALUES (?, ?, ?)
       ON CONFLICT (session_id) DO UPDATE SET version = excluded.version, data = excluded.data`,
    ),
    lastLogSeq: db.prepare<[string], { seq: number }>(
      'SELECT seq FROM moderation_log WHERE session_id = ? ORDER BY seq DESC LIMIT 1',
    ),
    insertLog: db.prepare<[string, number, string]>(
      'INSERT INTO moderation_log (session_id, seq, data) VALUES (?, ?, ?)',
    ),
    listLog: db.prepare<[string, number, number], DataRow>(
      'SELECT data FROM moderation_log WHERE session_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?',
    ),
    oldestSeq: db.prepare<[string, string], { seq: number }>(
      'SELECT seq FROM stream_entries WHERE session_id = ? AND stream = ? ORDER BY seq LIMIT 1',
    ),
    readEntries: db.prepare<[string, string, number, number], { seq: number; data: string }>(
      'SELECT seq, data FROM stream_entries WHERE session_id = ? AND stream = ? AND seq > ? ORDER BY seq LIMIT ?',
    ),
  };
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
