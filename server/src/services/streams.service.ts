/**
 * Streams (SPEC S1-S8, V2, SC5): joining a session, catching up on a stream, and the counts
 * that travel beside the streams. A socket only ever reads the streams it is entitled to.
 */
import {
  emptyQueue,
  isPublic,
  mayReadStream,
  openTicketOf,
  privateStream,
  queueStaffView,
  queueSummary,
  answerView,
  emptyPollSet,
  sessionView,
  streamPolls,
  streamPosts,
  ticketView,
} from '@gt/core';
import type {
  PollSet,
  Session,
  SessionPrincipal,
  SpeakerQueue,
  StreamKey,
  StreamName,
} from '@gt/core';
import { fail, ok } from '@gt/protocol';
import type { JoinAck, PollResultsWire } from '@gt/protocol';
import type {
  CountStore,
  ExposureStore,
  PollStore,
  PostStore,
  QueueStore,
  StreamStore,
} from '../store/store.js';
import type { Handlers, Shared } from './context.js';
import type { Principals } from './principals.js';
import type { ReactionBuffer } from './reactions.js';
import { exposureScores } from './wall-rotation.js';

/** How many catch-up entries one answer carries; more than that and a snapshot is cheaper. */
const CATCHUP_LIMIT = 500;
/**
 * [S8] The most entries a join resumes with. A join answers many clients at once (everyone
 * after a restart), so it switches to a snapshot sooner than a catch-up does.
 */
const RESUME_LIMIT = 200;
const STREAM_NAMES: readonly StreamName[] = ['public', 'staff', 'private'];

export type StreamsStore = StreamStore &
  QueueStore &
  PollStore &
  CountStore &
  ExposureStore &
  PostStore;

export interface StreamsDeps {
  store: StreamsStore;
  shared: Shared;
  principals: Principals;
  reactions: Pick<ReactionBuffer, 'pendingFor'>;
  /** [PL10] The poll results a joining principal may see (polls.service.ts). */
  pollResults: (session: Session, isStaff: boolean) => Promise<PollResultsWire[]>;
}

/** The key of a stream the principal may read, or null [S1]. */
function streamKey(you: SessionPrincipal, stream: StreamName): StreamKey | null {
  if (!mayReadStream(you, stream)) return null;
  if (stream === 'private') return privateStream(you.deviceId!);
  return stream;
}

/** [Q5] The speaker queue as a stream's snapshot shows it. */
function queueSnapshot(
  key: StreamKey,
  queue: SpeakerQueue,
): { queue?: ReturnType<typeof queueSummary>; micTicket?: ReturnType<typeof ticketView> | null } {
  if (key === 'public') return { queue: queueSummary(queue) };
  if (key === 'staff') return { queue: queueStaffView(queue) };
  const ticket = openTicketOf(queue, key.slice('private:'.length));
  return { micTicket: ticket ? ticketView(queue, ticket) : null };
}

/**
 * [PL9] The polls as a stream's snapshot shows them: the public and staff views of the
 * session's polls, or the device's own answers on its private stream.
 */
async function pollSnapshot(
  store: PollStore,
  key: StreamKey,
  set: PollSet,
): Promise<Pick<NonNullable<JoinAck['streams']['private']>, 'polls' | 'pollAnswers'>> {
  if (key === 'public' || key === 'staff') return { polls: streamPolls(key, set) };
  const answers = await store.listDeviceAnswers(set.sessionId, key.slice('private:'.length));
  return { pollAnswers: answers.map(answerView) };
}

