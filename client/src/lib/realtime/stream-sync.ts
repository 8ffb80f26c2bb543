/**
 * Keeps a consistent local replica of every stream the principal is entitled to (DESIGN
 * "Real time, without losing anything"; SPEC S1-S6, S8).
 *
 * - On every (re)connect it sends `session:join` (resuming each stream held from its last
 *   seq) and takes the snapshot or the missed entries of each stream. The server joins the
 *   rooms before it reads the snapshot, so updates may arrive before the acknowledgement:
 *   they are buffered and replayed through the replica, which drops the ones the snapshot
 *   already covers.
 * - Sequenced updates are applied per stream strictly in order (StreamReplica). An update
 *   that skips ahead is held for a moment; if the gap is still there, `stream:catchup` fills
 *   it (entries, or a fresh snapshot of that stream).
 */
import type { CommandAck } from '@gt/protocol';
import { StreamReplica } from './stream-replica.js';
import { jittered } from './timers.js';
import type { Later } from './timers.js';
import { STREAM_NAMES } from './types.js';
import type {
  ClientError,
  ClientResult,
  JoinAck,
  SequencedUpdate,
  StreamEntry,
  StreamName,
} from './types.js';

const DEFAULT_GAP_HOLD_MS = 300;
const JOIN_RETRY_MS = 2_000;

/** What the stream sync needs of the connection it serves. */
export interface StreamSyncHost {
  readonly sessionId: string;
  readonly later: Later;
  /** How long an update that skips ahead waits for the missing ones before a catch-up. */
  readonly gapHoldMs?: number;
  call(name: string, payload: Record<string, unknown>): Promise<ClientResult<unknown>>;
  isConnected(): boolean;
  isClosed(): boolean;
  reconnectNow(): void;
  /** The device the streams held belong to (the last join's), for a resumed private stream. */
  deviceId(): string | null | undefined;
  /** A join was accepted: adopt its unsequenced state (settings, you, counts, votes, wall). */
  adoptJoin(ack: JoinAck): void;
  /** The join is complete, its streams applied and the updates it held replayed: online now. */
  joined(): void;
  joinFailed(error: ClientError): void;
  /** The replicas changed: the view must be built again. */
  changed(): void;
}

export class StreamSync {
  readonly #host: StreamSyncHost;
  readonly #gapHoldMs: number;
  #replicas: Partial<Record<StreamName, StreamReplica>> = {};
  #isJoined = false;
  /** Bumped on every join; answers to older joins and catch-ups are ignored. */
  #joinGeneration = 0;
  /** Updates that arrived while a join was waiting for its acknowledgement. */
  #preJoin: SequencedUpdate[] | null = null;
  #gapTimers = new Map<StreamName, ReturnType<typeof setTimeout>>();
  /** Streams with a catch-up in flight. */
  #catchingUp = new Map<StreamName, Promise<void>>();

  constructor(host: StreamSyncHost) {
    this.#host = host;
    this.#gapHoldMs = host.gapHoldMs ?? DEFAULT_GAP_HOLD_MS;
  }

  get replicas(): Readonly<Partial<Record<StreamName, StreamReplica>>> {
    return this.#replicas;
  }

  get isJoined(): boolean {
    return this.#isJoined;
  }

  /** The socket went down: what was in flight belongs to the old connection. */
  disconnected(): void {
    this.#isJoined = false;
    this.#preJoin = null;
    this.#joinGeneration += 1;
    this.#catchingUp.clear();
    this.#clearGapTimers();
  }

  close(): void {
    this.#clearGapTimers();
    this.#isJoined = false;
  }

