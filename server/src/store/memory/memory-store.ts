/**
 * The in-memory store: the whole Store in plain Maps, for fast unit tests of the services
 * (no file, no network). It passes the same contract suite as SQLite and Redis
 * (memory-store.test.ts), so a service tested on it behaves the same on the real ones.
 *
 * Each write runs synchronously to its end before its promise settles, so it is atomic
 * without locks: every check (replay, version, taken id) comes before the first change.
 * Everything is kept as JSON text and parsed on the way out (memory-journal.ts), as the real
 * stores serialise: a caller changing what it passed in, or what it got back, changes nothing
 * stored. Nothing survives the process; one process holds every wall rotation claim.
 *
 * This class is the Store's face: commands and their bookkeeping. The tables are apart:
 * memory-journal.ts (acknowledgements, stream entries, the moderation log), memory-sessions.ts,
 * memory-posts.ts, memory-counts.ts (votes, reactions, exposure, the wall), memory-topics.ts
 * (topics, follow-ups, links), memory-accounts.ts, memory-members.ts and memory-polls.ts.
 */
import type {
  Event,
  Exposure,
  FollowUp,
  LogEntry,
  ModeratorLink,
  NewLogEntry,
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
  StreamKey,
  Topic,
} from '@gt/core';
import { DEFAULT_RETAIN_ENTRIES } from '../store.js';
import type {
  CommandRef,
  Commit,
  Counts,
  AcceptInvitationOutcome,
  OrganiserAccount,
  PollAnswers,
  PostChange,
  Snapshot,
  Store,
  StoreOptions,
  StreamRead,
  VoteChange,
  WallSet,
} from '../store.js';
import { json, MemoryJournal, parse, prepare } from './memory-journal.js';
import { MemoryCounts } from './memory-counts.js';
import { MemoryTopics } from './memory-topics.js';
import { MemoryAccounts } from './memory-accounts.js';
import { MemoryMembers } from './memory-members.js';
import { MemorySessions } from './memory-sessions.js';
import { MemoryPosts } from './memory-posts.js';
import { MemoryPolls } from './memory-polls.js';

export class MemoryStore implements Store {
  readonly kind = 'memory' as const;

  readonly #journal: MemoryJournal;
  #isClosed = false;
  readonly #sessions = new MemorySessions();
  readonly #posts = new MemoryPosts();
  /** sessionId -> speaker queue JSON */
  readonly #queues = new Map<string, string>();
  readonly #counts = new MemoryCounts();
  readonly #topics = new MemoryTopics();
  readonly #accounts = new MemoryAccounts();
  readonly #polls = new MemoryPolls();
  readonly #members = new MemoryMembers(this.#accounts);

  constructor(options: StoreOptions = {}) {
    const retain = options.retainEntries ?? DEFAULT_RETAIN_ENTRIES;
    if (!Number.isInteger(retain) || retain < 1)
      throw new Error(`retainEntries must be a positive integer, got ${retain}`);
    this.#journal = new MemoryJournal(retain);
  }

  // Organisations, events, sessions ------------------------------------------------------------

  saveOrganisation(org: Organisation): Promise<void> {
    return this.#run(() => this.#sessions.saveOrganisation(org));
  }

  getOrganisation(id: string): Promise<Organisation | null> {
    return this.#run(() => this.#sessions.getOrganisation(id));
  }

  createEvent(event: Event): Promise<void> {
    return this.#run(() => this.#sessions.createEvent(event));
  }

  getEvent(id: string): Promise<Event | null> {
    return this.#run(() => this.#sessions.getEvent(id));
  }

  listEvents(orgId: string): Promise<Event[]> {
    return this.#run(() => this.#sessions.listEvents(orgId));
  }

  createSession(session: Session): Promise<'created' | 'code_taken'> {
    return this.#run(() => this.#sessions.createSession(session));
  }

  getSession(id: string): Promise<Session | null> {
    return this.#run(() => this.#sessions.getSession(id));
  }

  findSessionByCode(joinCode: string): Promise<Session | null> {
    return this.#run(() => this.#sessions.findSessionByCode(joinCode));
  }

  listSessions(eventId: string): Promise<Session[]> {
    return this.#run(() => this.#sessions.listSessions(eventId));
  }

