/**
 * The Redis store: the Store for several server nodes sharing one Redis.
 *
 * Every write that carries a command is one Lua script (redis-scripts.ts), so the command
 * check, the change, the acknowledgement and the numbered stream entries are atomic across
 * nodes; reads that must agree with each other (a stream's head and log, a snapshot's heads
 * and posts) are one MULTI.
 *
 * The key layout is keys.ts's; the scripts and their registration are redis-scripts.ts's.
 */
import type {
  Event,
  Exposure,
  FollowUp,
  LogEntry,
  NewLogEntry,
  ModeratorLink,
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
  Topic,
} from '@gt/core';
import { withSettingsDefaults } from '@gt/core';
import { Redis } from 'ioredis';
import type { ChainableCommander } from 'ioredis';
import { DEFAULT_RETAIN_ENTRIES } from '../store.js';
import type {
  AppendedEntry,
  Commit,
  CommandRef,
  Counts,
  AcceptInvitationOutcome,
  OrganiserAccount,
  PollAnswers,
  PostChange,
  Snapshot,
  Store,
  StoreOptions,
  StreamRead,
  TopicStore,
  VoteChange,
  WallSet,
} from '../store.js';
import { asReply, defineScripts } from './redis-scripts.js';
import type { Client } from './redis-scripts.js';
import { devicePostMember, Keys } from './keys.js';
import { RedisMembers } from './redis-members.js';

export interface RedisStoreOptions extends StoreOptions {
  /** redis:// or rediss:// URL. */
  url: string;
  /** Prepended to every key, so several deployments (or tests) can share one Redis. */
  keyPrefix?: string;
  /** How long a command's acknowledgement is kept for replays. Default 7 days. */
  commandTtlSeconds?: number;
  /** Give up a connection attempt after this long. Default 5 s. */
  connectTimeoutMs?: number;
  /** Reject a command that has no reply after this long, queued or sent. Default 10 s. */
  commandTimeoutMs?: number;
  /** Reconnection attempts a queued command waits through before it is rejected. Default 3. */
  maxRetriesPerRequest?: number;
  /** Connection errors (ioredis keeps reconnecting on its own); the server logs them. */
  onError?: (error: Error) => void;
}

const DEFAULT_COMMAND_TTL_SECONDS = 7 * 24 * 60 * 60;

function parseJson<T>(value: unknown): T {
  if (typeof value !== 'string') throw new Error(`expected stored JSON, got ${typeof value}`);
  return JSON.parse(value) as T;
}

