/**
 * The memory store's polls (PollStore without its promises and command bookkeeping): each
 * session's poll set, and per poll one answer per device with the poll's revision, as JSON.
 */
import type { PollAnswer, PollSet } from '@gt/core';
import type { PollAnswers } from '../store.js';
import { json, parse, values } from './memory-journal.js';

const pollKey = (sessionId: string, pollId: string) => JSON.stringify([sessionId, pollId]);

export class MemoryPolls {
  /** sessionId -> poll set JSON */
  readonly #sets = new Map<string, string>();
  /** [sessionId, pollId] -> deviceId -> answer JSON */
  readonly #answers = new Map<string, Map<string, string>>();
  /** [sessionId, pollId] -> answers written */
  readonly #revisions = new Map<string, number>();

  getSet(sessionId: string): PollSet | null {
    return parse<PollSet>(this.#sets.get(sessionId));
  }

  version(sessionId: string): number {
    return this.getSet(sessionId)?.version ?? 0;
  }

  saveSet(set: PollSet): void {
    this.#sets.set(set.sessionId, json(set));
  }

  saveAnswer(answer: PollAnswer): void {
    const key = pollKey(answer.sessionId, answer.pollId);
    const answers = this.#answers.get(key) ?? new Map<string, string>();
    answers.set(answer.deviceId, json(answer));
    this.#answers.set(key, answers);
    this.#revisions.set(key, (this.#revisions.get(key) ?? 0) + 1);
  }

  list(sessionId: string, pollId: string): PollAnswers {
    const key = pollKey(sessionId, pollId);
    return {
      answers: values<PollAnswer>(this.#answers.get(key) ?? new Map<string, string>()),
      revision: this.#revisions.get(key) ?? 0,
    };
  }

  listByDevice(sessionId: string, deviceId: string): PollAnswer[] {
    const set = this.getSet(sessionId);
    return (set?.polls ?? []).flatMap((poll) => {
      const answer = this.#answers.get(pollKey(sessionId, poll.id))?.get(deviceId);
      return answer === undefined ? [] : [parse<PollAnswer>(answer)!];
    });
  }
}