  updateSession<A>(
    cmd: CommandRef,
    next: Session,
    expectedVersion: number,
    appends: StreamAppend[],
    ack: A,
    log: NewLogEntry[] = [],
  ): Promise<Commit<A>> {
    return this.#run((): Commit<A> => {
      const write = prepare(ack, appends, log);
      const replay = this.#journal.replay<A>(cmd);
      if (replay) return replay;
      const current = this.#sessions.getSession(next.id);
      if (!current || current.version !== expectedVersion)
        return { kind: 'conflict', currentPosts: [], currentSession: current };
      this.#sessions.replaceSession(current, next);
      return this.#journal.commit(cmd, next.id, write);
    });
  }

  // Commands -------------------------------------------------------------------------------------

  getCommandResult<A>(cmd: CommandRef): Promise<A | null> {
    return this.#run(() => this.#journal.ack<A>(cmd));
  }

  // Posts ----------------------------------------------------------------------------------------

  getPost(sessionId: string, postId: string): Promise<Post | null> {
    return this.#run(() => this.#posts.get(sessionId, postId));
  }

  listPosts(sessionId: string): Promise<Post[]> {
    return this.#run(() => this.#posts.list(sessionId));
  }

  insertPost<A>(
    cmd: CommandRef,
    post: Post,
    appends: StreamAppend[],
    ack: A,
    log: NewLogEntry[] = [],
  ): Promise<Commit<A>> {
    return this.#run((): Commit<A> => {
      const write = prepare(ack, appends, log);
      const replay = this.#journal.replay<A>(cmd);
      if (replay) return replay;
      this.#posts.insert(post);
      return this.#journal.commit(cmd, post.sessionId, write);
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
    return this.#run(() => this.#updatePosts(cmd, sessionId, null, changes, appends, ack, log));
  }

  mergePosts<A>(
    cmd: CommandRef,
    sessionId: SessionId,
    merge: { targetId: Post['id']; sourceIds: Post['id'][] },
    changes: PostChange[],
    appends: StreamAppend[],
    ack: A,
    log: NewLogEntry[] = [],
  ): Promise<Commit<A>> {
    return this.#run(() => this.#updatePosts(cmd, sessionId, merge, changes, appends, ack, log));
  }

  listDevicePosts(deviceId: string): Promise<Post[]> {
    return this.#run(() => this.#posts.listByDevice(deviceId));
  }

  // Votes and reactions, exposure and the wall -------------------------------------------------

  setVote<A>(cmd: CommandRef, vote: VoteChange, ack: A): Promise<Commit<A>> {
    return this.#run((): Commit<A> => {
      const write = prepare(ack);
      const replay = this.#journal.replay<A>(cmd);
      if (replay) return replay;
      this.#counts.setVote(vote.sessionId, vote.postId, vote.deviceId, vote.isOn);
      return this.#journal.commit(cmd, vote.sessionId, write);
    });
  }

  listDeviceVotes(sessionId: string, deviceId: string): Promise<string[]> {
    return this.#run(() => this.#counts.listDeviceVotes(sessionId, deviceId));
  }

  addReactions(sessionId: string, deltas: Record<string, number>): Promise<void> {
    return this.#run(() => this.#counts.addReactions(sessionId, deltas));
  }

  getCounts(sessionId: string): Promise<Counts> {
    return this.#run(() => this.#counts.getCounts(sessionId));
  }

  addImpressions(sessionId: string, deviceId: string, postIds: string[]): Promise<string[]> {
    return this.#run(() => this.#counts.addImpressions(sessionId, deviceId, postIds));
  }

  addWallSeconds(sessionId: string, seconds: Record<string, number>): Promise<void> {
    return this.#run(() => this.#counts.addWallSeconds(sessionId, seconds));
  }

  getExposure(sessionId: string): Promise<Record<string, Exposure>> {
    return this.#run(() => this.#counts.getExposure(sessionId));
  }

  saveWall(sessionId: string, wall: WallSet): Promise<void> {
    return this.#run(() => this.#counts.saveWall(sessionId, wall));
  }

  getWall(sessionId: string): Promise<WallSet | null> {
    return this.#run(() => this.#counts.getWall(sessionId));
  }

  /** One process, one node: it always runs the rotation. */
  claimWallTick(): Promise<boolean> {
    return Promise.resolve(!this.#isClosed);
  }

  // Streams, the speaker queue, the moderation log ---------------------------------------------

  readStream(
    sessionId: string,
    stream: StreamKey,
    afterSeq: number,
    limit: number,
  ): Promise<StreamRead> {
    return this.#run(() => this.#journal.read(sessionId, stream, afterSeq, limit));
  }

  snapshot(sessionId: string, streams: StreamKey[]): Promise<Snapshot> {
    return this.#run(() => {
      const heads: Record<string, number> = {};
      for (const stream of streams) heads[stream] = this.#journal.head(sessionId, stream);
      return { heads, posts: this.#posts.list(sessionId) };
    });
  }

  getQueue(sessionId: string): Promise<SpeakerQueue | null> {
    return this.#run(() => parse<SpeakerQueue>(this.#queues.get(sessionId)));
  }

  saveQueue<A>(
    cmd: CommandRef,
    queue: SpeakerQueue,
    expectedVersion: number,
    appends: StreamAppend[],
    ack: A,
    log: NewLogEntry[] = [],
  ): Promise<Commit<A>> {
    return this.#run((): Commit<A> => {
      const write = prepare(ack, appends, log);
      const replay = this.#journal.replay<A>(cmd);
      if (replay) return replay;
      const stored = parse<SpeakerQueue>(this.#queues.get(queue.sessionId))?.version ?? 0;
      if (stored !== expectedVersion)
        return { kind: 'conflict', currentPosts: [], currentSession: null };
      this.#queues.set(queue.sessionId, json(queue));
      return this.#journal.commit(cmd, queue.sessionId, write);
    });
  }

  // Live polls (SPEC PL1-PL10) -----------------------------------------------------------------

  getPolls(sessionId: string): Promise<PollSet | null> {
    return this.#run(() => this.#polls.getSet(sessionId));
  }

  savePolls<A>(
    cmd: CommandRef,
    set: PollSet,
    expectedVersion: number,
    appends: StreamAppend[],
    ack: A,
    log: NewLogEntry[] = [],
  ): Promise<Commit<A>> {
    return this.#run((): Commit<A> => {
      const write = prepare(ack, appends, log);
      const replay = this.#journal.replay<A>(cmd);
      if (replay) return replay;
      if (this.#polls.version(set.sessionId) !== expectedVersion)
        return { kind: 'conflict', currentPosts: [], currentSession: null };
      this.#polls.saveSet(set);
      return this.#journal.commit(cmd, set.sessionId, write);
    });
  }

  saveAnswer<A>(
    cmd: CommandRef,
    answer: PollAnswer,
    pollsVersion: number,
    appends: StreamAppend[],
    ack: A,
  ): Promise<Commit<A>> {
    return this.#run((): Commit<A> => {
      const write = prepare(ack, appends);
      const replay = this.#journal.replay<A>(cmd);
      if (replay) return replay;
      if (this.#polls.version(answer.sessionId) !== pollsVersion)
        return { kind: 'conflict', currentPosts: [], currentSession: null };
      this.#polls.saveAnswer(answer);
      return this.#journal.commit(cmd, answer.sessionId, write);
    });
  }

  listAnswers(sessionId: string, pollId: string): Promise<PollAnswers> {
    return this.#run(() => this.#polls.list(sessionId, pollId));
  }

  listDeviceAnswers(sessionId: string, deviceId: string): Promise<PollAnswer[]> {
    return this.#run(() => this.#polls.listByDevice(sessionId, deviceId));
  }

  listLog(sessionId: string, beforeSeq: number | null, limit: number): Promise<LogEntry[]> {
    return this.#run(() => this.#journal.listLog(sessionId, beforeSeq, limit));
  }

  // Topics, follow-ups, moderator links ----------------------------------------------------------

  createTopic(topic: Topic): Promise<void> {
    return this.#run(() => this.#topics.createTopic(topic));
  }

  getTopic(id: string): Promise<Topic | null> {
    return this.#run(() => this.#topics.getTopic(id));
  }

  listTopics(eventId: string): Promise<Topic[]> {
    return this.#run(() => this.#topics.listTopics(eventId));
  }

  insertFollowUp<A>(cmd: CommandRef, followUp: FollowUp, ack: A): Promise<Commit<A>> {
    return this.#run((): Commit<A> => {
      const write = prepare(ack);
      const replay = this.#journal.replay<A>(cmd);
      if (replay) return replay;
      this.#topics.insertFollowUp(followUp);
      return this.#journal.commit(cmd, '' as SessionId, write);
    });
  }

  updateFollowUp<A>(cmd: CommandRef, followUp: FollowUp, ack: A): Promise<Commit<A>> {
    return this.#run((): Commit<A> => {
      const write = prepare(ack);
      const replay = this.#journal.replay<A>(cmd);
      if (replay) return replay;
      this.#topics.updateFollowUp(followUp);
      return this.#journal.commit(cmd, '' as SessionId, write);
    });
  }

  getFollowUp(id: string): Promise<FollowUp | null> {
    return this.#run(() => this.#topics.getFollowUp(id));
  }

  listFollowUpsByKey(followKey: string): Promise<FollowUp[]> {
    return this.#run(() => this.#topics.listFollowUps((f) => f.followKey === followKey));
  }

  listFollowUps(topicId: string): Promise<FollowUp[]> {
    return this.#run(() => this.#topics.listFollowUps((f) => f.topicId === topicId));
  }

  deleteFollowUpsDueBy(dueBy: number): Promise<number> {
    return this.#run(() => this.#topics.deleteFollowUpsDueBy(dueBy));
  }

  saveModeratorLink(link: ModeratorLink): Promise<void> {
    return this.#run(() => this.#topics.saveModeratorLink(link));
  }

  getModeratorLink(id: string): Promise<ModeratorLink | null> {
    return this.#run(() => this.#topics.getModeratorLink(id));
  }

  listModeratorLinks(sessionId: string): Promise<ModeratorLink[]> {
    return this.#run(() => this.#topics.listModeratorLinks(sessionId));
  }

  // Organiser accounts and the first organisation ---------------------------------------------

  claimFirstOrganisation(candidate: Organisation): Promise<Organisation> {
    return this.#run(() => {
      return this.#sessions.claimFirstOrganisation(candidate);
    });
  }

  createAccount(account: OrganiserAccount): Promise<'created' | 'email_taken'> {
    return this.#run(() => this.#accounts.create(account));
  }

  getAccountByEmail(email: string): Promise<OrganiserAccount | null> {
    return this.#run(() => this.#accounts.byEmail(email));
  }

  setAccountPassword(
    accountId: string,
    password: { passwordSalt: string; passwordHash: string },
  ): Promise<boolean> {
    return this.#run(() => this.#accounts.setPassword(accountId, password));
  }

  // Lifecycle ------------------------------------------------------------------------------------

  ping(): Promise<void> {
    return this.#run(() => undefined);
  }

  close(): Promise<void> {
    this.#isClosed = true;
    return Promise.resolve();
  }

  // People of organisations (MemberStore) ------------------------------------------------------

  getAccount(accountId: string): Promise<OrganiserAccount | null> {
    return this.#run(() => this.#accounts.byId(accountId));
  }

  addMembership(membership: Membership): Promise<'added' | 'exists'> {
    return this.#run(() => this.#members.add(membership));
  }

  getMembership(orgId: string, accountId: string): Promise<Membership | null> {
    return this.#run(() => this.#members.get(orgId, accountId));
  }

  listMembers(orgId: string): Promise<Membership[]> {
    return this.#run(() => this.#members.ofOrg(orgId));
  }

  listMemberships(accountId: string): Promise<Membership[]> {
    return this.#run(() => this.#members.ofAccount(accountId));
  }

  removeMembership(
    orgId: string,
    accountId: string,
  ): Promise<'removed' | 'not_found' | 'last_admin'> {
    return this.#run(() => this.#members.remove(orgId, accountId));
  }

  saveInvitation(invitation: Invitation): Promise<void> {
    return this.#run(() => this.#members.saveInvitation(invitation));
  }

  getInvitation(id: string): Promise<Invitation | null> {
    return this.#run(() => this.#members.invitation(id));
  }

  listInvitations(orgId: string): Promise<Invitation[]> {
    return this.#run(() => this.#members.invitations(orgId));
  }

  acceptInvitation(
    id: string,
    account: OrganiserAccount,
    at: number,
  ): Promise<AcceptInvitationOutcome> {
    return this.#run(() => this.#members.accept(id, account, at));
  }

  bumpTokenVersion(accountId: string): Promise<number | null> {
    return this.#run(() => this.#accounts.bumpTokenVersion(accountId));
  }

  // Internals ------------------------------------------------------------------------------------

  /** Run one operation to its end; a throw rejects it, as a failed write does in a real store. */
  #run<T>(operation: () => T): Promise<T> {
    try {
      if (this.#isClosed) throw new Error('the memory store is closed');
      return Promise.resolve(operation());
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  #updatePosts<A>(
    cmd: CommandRef,
    sessionId: SessionId,
    merge: { targetId: string; sourceIds: string[] } | null,
    changes: PostChange[],
    appends: StreamAppend[],
    ack: A,
    log: NewLogEntry[],
  ): Commit<A> {
    const write = prepare(ack, appends, log);
    const replay = this.#journal.replay<A>(cmd);
    if (replay) return replay;
    const conflicting = this.#posts.update(sessionId, changes);
    if (conflicting) return { kind: 'conflict', currentPosts: conflicting, currentSession: null };
    if (merge) this.#counts.mergeVotes(sessionId, merge.targetId, merge.sourceIds);
    return this.#journal.commit(cmd, sessionId, write);
  }
}

/** A fresh, empty in-memory store (for service unit tests and the contract suite). */
export function createMemoryStore(options: StoreOptions = {}): MemoryStore {
  return new MemoryStore(options);
}