function byAgeThenId(a: Post, b: Post): number {
  if (a.createdAt !== b.createdAt) return a.createdAt - b.createdAt;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function checkCount(name: string, value: number, min: number): number {
  if (!Number.isSafeInteger(value) || value < min)
    throw new RangeError(`${name} must be an integer >= ${min}, got ${value}`);
  return value;
}

export class RedisStore implements Store, TopicStore {
  readonly kind = 'redis' as const;
  private readonly keys: Keys;
  private readonly members: RedisMembers;
  private closing: Promise<void> | null = null;

  constructor(
    private readonly redis: Client,
    keyPrefix: string,
    private readonly retainEntries: number,
    private readonly commandTtlSeconds: number,
  ) {
    this.keys = new Keys(keyPrefix);
    this.members = new RedisMembers(redis, this.keys);
  }

  // Organisations, events, sessions ------------------------------------------------------

  async saveOrganisation(org: Organisation): Promise<void> {
    await this.redis.set(this.keys.org(org.id), JSON.stringify(org));
  }

  async getOrganisation(id: string): Promise<Organisation | null> {
    return this.getJson<Organisation>(this.keys.org(id));
  }

  async createEvent(event: Event): Promise<void> {
    await this.transaction((m) =>
      m
        .set(this.keys.event(event.id), JSON.stringify(event))
        .zadd(this.keys.orgEvents(event.orgId), event.createdAt, event.id),
    );
  }

  async getEvent(id: string): Promise<Event | null> {
    return this.getJson<Event>(this.keys.event(id));
  }

  async listEvents(orgId: string): Promise<Event[]> {
    const ids = await this.redis.zrevrange(this.keys.orgEvents(orgId), 0, -1);
    return this.getMany<Event>(ids.map((id) => this.keys.event(id)));
  }

  async createSession(session: Session): Promise<'created' | 'code_taken'> {
    const reply = await this.redis.gtCreateSession(
      3,
      this.keys.code(session.joinCode),
      this.keys.session(session.id),
      this.keys.eventSessions(session.eventId),
      session.id,
      JSON.stringify(session),
      session.createdAt,
    );
    if (reply !== 'created' && reply !== 'code_taken')
      throw new Error(`unexpected createSession reply: ${String(reply)}`);
    return reply;
  }

  async getSession(id: string): Promise<Session | null> {
    const session = await this.getJson<Session>(this.keys.session(id));
    // [SC2] Sessions written before a setting existed read with its default.
    return session && withSettingsDefaults(session);
  }

  async findSessionByCode(joinCode: string): Promise<Session | null> {
    const id = await this.redis.get(this.keys.code(joinCode));
    return id === null ? null : this.getSession(id);
  }

  async listSessions(eventId: string): Promise<Session[]> {
    const ids = await this.redis.zrange(this.keys.eventSessions(eventId), 0, -1);
    return (await this.getMany<Session>(ids.map((id) => this.keys.session(id)))).map(
      withSettingsDefaults,
    );
  }

  async updateSession<A>(
    cmd: CommandRef,
    next: Session,
    expectedVersion: number,
    appends: StreamAppend[],
    ack: A,
    log: NewLogEntry[] = [],
  ): Promise<Commit<A>> {
    // The script must hold the keys of the stored join code and event (the next ones may
    // differ); read them first, and read again in the rare case they changed meanwhile.
    for (let attempt = 0; ; attempt++) {
      const stored = (await this.getSession(next.id)) ?? next;
      const reply = asReply(
        await this.redis.gtUpdateSession(
          8 + appends.length * 2,
          this.keys.cmd(cmd),
          this.keys.session(next.id),
          this.keys.code(stored.joinCode),
          this.keys.code(next.joinCode),
          this.keys.eventSessions(stored.eventId),
          this.keys.eventSessions(next.eventId),
          this.keys.logHead(next.id),
          this.keys.modLog(next.id),
          ...this.streamKeys(next.id, appends),
          this.ackJson(ack),
          this.commandTtlSeconds,
          this.retainEntries,
          expectedVersion,
          JSON.stringify(next),
          stored.joinCode,
          stored.eventId,
          next.createdAt,
          ...appends.map((a) => JSON.stringify(a.update)),
          ...log.map((e) => JSON.stringify(e)),
        ),
      );
      if (reply[0] === 'retry') {
        if (attempt < 5) continue;
        throw new Error(`updateSession: session ${next.id} keeps changing its join code or event`);
      }
      if (reply[0] === 'conflict') {
        const current =
          reply[1] === undefined ? null : withSettingsDefaults(parseJson<Session>(reply[1]));
        return { kind: 'conflict', currentPosts: [], currentSession: current };
      }
      return this.commitOf(reply, next.id, appends, ack, log);
    }
  }

  // Commands -------------------------------------------------------------------------------

  async getCommandResult<A>(cmd: CommandRef): Promise<A | null> {
    return this.getJson<A>(this.keys.cmd(cmd));
  }

  // Posts ----------------------------------------------------------------------------------

  async getPost(sessionId: string, postId: string): Promise<Post | null> {
    const json = await this.redis.hget(this.keys.posts(sessionId), postId);
    return json === null ? null : parseJson<Post>(json);
  }

  async listPosts(sessionId: string): Promise<Post[]> {
    const values = await this.redis.hvals(this.keys.posts(sessionId));
    return values.map((v) => parseJson<Post>(v)).sort(byAgeThenId);
  }

  async insertPost<A>(
    cmd: CommandRef,
    post: Post,
    appends: StreamAppend[],
    ack: A,
    log: NewLogEntry[] = [],
  ): Promise<Commit<A>> {
    const reply = asReply(
      await this.redis.gtInsertPost(
        5 + appends.length * 2,
        this.keys.cmd(cmd),
        this.keys.posts(post.sessionId),
        this.keys.devicePosts(post.authorDevice ?? ''),
        this.keys.logHead(post.sessionId),
        this.keys.modLog(post.sessionId),
        ...this.streamKeys(post.sessionId, appends),
        this.ackJson(ack),
        this.commandTtlSeconds,
        this.retainEntries,
        post.id,
        JSON.stringify(post),
        post.authorDevice ? devicePostMember(post.sessionId, post.id) : '',
        post.createdAt,
        ...appends.map((a) => JSON.stringify(a.update)),
        ...log.map((e) => JSON.stringify(e)),
      ),
    );
    return this.commitOf(reply, post.sessionId, appends, ack, log);
  }

  async updatePosts<A>(
    cmd: CommandRef,
    sessionId: SessionId,
    changes: PostChange[],
    appends: StreamAppend[],
    ack: A,
    log: NewLogEntry[] = [],
  ): Promise<Commit<A>> {
    for (const change of changes) {
      if (change.post.sessionId !== sessionId) {
        throw new Error(
          `updatePosts: post ${change.post.id} belongs to session ${change.post.sessionId}, not ${sessionId}`,
        );
      }
    }
    const reply = asReply(
      await this.redis.gtUpdatePosts(
        4 + appends.length * 2,
        this.keys.cmd(cmd),
        this.keys.posts(sessionId),
        this.keys.logHead(sessionId),
        this.keys.modLog(sessionId),
        ...this.streamKeys(sessionId, appends),
        this.ackJson(ack),
        this.commandTtlSeconds,
        this.retainEntries,
        changes.length,
        ...changes.flatMap((c) => [c.post.id, c.expectedVersion, JSON.stringify(c.post)]),
        ...appends.map((a) => JSON.stringify(a.update)),
        ...log.map((e) => JSON.stringify(e)),
      ),
    );
    if (reply[0] === 'conflict') {
      return {
        kind: 'conflict',
        currentPosts: reply.slice(1).map((json) => parseJson<Post>(json)),
        currentSession: null,
      };
    }
    return this.commitOf(reply, sessionId, appends, ack, log);
  }

  async mergePosts<A>(
    cmd: CommandRef,
    sessionId: SessionId,
    merge: { targetId: string; sourceIds: string[] },
    changes: PostChange[],
    appends: StreamAppend[],
    ack: A,
    log: NewLogEntry[] = [],
  ): Promise<Commit<A>> {
    for (const change of changes) {
      if (change.post.sessionId !== sessionId) {
        throw new Error(
          `mergePosts: post ${change.post.id} belongs to session ${change.post.sessionId}, not ${sessionId}`,
        );
      }
    }
    for (let attempt = 1; ; attempt++) {
      // The device keys come from the sources' voters: read them, and let the script check
      // that they are still the same (else it answers 'retry').
      const voters = await Promise.all(
        merge.sourceIds.map((id) => this.redis.smembers(this.keys.voters(sessionId, id))),
      );
      const devices = voters.flat();
      const reply = asReply(
        await this.redis.gtMergePosts(
          6 + merge.sourceIds.length + devices.length + appends.length * 2,
          this.keys.cmd(cmd),
          this.keys.posts(sessionId),
          this.keys.logHead(sessionId),
          this.keys.modLog(sessionId),
          this.keys.votes(sessionId),
          this.keys.voters(sessionId, merge.targetId),
          ...merge.sourceIds.map((id) => this.keys.voters(sessionId, id)),
          ...devices.map((device) => this.keys.deviceVotes(sessionId, device)),
          ...this.streamKeys(sessionId, appends),
          this.ackJson(ack),
          this.commandTtlSeconds,
          this.retainEntries,
          changes.length,
          ...changes.flatMap((c) => [c.post.id, c.expectedVersion, JSON.stringify(c.post)]),
          merge.targetId,
          merge.sourceIds.length,
          ...merge.sourceIds,
          ...voters.map((v) => v.length),
          ...devices,
          ...appends.map((a) => JSON.stringify(a.update)),
          ...log.map((e) => JSON.stringify(e)),
        ),
      );
      if (reply[0] === 'retry') {
        if (attempt < 5) continue;
        throw new Error(`mergePosts: the votes of session ${sessionId} keep changing`);
      }
      if (reply[0] === 'conflict') {
        return {
          kind: 'conflict',
          currentPosts: reply.slice(1).map((json) => parseJson<Post>(json)),
          currentSession: null,
        };
      }
      return this.commitOf(reply, sessionId, appends, ack, log);
    }
  }

  // Exposure and the wall ------------------------------------------------------------------

  async addImpressions(sessionId: string, deviceId: string, postIds: string[]): Promise<string[]> {
    const ids = [...new Set(postIds)];
    if (ids.length === 0) return [];
    const counted = await this.redis.gtAddImpressions(
      2,
      this.keys.exposureSeen(sessionId),
      this.keys.exposureImpressions(sessionId),
      deviceId,
      ...ids,
    );
    return Array.isArray(counted) ? counted.map(String) : [];
  }

  async addWallSeconds(sessionId: string, seconds: Record<string, number>): Promise<void> {
    const entries = Object.entries(seconds).filter(([, n]) => n > 0);
    for (const [postId, n] of entries)
      if (!Number.isFinite(n))
        throw new TypeError(`wall seconds for ${postId} is not finite: ${n}`);
    if (entries.length === 0) return;
    const key = this.keys.exposureWall(sessionId);
    await this.transaction((m) => {
      for (const [postId, n] of entries) m.hincrbyfloat(key, postId, n);
      return m;
    });
  }

  async getExposure(sessionId: string): Promise<Record<string, Exposure>> {
    const [wall, impressions] = (await this.transaction((m) =>
      m
        .hgetall(this.keys.exposureWall(sessionId))
        .hgetall(this.keys.exposureImpressions(sessionId)),
    )) as [Record<string, string>, Record<string, string>];
    const out: Record<string, Exposure> = {};
    for (const id of new Set([...Object.keys(wall), ...Object.keys(impressions)])) {
      out[id] = {
        wallSeconds: Number(wall[id] ?? 0),
        impressions: Number(impressions[id] ?? 0),
      };
    }
    return out;
  }

  async saveWall(sessionId: string, wall: WallSet): Promise<void> {
    await this.redis.set(this.keys.wall(sessionId), JSON.stringify(wall));
  }

  async getWall(sessionId: string): Promise<WallSet | null> {
    return this.getJson<WallSet>(this.keys.wall(sessionId));
  }

  async claimWallTick(sessionId: string, owner: string, ttlMs: number): Promise<boolean> {
    const held = await this.redis.gtClaimWallTick(
      1,
      this.keys.wallClaim(sessionId),
      owner,
      Math.max(1, Math.floor(ttlMs)),
    );
    return held === 1;
  }

  // Live polls (SPEC PL1-PL10) ---------------------------------------------------------------

  async getPolls(sessionId: string): Promise<PollSet | null> {
    return this.getJson<PollSet>(this.keys.polls(sessionId));
  }

  async savePolls<A>(
    cmd: CommandRef,
    set: PollSet,
    expectedVersion: number,
    appends: StreamAppend[],
    ack: A,
    log: NewLogEntry[] = [],
  ): Promise<Commit<A>> {
    const reply = asReply(
      await this.redis.gtSavePolls(
        5 + appends.length * 2,
        this.keys.cmd(cmd),
        this.keys.polls(set.sessionId),
        this.keys.pollsVersion(set.sessionId),
        this.keys.logHead(set.sessionId),
        this.keys.modLog(set.sessionId),
        ...this.streamKeys(set.sessionId, appends),
        this.ackJson(ack),
        this.commandTtlSeconds,
        this.retainEntries,
        expectedVersion,
        JSON.stringify(set),
        set.version,
        ...appends.map((a) => JSON.stringify(a.update)),
        ...log.map((e) => JSON.stringify(e)),
      ),
    );
    if (reply[0] === 'conflict')
      return { kind: 'conflict', currentPosts: [], currentSession: null };
    return this.commitOf(reply, set.sessionId, appends, ack, log);
  }

  async saveAnswer<A>(
    cmd: CommandRef,
    answer: PollAnswer,
    pollsVersion: number,
    appends: StreamAppend[],
    ack: A,
  ): Promise<Commit<A>> {
    const { sessionId, pollId } = answer;
    const reply = asReply(
      await this.redis.gtSaveAnswer(
        4 + appends.length * 2,
        this.keys.cmd(cmd),
        this.keys.pollsVersion(sessionId),
        this.keys.pollAnswers(sessionId, pollId),
        this.keys.pollRevision(sessionId, pollId),
        ...this.streamKeys(sessionId, appends),
        this.ackJson(ack),
        this.commandTtlSeconds,
        this.retainEntries,
        pollsVersion,
        answer.deviceId,
        JSON.stringify(answer),
        ...appends.map((a) => JSON.stringify(a.update)),
      ),
    );
    if (reply[0] === 'conflict')
      return { kind: 'conflict', currentPosts: [], currentSession: null };
    return this.commitOf(reply, sessionId, appends, ack, []);
  }

  async listAnswers(sessionId: string, pollId: string): Promise<PollAnswers> {
    // One MULTI: the answers and the revision are of the same moment.
    const [answers, revision] = await this.transaction((m) =>
      m
        .hvals(this.keys.pollAnswers(sessionId, pollId))
        .get(this.keys.pollRevision(sessionId, pollId)),
    );
    return {
      answers: (answers as string[]).map((json) => parseJson<PollAnswer>(json)),
      revision: Number(revision ?? 0),
    };
  }

  async listDeviceAnswers(sessionId: string, deviceId: string): Promise<PollAnswer[]> {
    const set = await this.getPolls(sessionId);
    if (!set || set.polls.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const poll of set.polls)
      pipeline.hget(this.keys.pollAnswers(sessionId, poll.id), deviceId);
    const replies = (await pipeline.exec()) ?? [];
    return replies.flatMap(([error, json]) => {
      if (error) throw error;
      return typeof json === 'string' ? [parseJson<PollAnswer>(json)] : [];
    });
  }

  // The speaker queue ----------------------------------------------------------------------

  async getQueue(sessionId: string): Promise<SpeakerQueue | null> {
    return this.getJson<SpeakerQueue>(this.keys.queue(sessionId));
  }

  async saveQueue<A>(
    cmd: CommandRef,
    queue: SpeakerQueue,
    expectedVersion: number,
    appends: StreamAppend[],
    ack: A,
    log: NewLogEntry[] = [],
  ): Promise<Commit<A>> {
    const reply = asReply(
      await this.redis.gtSaveQueue(
        4 + appends.length * 2,
        this.keys.cmd(cmd),
        this.keys.queue(queue.sessionId),
        this.keys.logHead(queue.sessionId),
        this.keys.modLog(queue.sessionId),
        ...this.streamKeys(queue.sessionId, appends),
        this.ackJson(ack),
        this.commandTtlSeconds,
        this.retainEntries,
        expectedVersion,
        JSON.stringify(queue),
        ...appends.map((a) => JSON.stringify(a.update)),
        ...log.map((e) => JSON.stringify(e)),
      ),
    );
    if (reply[0] === 'conflict')
      return { kind: 'conflict', currentPosts: [], currentSession: null };
    return this.commitOf(reply, queue.sessionId, appends, ack, log);
  }

  // Moderation log -------------------------------------------------------------------------

  async listLog(sessionId: string, beforeSeq: number | null, limit: number): Promise<LogEntry[]> {
    const count = Math.max(0, Math.floor(limit));
    if (count === 0) return [];
    const members = await this.redis.zrevrangebyscore(
      this.keys.modLog(sessionId),
      beforeSeq === null ? '+inf' : `(${beforeSeq}`,
      '-inf',
      'LIMIT',
      0,
      count,
    );
    return members.map((json) => parseJson<LogEntry>(json));
  }

  // Receipts, topics, follow-ups ----------------------------------------------------------

  async listDevicePosts(deviceId: string): Promise<Post[]> {
    const members = await this.redis.zrange(this.keys.devicePosts(deviceId), 0, -1);
    const posts = await Promise.all(
      members.map(async (member) => {
        const [sessionId = '', postId = ''] = member.split(' ');
        const json = await this.redis.hget(this.keys.posts(sessionId), postId);
        return json === null ? null : parseJson<Post>(json);
      }),
    );
    return posts.filter((p): p is Post => p !== null).sort(byAgeThenId);
  }

  async createTopic(topic: Topic): Promise<void> {
    await this.transaction((m) =>
      m
        .set(this.keys.topic(topic.id), JSON.stringify(topic))
        .zadd(this.keys.eventTopics(topic.eventId), topic.createdAt, topic.id),
    );
  }

  getTopic(id: string): Promise<Topic | null> {
    return this.getJson<Topic>(this.keys.topic(id));
  }

  async listTopics(eventId: string): Promise<Topic[]> {
    const ids = await this.redis.zrange(this.keys.eventTopics(eventId), 0, -1);
    return this.getMany<Topic>(ids.map((id) => this.keys.topic(id)));
  }

  async insertFollowUp<A>(cmd: CommandRef, followUp: FollowUp, ack: A): Promise<Commit<A>> {
    const reply = asReply(
      await this.redis.gtInsertFollowUp(
        5,
        this.keys.cmd(cmd),
        this.keys.followUp(followUp.id),
        this.keys.followUpsByKey(followUp.followKey),
        this.keys.topicFollowUps(followUp.topicId),
        this.keys.followUpsByDeletion(),
        this.ackJson(ack),
        this.commandTtlSeconds,
        followUp.id,
        JSON.stringify(followUp),
        followUp.consentedAt,
        followUp.deleteAfter,
      ),
    );
    return this.commitOf(reply, '' as SessionId, [], ack);
  }

  async updateFollowUp<A>(cmd: CommandRef, followUp: FollowUp, ack: A): Promise<Commit<A>> {
    const reply = asReply(
      await this.redis.gtUpdateFollowUp(
        2,
        this.keys.cmd(cmd),
        this.keys.followUp(followUp.id),
        this.ackJson(ack),
        this.commandTtlSeconds,
        JSON.stringify(followUp),
      ),
    );
    return this.commitOf(reply, '' as SessionId, [], ack);
  }

  getFollowUp(id: string): Promise<FollowUp | null> {
    return this.getJson<FollowUp>(this.keys.followUp(id));
  }

  async listFollowUpsByKey(followKey: string): Promise<FollowUp[]> {
    const ids = await this.redis.zrange(this.keys.followUpsByKey(followKey), 0, -1);
    return this.getMany<FollowUp>(ids.map((id) => this.keys.followUp(id)));
  }

  async listFollowUps(topicId: string): Promise<FollowUp[]> {
    const ids = await this.redis.zrange(this.keys.topicFollowUps(topicId), 0, -1);
    return this.getMany<FollowUp>(ids.map((id) => this.keys.followUp(id)));
  }

  async deleteFollowUpsDueBy(dueBy: number): Promise<number> {
    const index = this.keys.followUpsByDeletion();
    let deleted = 0;
    // In batches, so one sweep after a long pause never builds one huge transaction.
    for (;;) {
      const ids = await this.redis.zrangebyscore(index, '-inf', dueBy, 'LIMIT', 0, 200);
      if (ids.length === 0) return deleted;
      const found = await this.getMany<FollowUp>(ids.map((id) => this.keys.followUp(id)));
      const results = await this.transaction((m) => {
        for (const f of found)
          m.zrem(this.keys.followUpsByKey(f.followKey), f.id).zrem(
            this.keys.topicFollowUps(f.topicId),
            f.id,
          );
        for (const id of ids) m.del(this.keys.followUp(id));
        return m.zrem(index, ...ids);
      });
      // Another node sweeping at the same moment deleted some first: count only ours (DEL 1).
      deleted += results
        .slice(found.length * 2, found.length * 2 + ids.length)
        .filter((n) => n === 1).length;
    }
  }

  // Moderator links --------------------------------------------------------------------------

  async saveModeratorLink(link: ModeratorLink): Promise<void> {
    await this.transaction((m) =>
      m
        .set(this.keys.link(link.id), JSON.stringify(link))
        .zadd(this.keys.sessionLinks(link.sessionId), link.createdAt, link.id),
    );
  }

  getModeratorLink(id: string): Promise<ModeratorLink | null> {
    return this.getJson<ModeratorLink>(this.keys.link(id));
  }

  async listModeratorLinks(sessionId: string): Promise<ModeratorLink[]> {
    const ids = await this.redis.zrange(this.keys.sessionLinks(sessionId), 0, -1);
    return this.getMany<ModeratorLink>(ids.map((id) => this.keys.link(id)));
  }

  // Votes and reactions --------------------------------------------------------------------

  // Organiser accounts and the first organisation ---------------------------------------------

  async claimFirstOrganisation(candidate: Organisation): Promise<Organisation> {
    const id = await this.redis.gtClaimFirstOrg(
      2,
      this.keys.firstOrg(),
      this.keys.org(candidate.id),
      candidate.id,
      JSON.stringify(candidate),
    );
    if (typeof id !== 'string') throw new Error(`unexpected claim reply: ${String(id)}`);
    const org = await this.getOrganisation(id);
    if (!org) throw new Error(`the first organisation ${id} is missing`);
    return org;
  }

  async createAccount(account: OrganiserAccount): Promise<'created' | 'email_taken'> {
    const reply = await this.redis.gtCreateAccount(
      2,
      this.keys.accountEmail(account.email),
      this.keys.account(account.id),
      account.id,
      JSON.stringify(account),
    );
    if (reply !== 'created' && reply !== 'email_taken')
      throw new Error(`unexpected createAccount reply: ${String(reply)}`);
    return reply;
  }

  async getAccountByEmail(email: string): Promise<OrganiserAccount | null> {
    const id = await this.redis.get(this.keys.accountEmail(email));
    return id === null ? null : this.getJson<OrganiserAccount>(this.keys.account(id));
  }

  async setAccountPassword(
    accountId: string,
    password: { passwordSalt: string; passwordHash: string },
  ): Promise<boolean> {
    const account = await this.getJson<OrganiserAccount>(this.keys.account(accountId));
    if (!account) return false;
    const { passwordSalt, passwordHash } = password;
    // XX: never recreate an account that went meanwhile; the last of two changes wins.
    const reply = await this.redis.set(
      this.keys.account(accountId),
      JSON.stringify({ ...account, passwordSalt, passwordHash }),
      'XX',
    );
    return reply === 'OK';
  }

  // People of organisations (MemberStore, in redis-members.ts) ----------------------------------

  getAccount = (accountId: string): Promise<OrganiserAccount | null> =>
    this.members.getAccount(accountId);
  addMembership = (m: Membership): Promise<'added' | 'exists'> => this.members.addMembership(m);
  getMembership = (orgId: string, accountId: string): Promise<Membership | null> =>
    this.members.getMembership(orgId, accountId);
  listMembers = (orgId: string): Promise<Membership[]> => this.members.listMembers(orgId);
  listMemberships = (accountId: string): Promise<Membership[]> =>
    this.members.listMemberships(accountId);
  removeMembership = (
    orgId: string,
    accountId: string,
  ): Promise<'removed' | 'not_found' | 'last_admin'> =>
    this.members.removeMembership(orgId, accountId);
  saveInvitation = (invitation: Invitation): Promise<void> =>
    this.members.saveInvitation(invitation);
  getInvitation = (id: string): Promise<Invitation | null> => this.members.getInvitation(id);
  listInvitations = (orgId: string): Promise<Invitation[]> => this.members.listInvitations(orgId);
  acceptInvitation = (
    id: string,
    account: OrganiserAccount,
    at: number,
  ): Promise<AcceptInvitationOutcome> => this.members.acceptInvitation(id, account, at);
  bumpTokenVersion = (accountId: string): Promise<number | null> =>
    this.members.bumpTokenVersion(accountId);

  async setVote<A>(cmd: CommandRef, vote: VoteChange, ack: A): Promise<Commit<A>> {
    const reply = asReply(
      await this.redis.gtSetVote(
        4,
        this.keys.cmd(cmd),
        this.keys.votes(vote.sessionId),
        this.keys.voters(vote.sessionId, vote.postId),
        this.keys.deviceVotes(vote.sessionId, vote.deviceId),
        this.ackJson(ack),
        this.commandTtlSeconds,
        vote.postId,
        vote.deviceId,
        vote.isOn ? '1' : '0',
      ),
    );
    return this.commitOf(reply, vote.sessionId, [], ack);
  }

  async listDeviceVotes(sessionId: string, deviceId: string): Promise<string[]> {
    const ids = await this.redis.smembers(this.keys.deviceVotes(sessionId, deviceId));
    return ids.sort();
  }

  async addReactions(sessionId: string, deltas: Record<string, number>): Promise<void> {
    const entries = Object.entries(deltas).filter(([, n]) => n !== 0);
    for (const [name, n] of entries) {
      if (!Number.isSafeInteger(n))
        throw new RangeError(`reaction delta for ${name} must be an integer, got ${n}`);
    }
    if (entries.length === 0) return;
    const key = this.keys.reactions(sessionId);
    await this.transaction((m) => {
      for (const [name, n] of entries) m.hincrby(key, name, n);
      return m;
    });
  }

  async getCounts(sessionId: string): Promise<Counts> {
    const [votes, reactions] = (await this.transaction((m) =>
      m.hgetall(this.keys.votes(sessionId)).hgetall(this.keys.reactions(sessionId)),
    )) as [Record<string, string>, Record<string, string>];
    const counts: Counts = { votes: {}, reactions: {} };
    for (const [postId, n] of Object.entries(votes)) {
      if (Number(n) > 0) counts.votes[postId] = Number(n);
    }
    for (const [name, n] of Object.entries(reactions)) counts.reactions[name] = Number(n);
    return counts;
  }

  // Streams --------------------------------------------------------------------------------

  async readStream(
    sessionId: string,
    stream: StreamKey,
    afterSeq: number,
    limit: number,
  ): Promise<StreamRead> {
    const count = Math.max(0, Math.floor(limit));
    const logKey = this.keys.log(sessionId, stream);
    // Head, the entries after afterSeq and the oldest retained entry, as of one moment.
    const [rawHead, rawEntries, oldest] = (await this.transaction((m) =>
      m
        .get(this.keys.head(sessionId, stream))
        .zrangebyscore(logKey, `(${afterSeq}`, '+inf', 'LIMIT', 0, count)
        .zrange(logKey, 0, 0, 'WITHSCORES'),
    )) as [string | null, string[], string[]];
    const head = rawHead === null ? 0 : Number(rawHead);
    if (afterSeq >= head) return { head, entries: [], isComplete: afterSeq === head };
    const oldestSeq = oldest[1] === undefined ? Infinity : Number(oldest[1]);
    const entries = rawEntries.map((json) => parseJson<StreamEntry>(json));
    return { head, entries, isComplete: oldestSeq <= afterSeq + 1 };
  }

  async snapshot(sessionId: string, streams: StreamKey[]): Promise<Snapshot> {
    const replies = await this.transaction((m) => {
      for (const stream of streams) m.get(this.keys.head(sessionId, stream));
      return m.hvals(this.keys.posts(sessionId));
    });
    const heads: Record<string, number> = {};
    streams.forEach((stream, i) => {
      const raw = replies[i];
      heads[stream] = typeof raw === 'string' ? Number(raw) : 0;
    });
    const posts = (replies[streams.length] as string[])
      .map((v) => parseJson<Post>(v))
      .sort(byAgeThenId);
    return { heads, posts };
  }

  // Lifecycle --------------------------------------------------------------------------------

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  close(): Promise<void> {
    this.closing ??= this.quit();
    return this.closing;
  }

  private async quit(): Promise<void> {
    if (this.redis.status === 'ready') {
      // QUIT is answered after every command sent before it: in-flight writes finish first.
      try {
        await this.redis.quit();
        return;
      } catch {
        // Fall through: the connection is gone or wedged; drop it.
      }
    }
    this.redis.disconnect();
  }

  // Helpers ----------------------------------------------------------------------------------

  private ackJson(ack: unknown): string {
    // JSON.stringify(undefined) is undefined; store it as null.
    return JSON.stringify(ack) ?? 'null';
  }

  /** Head and log key of each append, in order, for the scripts' KEYS. */
  private streamKeys(sessionId: string, appends: StreamAppend[]): string[] {
    return appends.flatMap((a) => [
      this.keys.head(sessionId, a.stream),
      this.keys.log(sessionId, a.stream),
    ]);
  }

  private commitOf<A>(
    reply: [string, ...unknown[]],
    sessionId: SessionId,
    appends: StreamAppend[],
    ack: A,
    log: NewLogEntry[] = [],
  ): Commit<A> {
    const [kind, ...rest] = reply;
    if (kind === 'replay') return { kind: 'replay', ack: parseJson<A>(rest[0]) };
    if (kind !== 'committed' || rest.length !== appends.length + log.length) {
      throw new Error(`unexpected reply from a Redis store script: ${JSON.stringify(reply)}`);
    }
    const entries: AppendedEntry[] = appends.map((a, i) => ({
      sessionId,
      stream: a.stream,
      seq: Number(rest[i]),
      update: a.update,
    }));
    if (log.length === 0) return { kind: 'committed', ack, entries };
    const logged: LogEntry[] = log.map((e, i) => ({
      seq: Number(rest[appends.length + i]),
      ...(JSON.parse(JSON.stringify(e)) as NewLogEntry),
    }));
    return { kind: 'committed', ack, entries, log: logged };
  }

  private async getJson<T>(key: string): Promise<T | null> {
    const json = await this.redis.get(key);
    return json === null ? null : parseJson<T>(json);
  }

  private async getMany<T>(keys: string[]): Promise<T[]> {
    if (keys.length === 0) return [];
    const values = await this.redis.mget(...keys);
    return values.filter((v): v is string => v !== null).map((v) => parseJson<T>(v));
  }

  /** Run the queued commands as one MULTI/EXEC; any failed reply fails the whole call. */
  private async transaction(
    build: (m: ChainableCommander) => ChainableCommander,
  ): Promise<unknown[]> {
    const results = await build(this.redis.multi()).exec();
    if (results === null) throw new Error('Redis transaction was aborted');
    return results.map(([error, value]) => {
      if (error) throw error;
      return value;
    });
  }
}

/** Where the URL points, without credentials, for error messages. */
function describe(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return 'the configured Redis URL';
  }
}

