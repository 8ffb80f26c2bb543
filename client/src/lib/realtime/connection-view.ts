/**
 * What the screens read of a session connection (ConnectionView), and how it is built from
 * the connection's parts: the stream replicas, the posts known from acknowledgements, the
 * outbox and the unsequenced state (counts, wall, log). Pure: a new object on every call.
 */
import type { OutboxItem } from './outbox.js';
import { effectiveVotes, mergePosts } from './replica-view.js';
import type { ViewPost } from './replica-view.js';
import type { StreamReplica } from './stream-replica.js';
import { STREAM_NAMES } from './types.js';
import type {
  ClientError,
  Counts,
  JoinAck,
  LogEntryWire,
  MicTicketWire,
  PostWire,
  QueueWire,
  SessionWire,
  StreamName,
  WallSetWire,
} from './types.js';

export type ConnectionStatus = 'connecting' | 'online' | 'offline';

/** What the screens read. A new object on every change; never mutated. */
export interface ConnectionView {
  readonly sessionId: string;
  readonly status: ConnectionStatus;
  /** The server refused this client for good (another protocol version: reload the page). */
  readonly fatal: string | null;
  /** The last `session:join` failed (no such session, ...); null once joined. */
  readonly joinError: ClientError | null;
  readonly session: SessionWire | null;
  /** Who the server says we are in this session (staff null: the staff link was not accepted). */
  readonly you: JoinAck['you'] | null;
  /** Every post this principal may see, oldest first (see mergePosts). */
  readonly posts: readonly ViewPost[];
  readonly counts: Counts;
  /** Posts this device has upvoted, including upvotes still in the outbox. */
  readonly myVotes: ReadonlySet<string>;
  /** The last applied sequence number of each stream held. */
  readonly lastSeq: Readonly<Partial<Record<StreamName, number>>>;
  /** Actions not yet acknowledged ('sending') or refused for good ('failed'). */
  readonly outbox: readonly OutboxItem[];
  /**
   * Staff only: the moderation log held, newest first (by seq): the first page is listed on
   * every join, new entries arrive live, `loadLog({ before })` pages back.
   */
  readonly log: readonly LogEntryWire[];
  /**
   * [FV2] What the wall's rotation lists now (top votes or fresh voices, the highlighted post
   * aside), from the join acknowledgement and then each `wall:rotation`; null when the
   * session's wall has no rotation. Ids of posts this view does not hold may be listed for a
   * moment (an update still on its way): look them up in `posts` and skip the missing.
   */
  readonly wall: WallSetWire | null;
  /**
   * [Q4] The speaker queue: `{ current, next, waiting }` numbers for everyone, plus `tickets`
   * (with names, current first, then the line) for staff. null before the join.
   */
  readonly queue: QueueWire | null;
  /**
   * [Q4] This device's microphone ticket: its number, position (1 = next) and status
   * ('waiting', 'next', 'current', 'done', 'cancelled'); null when it never asked.
   */
  readonly micTicket: MicTicketWire | null;
}

export const emptyCounts = (sessionId: string): Counts => ({ sessionId, reactions: {} });

/** The view before anything is known: what a state class holds until it has a connection. */
export function emptyView(sessionId: string): ConnectionView {
  return {
    sessionId,
    status: 'connecting',
    fatal: null,
    joinError: null,
    session: null,
    you: null,
    posts: [],
    counts: emptyCounts(sessionId),
    myVotes: new Set(),
    lastSeq: {},
    outbox: [],
    log: [],
    wall: null,
    queue: null,
    micTicket: null,
  };
}

/** Everything a view is built from; `acknowledged` is pruned as the streams catch up. */
export interface ViewParts {
  sessionId: string;
  status: ConnectionStatus;
  fatal: string | null;
  joinError: ClientError | null;
  /** The settings from the join or an acknowledgement; a stream may hold newer ones. */
  session: SessionWire | null;
  you: JoinAck['you'] | null;
  replicas: Readonly<Partial<Record<StreamName, StreamReplica>>>;
  /** Posts from acknowledgements and conflicts, until the streams catch up with them. */
  acknowledged: Map<string, PostWire>;
  ownIds: ReadonlySet<string>;
  counts: Counts;
  myVotes: ReadonlySet<string>;
  outbox: readonly OutboxItem[];
  log: ReadonlyMap<number, LogEntryWire>;
  wall: WallSetWire | null;
}

export function buildView(parts: ViewParts): ConnectionView {
  const { replicas, acknowledged } = parts;
  const list = (name: StreamName) => {
    const replica = replicas[name];
    return replica ? [...replica.posts] : undefined;
  };
  const streams = {
    public: list('public') ?? [],
    staff: list('staff'),
    private: list('private'),
  };
  // Acknowledged copies are only needed until the streams have caught up with them.
  for (const [id, post] of acknowledged) {
    const streamCopy =
      replicas.staff?.getPost(id) ?? replicas.private?.getPost(id) ?? replicas.public?.getPost(id);
    if (streamCopy && streamCopy.version >= post.version) acknowledged.delete(id);
  }
  const lastSeq: Partial<Record<StreamName, number>> = {};
  let session = parts.session;
  for (const name of STREAM_NAMES) {
    const replica = replicas[name];
    if (!replica) continue;
    lastSeq[name] = replica.seq;
    if (replica.session && (!session || replica.session.version > session.version))
      session = replica.session;
  }
  return {
    sessionId: parts.sessionId,
    status: parts.status,
    fatal: parts.fatal,
    joinError: parts.joinError,
    session,
    you: parts.you,
    posts: mergePosts({
      ...streams,
      acknowledged: [...acknowledged.values()],
      ownIds: parts.ownIds,
    }),
    counts: parts.counts,
    myVotes: effectiveVotes(parts.myVotes, parts.outbox),
    lastSeq,
    outbox: parts.outbox,
    log: [...parts.log.values()].sort((a, b) => b.seq - a.seq),
    wall: parts.wall,
    queue: (replicas.staff ?? replicas.public)?.queue ?? null,
    micTicket: replicas.private?.micTicket ?? null,
  };
}

export function isPostWire(value: unknown): value is PostWire {
  const post = value as Partial<PostWire> | null;
  return (
    !!post &&
    typeof post === 'object' &&
    typeof post.id === 'string' &&
    typeof post.version === 'number' &&
    typeof post.status === 'string'
  );
}
