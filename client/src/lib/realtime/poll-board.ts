/**
 * The polls of one session as a screen holds them (SPEC PL9, PL10): the polls its streams
 * carry and the newest results of each. A poll update carries the whole poll, so the newest
 * `updatedAt` wins whatever order the join snapshot, the live update and a command's
 * acknowledgement arrive in; results carry a revision, and the higher one wins (two nodes can
 * send them out of order). Framework-free: a state class mirrors it through `subscribe`.
 */
import type { PollView } from '@gt/core';
import type { PollResultsWire } from '@gt/protocol';
import type { JoinAck, StreamName } from './types.js';

export type { PollResultsWire, PollView };

export class PollBoard {
  /**
   * The one stream polls are read from: staff views hold the moderator's word decisions, which
   * the public view of the same poll (same `updatedAt`) leaves out.
   */
  readonly stream: StreamName;
  #polls = new Map<string, PollView>();
  #results = new Map<string, PollResultsWire>();
  #listeners = new Set<() => void>();

  constructor(stream: StreamName) {
    this.stream = stream;
  }

  /** Oldest first, as the session made them. */
  get polls(): PollView[] {
    return [...this.#polls.values()].sort((a, b) => a.createdAt - b.createdAt);
  }

  results(pollId: string): PollResultsWire | null {
    return this.#results.get(pollId) ?? null;
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * A join acknowledgement: the stream's snapshot lists every poll it may see (staff: drafts
   * too), a resumed stream the entries since; the results are the ones this principal may see.
   */
  adoptJoin(ack: JoinAck): void {
    const stream = ack.streams[this.stream];
    for (const poll of stream?.polls ?? []) this.#take(poll);
    for (const entry of stream?.entries ?? [])
      if (entry.update.type === 'poll:updated') this.#take(entry.update.poll);
    for (const results of ack.pollResults ?? []) this.#takeResults(results);
    this.#changed();
  }

  /** A poll from a live update or a command's acknowledgement. */
  adoptPoll(poll: PollView): void {
    if (this.#take(poll)) this.#changed();
  }

  adoptResults(results: PollResultsWire): void {
    if (this.#takeResults(results)) this.#changed();
  }

  #take(poll: PollView): boolean {
    const held = this.#polls.get(poll.id);
    if (held && held.updatedAt > poll.updatedAt) return false;
    this.#polls.set(poll.id, poll);
    return true;
  }

  #takeResults(results: PollResultsWire): boolean {
    const held = this.#results.get(results.pollId);
    if (held && held.revision > results.revision) return false;
    this.#results.set(results.pollId, results);
    return true;
  }

  #changed(): void {
    for (const listener of this.#listeners) listener();
  }
}
