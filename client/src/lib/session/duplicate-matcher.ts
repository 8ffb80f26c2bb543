/**
 * The duplicate hint's search (SPEC D5): which posts the attendee can already see look like
 * what they are typing. Loaded on demand by `DuplicateHint` the first time someone types, so
 * the similarity rule (folding, stop words, stemmer) is not part of the page's first load.
 */
import { createSimilarityIndex, DUPLICATE_THRESHOLD } from '@gt/core';
import type { SimilarityIndex } from '@gt/core';
import type { ViewPost } from '../realtime/replica-view.js';

/** At most this many suggestions: a short list a thumb can deal with. */
export const HINT_LIMIT = 3;

export class DuplicateMatcher {
  #source: readonly ViewPost[] | null = null;
  #index: SimilarityIndex | null = null;

  /**
   * Ids of the candidates most like `text`, best first. The index is prepared once per list
   * of candidates (the state class hands over the same array until the list changes), not
   * on every keystroke.
   */
  match(text: string, candidates: readonly ViewPost[], limit = HINT_LIMIT): string[] {
    if (candidates !== this.#source || !this.#index) {
      this.#source = candidates;
      this.#index = createSimilarityIndex(candidates.map((p) => ({ id: p.id, text: p.text })));
    }
    return this.#index.search(text, limit, DUPLICATE_THRESHOLD).map((match) => match.id);
  }
}
