/**
 * The console's polls (SPEC PL1-PL10): every poll of the session, drafts included, with its
 * live results, mirrored from the staff connection's poll board; and the moderator's poll
 * commands, each answered at once from its acknowledgement. A refusal is kept as `notice`,
 * with the poll it concerns, in the moderator's words.
 */
import type { PollView } from '@gt/core';
import type { PollResultsWire } from '../realtime/poll-board.js';
import type { PollCommandName, StaffConnection } from '../realtime/staff-connection.js';
import type { SendPayload } from '../realtime/session-connection.js';
import { pollRefusalText } from '../ui/polls/poll-texts.js';

export interface PollNotice {
  /** '' for the new-poll form. */
  pollId: string;
  /** Refused from the poll's draft form (else from its buttons). */
  isDraft: boolean;
  text: string;
}

export class PollConsole {
  readonly #connection: StaffConnection;
  polls = $state.raw<readonly PollView[]>([]);
  #results = $state.raw<Readonly<Record<string, PollResultsWire>>>({});
  notice = $state.raw<PollNotice | null>(null);
  busy = $state(false);
  #unsubscribe: () => void;

  constructor(connection: StaffConnection) {
    this.#connection = connection;
    this.#read();
    this.#unsubscribe = connection.polls.subscribe(() => this.#read());
  }

  readonly openPoll = $derived(this.polls.find((p) => p.status === 'open') ?? null);

  results(pollId: string): PollResultsWire | null {
    return this.#results[pollId] ?? null;
  }

  /** A poll command; true when done. `pollId` '' is a new poll. */
  async run<K extends PollCommandName>(
    pollId: string,
    name: K,
    payload: SendPayload<K>,
    isDraft = false,
  ): Promise<boolean> {
    this.busy = true;
    try {
      const result = await this.#connection.poll(name, payload);
      this.notice = result.ok
        ? null
        : { pollId, isDraft, text: pollRefusalText(result.error.code, result.error.details) };
      return result.ok;
    } finally {
      this.busy = false;
    }
  }

  destroy(): void {
    this.#unsubscribe();
  }

  #read(): void {
    const board = this.#connection.polls;
    this.polls = board.polls;
    this.#results = Object.fromEntries(
      board.polls.flatMap((p) => {
        const results = board.results(p.id);
        return results ? [[p.id, results] as const] : [];
      }),
    );
  }
}
