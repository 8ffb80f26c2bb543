/**
 * Reaction taps are frequent and individually worthless: they are counted in memory and
 * written to the store every few seconds (DESIGN: group commit). A tap repeated with the
 * same command id (a client retry) is counted once, as long as this node remembers it.
 */
import type { CountStore } from '../store/store.js';

const REMEMBERED_COMMANDS = 50_000;

export class ReactionBuffer {
  readonly #pending = new Map<string, Record<string, number>>();
  /**
   * Taps taken by a flush whose write has not finished: still counted by pendingFor, or a
   * counts broadcast read meanwhile would miss them (in neither memory nor the store), and if
   * it was the session's last broadcast, screens would keep totals that are too low.
   */
  readonly #inFlight = new Map<string, Record<string, number>>();
  readonly #seen = new Set<string>();
  #flushing: Promise<void> = Promise.resolve();

  constructor(private readonly store: Pick<CountStore, 'addReactions'>) {}

  /** Count a tap; false when this command was already counted. */
  add(sessionId: string, reaction: string, commandKey: string): boolean {
    if (this.#seen.has(commandKey)) return false;
    this.#seen.add(commandKey);
    // A Set iterates in insertion order: dropping the first entries forgets the oldest.
    if (this.#seen.size > REMEMBERED_COMMANDS) {
      for (const key of this.#seen) {
        this.#seen.delete(key);
        if (this.#seen.size <= REMEMBERED_COMMANDS * 0.9) break;
      }
    }
    const counts = this.#pending.get(sessionId) ?? {};
    counts[reaction] = (counts[reaction] ?? 0) + 1;
    this.#pending.set(sessionId, counts);
    return true;
  }

  /**
   * Taps counted here but not yet in the store. Read it after the store's totals (as
   * countsViews does): a write that finishes in between then counts in one place only.
   */
  pendingFor(sessionId: string): Record<string, number> {
    const pending = this.#pending.get(sessionId);
    const inFlight = this.#inFlight.get(sessionId);
    if (!inFlight) return pending ?? {};
    return addInto({ ...inFlight }, pending ?? {});
  }

  /**
   * Write what is pending; concurrent calls queue behind each other. Resolves with the
   * sessions whose taps were written.
   */
  flush(): Promise<string[]> {
    // A failed flush must not block the ones after it.
    const flushing = this.#flushing
      .catch(() => undefined)
      .then(async () => {
        const batch = [...this.#pending];
        this.#pending.clear();
        // Flushes run one at a time, so nothing else is in flight now.
        for (const [sessionId, deltas] of batch) this.#inFlight.set(sessionId, deltas);
        await Promise.all(
          batch.map(async ([sessionId, deltas]) => {
            try {
              await this.store.addReactions(sessionId, deltas);
              this.#inFlight.delete(sessionId);
            } catch (error) {
              // Put them back: a failed write must not lose taps.
              this.#inFlight.delete(sessionId);
              this.#pending.set(sessionId, addInto(this.#pending.get(sessionId) ?? {}, deltas));
              throw error;
            }
          }),
        );
        return batch.map(([sessionId]) => sessionId);
      });
    this.#flushing = flushing.then(() => undefined);
    return flushing;
  }
}

function addInto(target: Record<string, number>, deltas: Record<string, number>) {
  for (const [name, n] of Object.entries(deltas)) target[name] = (target[name] ?? 0) + n;
  return target;
}
