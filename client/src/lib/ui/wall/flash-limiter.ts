/**
 * Reaction bursts may flash, but never more than three times in any one second (WCAG 2.3.1,
 * three flashes or below threshold): a room sending fifty applause taps a second gets three
 * flashes, and the counts say the rest.
 */
export class FlashLimiter {
  readonly #max: number;
  readonly #windowMs: number;
  /** Start times of the most recent flashes, oldest first; at most `max` of them. */
  readonly #recent: number[] = [];

  /**
   * At most `max` flashes in any `windowMs`. The window is a little longer than the second
   * the rule speaks of: a flash is decided here and drawn on the next frame, which may come
   * late on a busy machine, so the decisions keep a margin that frame timing cannot eat.
   */
  constructor({ max = 3, windowMs = 1200 } = {}) {
    this.#max = max;
    this.#windowMs = windowMs;
  }

  /** May a flash start at `now` (milliseconds)? If so, it is counted. */
  tryFlash(now: number): boolean {
    const oldest = this.#recent[0];
    if (this.#recent.length >= this.#max && oldest !== undefined && now - oldest < this.#windowMs)
      return false;
    this.#recent.push(now);
    if (this.#recent.length > this.#max) this.#recent.shift();
    return true;
  }
}
