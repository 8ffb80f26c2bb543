/**
 * The delayed tasks of one connection (retries, back-offs), so that closing it cancels every
 * one of them: a closed connection must not reconnect or rejoin a moment later.
 */
export class Timers {
  #timers = new Set<ReturnType<typeof setTimeout>>();
  #isClosed = false;

  /** Run `task` after `delayMs`, unless the connection is closed first. */
  later(delayMs: number, task: () => void): void {
    if (this.#isClosed) return;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      if (!this.#isClosed) task();
    }, delayMs);
    this.#timers.add(timer);
  }

  close(): void {
    this.#isClosed = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }
}

/** A delay around `baseMs` (half to one and a half times it), so a room of phones spreads out. */
export function jittered(baseMs: number): number {
  return baseMs * (0.5 + Math.random());
}