/**
 * Connect and return the store. Rejects (and stops reconnecting) when Redis cannot be
 * reached within the connect timeout, so start-up fails fast instead of waiting forever.
 * Once running, a lost connection is re-established in the background; operations issued
 * meanwhile reject after maxRetriesPerRequest attempts or commandTimeoutMs, whichever first.
 *
 * A script sent just before the connection dropped is resent after reconnecting (ioredis'
 * default). That is safe because every write that carries a command is idempotent: if the
 * first attempt did run, the resend answers 'replay' with the stored acknowledgement (its
 * entries are then not returned; readers recover them through catch-up). A command that timed
 * out may likewise still apply later; its retry by the client is a replay.
 */
export async function createRedisStore(options: RedisStoreOptions): Promise<RedisStore> {
  const retainEntries = checkCount(
    'retainEntries',
    options.retainEntries ?? DEFAULT_RETAIN_ENTRIES,
    1,
  );
  const commandTtlSeconds = checkCount(
    'commandTtlSeconds',
    options.commandTtlSeconds ?? DEFAULT_COMMAND_TTL_SECONDS,
    1,
  );
  const connectTimeout = options.connectTimeoutMs ?? 5_000;
  const commandTimeout = options.commandTimeoutMs ?? 10_000;
  const redis = new Redis(options.url, {
    lazyConnect: true,
    connectTimeout,
    commandTimeout,
    maxRetriesPerRequest: options.maxRetriesPerRequest ?? 3,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  // Without a listener ioredis prints every reconnection error; the server decides instead.
  redis.on('error', (error: Error) => options.onError?.(error));
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      redis.connect(),
      new Promise<never>((_, reject) => {
        // connect() covers the TCP connect; this also bounds a server that accepts but never answers.
        timer = setTimeout(() => reject(new Error('timed out')), connectTimeout + commandTimeout);
      }),
    ]);
  } catch (error) {
    redis.disconnect();
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`cannot connect to Redis at ${describe(options.url)}: ${reason}`, {
      cause: error,
    });
  } finally {
    clearTimeout(timer);
  }
  return new RedisStore(
    defineScripts(redis),
    options.keyPrefix ?? 'gt:',
    retainEntries,
    commandTtlSeconds,
  );
}
