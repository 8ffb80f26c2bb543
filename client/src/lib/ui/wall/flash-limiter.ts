/**
 * Reaction bursts may flash, but never more than three times in any one second (WCAG 2.3.1,
 * three flashes or below threshold): a room sending fifty applause taps a second gets three
 * flashes, and the counts say the rest.
 */
export class FlashLimiter {
  readonly #maxPerSecond: number;
  /** Start times of the most recent flashes, oldest first; at most `maxPerSecond` of them. */
  readonly #recent: number[] = [];

  constructor(maxPerSecond = 3) {
    this.#maxPerSecond = maxPerSecond;
  }

  /** May a flash start at `now` (milliseconds)? If so, it is counted. */
  tryFlash(now: number): boolean {
    const oldest = this.#recent[0];
    if (this.#recent.length >= this.#maxPerSecond && oldest !== undefined && now - oldest < 1000)
      return false;
    this.#recent.push(now);
    if (this.#recent.length > this.#maxPerSecond) this.#recent.shift();
    return true;
  }
}
