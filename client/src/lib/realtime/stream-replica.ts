/**
 * A local copy of one stream (public, staff or private) of one session, kept consistent by
 * applying its numbered entries strictly in order (SPEC S3, S4).
 *
 * - seq == last + 1: applied, and any held entries that now follow are applied too;
 * - seq <= last: a duplicate (the snapshot or a catch-up already covered it): ignored;
 * - seq > last + 1: held until the missing ones arrive live or by catch-up. The replica only
 *   reports the gap; the connection decides when to ask the server.
 */
import type {
  MicTicketWire,
  PostWire,
  QueueWire,
  SessionWire,
  Snapshot,
  StreamChange,
  StreamEntry,
} from './types.js';

export type OfferOutcome = 'applied' | 'duplicate' | 'held';

export class StreamReplica {
  #seq: number;
  #posts = new Map<string, PostWire>();
  #held = new Map<number, StreamChange>();
  #session: SessionWire | null = null;
  #queue: QueueWire | null = null;
  #micTicket: MicTicketWire | null = null;

  constructor(snapshot: Snapshot) {
    this.#seq = snapshot.seq;
    for (const post of snapshot.posts) this.#posts.set(post.id, post);
    this.#queue = snapshot.queue ?? null;
    this.#micTicket = snapshot.micTicket ?? null;
  }

  /** [Q4] The speaker queue as this stream shows it (public: numbers; staff: with names). */
  get queue(): QueueWire | null {
    return this.#queue;
  }

  /** [Q4] The device's microphone ticket (private stream); null when it has none. */
  get micTicket(): MicTicketWire | null {
    return this.#micTicket;
  }

  /** The sequence number of the last entry applied. */
  get seq(): number {
    return this.#seq;
  }

  get posts(): IterableIterator<PostWire> {
    return this.#posts.values();
  }

  getPost(id: string): PostWire | undefined {
    return this.#posts.get(id);
  }

  /** The newest session settings this stream announced (null: none since the snapshot). */
  get session(): SessionWire | null {
    return this.#session;
  }

  /** Entries are held because one before them is missing. */
  get hasGap(): boolean {
    return this.#held.size > 0;
  }

  /** The sequence numbers held, lowest first (for diagnostics and tests). */
  get heldSeqs(): number[] {
    return [...this.#held.keys()].sort((a, b) => a - b);
  }

  /**
   * Replace everything with a snapshot current to `snapshot.seq`. Held entries beyond it are
   * still valid (the log is the same) and are applied if they now follow on.
   */
  replace(snapshot: Snapshot): void {
    this.#seq = snapshot.seq;
    this.#posts = new Map(snapshot.posts.map((post) => [post.id, post]));
    this.#queue = snapshot.queue ?? null;
    this.#micTicket = snapshot.micTicket ?? null;
    for (const seq of this.#held.keys()) if (seq <= this.#seq) this.#held.delete(seq);
    this.#drain();
  }

  offer(entry: StreamEntry): OfferOutcome {
    if (entry.seq <= this.#seq) return 'duplicate';
    if (entry.seq > this.#seq + 1) {
      this.#held.set(entry.seq, entry.update);
      return 'held';
    }
    this.#apply(entry.update);
    this.#seq = entry.seq;
    this.#drain();
    return 'applied';
  }

  #drain(): void {
    for (let next = this.#held.get(this.#seq + 1); next; next = this.#held.get(this.#seq + 1)) {
      this.#held.delete(this.#seq + 1);
      this.#apply(next);
      this.#seq += 1;
    }
  }

  #apply(change: StreamChange): void {
    switch (change.type) {
      case 'post:created':
      case 'post:updated':
        this.#posts.set(change.post.id, change.post);
        return;
      case 'post:withdrawn':
        this.#posts.delete(change.postId);
        return;
      case 'session:updated':
        if (!this.#session || change.session.version >= this.#session.version)
          this.#session = change.session;
        return;
      case 'queue:updated':
        this.#queue = change.queue;
        return;
      case 'mic:ticket':
        // A device holds one open ticket; a new one (or the last one's end) replaces it.
        this.#micTicket = change.ticket;
        return;
    }
  }
}
