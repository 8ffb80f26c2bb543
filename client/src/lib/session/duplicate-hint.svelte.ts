/**
 * "Is yours one of these? Upvote it instead" (SPEC D5): while the attendee types, the posts
 * they can already see that look like theirs. A hint, never a gate: it only offers.
 *
 * Debounced, so a search runs when the typing pauses, not on every key. The similarity code
 * is loaded the first time it is needed (`duplicate-matcher.ts`), which keeps it out of the
 * page's first load.
 */
import type { ViewPost } from '../realtime/replica-view.js';
import type { DuplicateMatcher } from './duplicate-matcher.js';

/** Quiet time after the last key before looking. */
export const HINT_DEBOUNCE_MS = 350;
/** Fewer topic letters than this is too little to compare (and too early to interrupt). */
const MIN_LETTERS = 8;

export class DuplicateHint {
  readonly #candidates: () => readonly ViewPost[];
  #ids = $state.raw<readonly string[]>([]);
  #timer: ReturnType<typeof setTimeout> | null = null;
  #matcher: Promise<DuplicateMatcher> | null = null;
  #generation = 0;

  /** The matching posts as they are now (votes, status), best first; gone ones drop out. */
  readonly posts = $derived.by(() => {
    const candidates = this.#candidates();
    return this.#ids.flatMap((id) => candidates.find((p) => p.id === id) ?? []);
  });

  /** `candidates` must return the same array while the list is unchanged (a $derived does). */
  constructor(candidates: () => readonly ViewPost[]) {
    this.#candidates = candidates;
  }

  /** The text changed: look again once typing pauses. */
  input(text: string): void {
    this.#cancel();
    if (text.replace(/[^\p{L}\p{N}]/gu, '').length < MIN_LETTERS) {
      this.#ids = [];
      return;
    }
    const generation = this.#generation;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#search(text, generation);
    }, HINT_DEBOUNCE_MS);
  }

  /** The post was sent (or the field emptied): no hint until the next text. */
  clear(): void {
    this.#cancel();
    this.#ids = [];
  }

  destroy(): void {
    this.#cancel();
  }

  #cancel(): void {
    this.#generation += 1;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  async #search(text: string, generation: number): Promise<void> {
    this.#matcher ??= import('./duplicate-matcher.js').then((m) => new m.DuplicateMatcher());
    let matcher: DuplicateMatcher;
    try {
      matcher = await this.#matcher;
    } catch {
      // The chunk did not load (a bad network): no hint, and the next pause tries again.
      this.#matcher = null;
      return;
    }
    if (generation !== this.#generation) return;
    this.#ids = matcher.match(text, this.#candidates());
  }
}