  /**
   * [S8] Join, resuming every stream held from its last seq unless `isFresh`: after a blip or
   * a server restart the answer carries what was missed instead of every post again.
   */
  async join({ isFresh = false } = {}): Promise<void> {
    const host = this.#host;
    const generation = ++this.#joinGeneration;
    this.#isJoined = false;
    this.#preJoin = [];
    this.#catchingUp.clear();
    const resume: Partial<Record<StreamName, number>> = {};
    if (!isFresh)
      for (const name of STREAM_NAMES) {
        const replica = this.#replicas[name];
        if (replica) resume[name] = replica.seq;
      }
    const result = await host.call('session:join', {
      sessionId: host.sessionId,
      ...(Object.keys(resume).length > 0 ? { resume } : {}),
    });
    if (host.isClosed() || generation !== this.#joinGeneration) return;
    const buffered = this.#preJoin ?? [];
    this.#preJoin = null;
    if (!result.ok) {
      host.joinFailed(result.error);
      // A missing session or a refusal stays so; a timeout or the server's trouble may pass.
      if (['timeout', 'internal', 'rate_limited'].includes(result.error.code))
        host.later(jittered(JOIN_RETRY_MS), () => {
          if (host.isConnected() && generation === this.#joinGeneration) void this.join();
        });
      return;
    }
    const ack = result.data as JoinAck;
    if (!this.#canApply(ack)) {
      // Held entries from another device (its token changed meanwhile) cannot be resumed.
      void this.join({ isFresh: true });
      return;
    }
    host.adoptJoin(ack);
    this.applyJoin(ack);
    this.#isJoined = true;
    for (const update of buffered) this.onUpdate(update);
    // A resumed stream whose entries stop short of its head (never expected): ask for the rest.
    for (const name of STREAM_NAMES) {
      const head = ack.streams[name]?.seq ?? 0;
      const replica = this.#replicas[name];
      if (replica && replica.seq < head) void this.#catchUp(name);
    }
    host.joined();
  }

  /** Take each stream of a join acknowledgement: a snapshot, or the entries after a resume. */
  applyJoin(ack: JoinAck): void {
    for (const name of STREAM_NAMES) {
      const stream = ack.streams[name];
      const replica = this.#replicas[name];
      if (!stream) delete this.#replicas[name];
      else if (replica && stream.resumedFrom !== undefined) {
        // [S8] What we hold stays; the entries bring it up to the head.
        for (const entry of stream.entries ?? []) replica.offer(entry);
      } else if (replica) replica.replace(stream);
      else this.#replicas[name] = new StreamReplica(stream);
    }
    this.#host.changed();
  }

  onUpdate(update: SequencedUpdate): void {
    if (update.sessionId !== this.#host.sessionId) return;
    if (this.#preJoin) {
      this.#preJoin.push(update);
      return;
    }
    const replica = this.#replicas[update.stream];
    if (!replica) return;
    const outcome = replica.offer(toEntry(update));
    if (outcome === 'applied') this.#host.changed();
    if (replica.hasGap) this.#watchGap(update.stream);
  }

  /** Catch up every stream held; resolves when the catch-ups have been answered. */
  async catchUpAll(): Promise<void> {
    await Promise.all(
      STREAM_NAMES.filter((name) => this.#replicas[name]).map((name) => this.#catchUp(name)),
    );
  }

  /** A resumed stream applies only to the replica it was resumed from, of the same device. */
  #canApply(ack: JoinAck): boolean {
    return STREAM_NAMES.every((name) => {
      const stream = ack.streams[name];
      if (stream?.resumedFrom === undefined) return true;
      const replica = this.#replicas[name];
      return (
        replica !== undefined &&
        replica.seq >= stream.resumedFrom &&
        (name !== 'private' || ack.you.deviceId === this.#host.deviceId())
      );
    });
  }

  /** Give a gap a moment to close by itself (updates can overtake each other), then ask. */
  #watchGap(stream: StreamName): void {
    if (this.#gapTimers.has(stream) || this.#catchingUp.has(stream)) return;
    const timer = setTimeout(() => {
      this.#gapTimers.delete(stream);
      if (this.#replicas[stream]?.hasGap) void this.#catchUp(stream);
    }, this.#gapHoldMs);
    this.#gapTimers.set(stream, timer);
  }

  #clearGapTimers(): void {
    for (const timer of this.#gapTimers.values()) clearTimeout(timer);
    this.#gapTimers.clear();
  }

  /** Catch one stream up; joins a catch-up already in flight for it. */
  #catchUp(stream: StreamName): Promise<void> {
    const inFlight = this.#catchingUp.get(stream);
    if (inFlight) return inFlight;
    const replica = this.#replicas[stream];
    if (!replica || !this.#isJoined) return Promise.resolve();
    const promise: Promise<void> = this.#askCatchUp(stream, replica).finally(() => {
      if (this.#catchingUp.get(stream) !== promise) return;
      this.#catchingUp.delete(stream);
      // Still a hole (entries committed after the server read them, say): look again shortly.
      if (this.#replicas[stream]?.hasGap && this.#isJoined) this.#watchGap(stream);
    });
    this.#catchingUp.set(stream, promise);
    return promise;
  }

  async #askCatchUp(stream: StreamName, replica: StreamReplica): Promise<void> {
    const host = this.#host;
    const generation = this.#joinGeneration;
    const result = await host.call('stream:catchup', {
      sessionId: host.sessionId,
      stream,
      afterSeq: replica.seq,
    });
    // A rejoin meanwhile brought a fresh snapshot; this answer belongs to the old connection.
    if (host.isClosed() || generation !== this.#joinGeneration) return;
    if (!result.ok) {
      // No answer on a socket that claims to be connected: it is probably dead (a phone that
      // slept). Reconnecting rejoins, and the join brings fresh snapshots.
      if (result.error.code === 'timeout') host.reconnectNow();
      return;
    }
    const answer = result.data as CommandAck<'stream:catchup'>;
    if (answer.kind === 'entries') for (const entry of answer.entries) replica.offer(entry);
    else replica.replace(answer.snapshot);
    host.changed();
  }
}

/** An update as the stream's numbered change: the envelope (session, stream, seq) taken off. */
function toEntry({
  sessionId: _sessionId,
  stream: _stream,
  seq,
  ...update
}: SequencedUpdate): StreamEntry {
  return { seq, update: update as StreamEntry['update'] };
}