export function createStreams({ store, shared, principals, reactions, pollResults }: StreamsDeps) {
  /**
   * The counts as staff and as everyone else see them, read once: [V2] vote counts only for
   * staff when the session hides them; [SC5] the participant count while the setting is on.
   * `public` is the same object as `staff` when the session shows votes, so the broadcast can
   * send one message to the whole session.
   */
  async function countsViews(
    session: Session,
  ): Promise<{ staff: JoinAck['counts']; public: JoinAck['counts'] }> {
    const [stored, exposure, participants] = await Promise.all([
      store.getCounts(session.id),
      store.getExposure(session.id),
      session.settings.showParticipantCount
        ? shared.publisher.participants(session.id)
        : Promise.resolve(null),
    ]);
    const counted = { ...stored.reactions };
    for (const [name, n] of Object.entries(reactions.pendingFor(session.id)))
      counted[name] = (counted[name] ?? 0) + n;
    const base = {
      sessionId: session.id,
      reactions: counted,
      // [FV3] Exposure is no secret: the fresh-voices order on every phone is built from it.
      exposure: exposureScores(exposure),
      ...(participants !== null ? { participants } : {}),
    };
    const withVotes = { ...base, votes: stored.votes };
    return { staff: withVotes, public: session.settings.hideVotes ? base : withVotes };
  }

  /** [V2] Absolute counts; vote counts only for staff when the session hides them. */
  async function countsFor(session: Session, isStaff: boolean): Promise<JoinAck['counts']> {
    const both = await countsViews(session);
    return isStaff ? both.staff : both.public;
  }

  /**
   * Subscribe answer: each stream the principal may read, as a snapshot, or [S8] as the
   * entries after the seq the client says it holds when the retained log still has all of
   * them. A phone that rejoins after a blip or a restart then gets a few entries instead of
   * every post of the session again (docs/PERFORMANCE.md, S3).
   */
  async function join(
    session: Session,
    you: SessionPrincipal,
    resume: Partial<Record<StreamName, number>> = {},
  ): Promise<JoinAck> {
    const named = STREAM_NAMES.flatMap((name) => {
      const key = streamKey(you, name);
      return key ? [{ name, key }] : [];
    });
    const hasRotation =
      session.settings.wallMode === 'fresh' || session.settings.wallMode === 'top';
    const [resumed, counts, myVotes, wall, results] = await Promise.all([
      Promise.all(
        named.map(async ({ name, key }) => {
          const afterSeq = resume[name];
          if (afterSeq === undefined) return null;
          const read = await store.readStream(session.id, key, afterSeq, RESUME_LIMIT);
          // Everything after afterSeq, and fewer entries than a snapshot would be worth.
          if (!read.isComplete || read.entries.length >= RESUME_LIMIT) return null;
          return { seq: read.head, posts: [], resumedFrom: afterSeq, entries: read.entries };
        }),
      ),
      countsFor(session, you.staff !== null),
      you.deviceId ? store.listDeviceVotes(session.id, you.deviceId) : Promise.resolve([]),
      hasRotation ? store.getWall(session.id) : Promise.resolve(null),
      pollResults(session, you.staff !== null),
    ]);
    const snapshotKeys = named.filter((_, i) => !resumed[i]).map(({ key }) => key);
    const snap = snapshotKeys.length ? await store.snapshot(session.id, snapshotKeys) : null;
    // [Q5] Read after the heads: a queue newer than them is only confirmed by the entries after.
    // [PL9] So are the polls and the device's answers.
    const [queue, polls] = snap
      ? await Promise.all([
          store.getQueue(session.id).then((q) => q ?? emptyQueue(session.id)),
          store.getPolls(session.id).then((p) => p ?? emptyPollSet(session.id)),
        ])
      : [null, null];
    const streams: Partial<Record<StreamName, JoinAck['streams']['public']>> = {};
    await Promise.all(
      named.map(async ({ name, key }, i) => {
        streams[name] = resumed[i] ?? {
          seq: snap!.heads[key] ?? 0,
          posts: streamPosts(key, snap!.posts),
          ...queueSnapshot(key, queue!),
          ...(await pollSnapshot(store, key, polls!)),
        };
      }),
    );
    // [FV2] A wall that joins shows what the others show; only posts still public.
    const listed = wall
      ? await Promise.all(
          wall.postIds.map(async (id) => {
            const post =
              snap?.posts.find((p) => p.id === id) ??
              (snap ? null : await store.getPost(session.id, id));
            return post && isPublic(post) ? id : null;
          }),
        )
      : [];
    return {
      session: sessionView(session),
      you: { deviceId: you.deviceId, staff: you.staff },
      streams: { ...streams, public: streams.public! },
      counts,
      myVotes,
      wall: wall && { postIds: listed.filter((id) => id !== null), at: wall.at },
      ...(results.length > 0 ? { pollResults: results } : {}),
    };
  }

  const handlers = {
    'device:register': async () => ok(principals.registerDevice()),

    'session:join': async (ctx, p) => ok(await join(ctx.session!, ctx.you, p.resume)),

    'session:leave': async () => ok({}),

    'stream:catchup': async (ctx, p) => {
      const session = ctx.session!;
      const key = streamKey(ctx.you, p.stream);
      if (!key) return fail('forbidden', `you may not read the ${p.stream} stream`);
      const read = await store.readStream(session.id, key, p.afterSeq, CATCHUP_LIMIT);
      if (read.isComplete && read.entries.length < CATCHUP_LIMIT) {
        return ok({ kind: 'entries' as const, stream: p.stream, entries: read.entries });
      }
      const snap = await store.snapshot(session.id, [key]);
      // Read after the heads: a queue newer than them is only confirmed by the entries after.
      const [queue, polls] = await Promise.all([
        store.getQueue(session.id).then((q) => q ?? emptyQueue(session.id)),
        store.getPolls(session.id).then((p) => p ?? emptyPollSet(session.id)),
      ]);
      return ok({
        kind: 'snapshot' as const,
        stream: p.stream,
        snapshot: {
          seq: snap.heads[key] ?? 0,
          posts: streamPosts(key, snap.posts),
          ...queueSnapshot(key, queue),
          ...(await pollSnapshot(store, key, polls)),
        },
      });
    },
  } satisfies Partial<Handlers>;

  return { handlers, countsFor, countsViews };
}
