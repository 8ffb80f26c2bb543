import { describe, expect, it } from 'vitest';
import { FlashLimiter } from './flash-limiter.js';

/** The largest number of flash starts inside any window of one second. */
function worstSecond(starts: number[]): number {
  return Math.max(0, ...starts.map((t) => starts.filter((s) => s >= t && s < t + 1000).length));
}

describe('reaction flashes on the wall', () => {
  it('[WL3] a continuous stream of bursts never gets more than three flashes in any second', () => {
    const limiter = new FlashLimiter();
    const starts: number[] = [];
    // A count update every 50 ms for a minute (the server coalesces to 250 ms; this is worse).
    for (let t = 0; t < 60_000; t += 50) if (limiter.tryFlash(t)) starts.push(t);
    expect(worstSecond(starts)).toBe(3);
    // Even when each flash is drawn up to 150 ms late (a slow frame), in any order.
    const late = starts.map((t, i) => t + ((i * 7919) % 150));
    expect(worstSecond(late.sort((a, b) => a - b))).toBeLessThanOrEqual(3);
    // And it does flash: three every 1.2 s over the minute, not once and then silence.
    expect(starts.length).toBeGreaterThanOrEqual(145);
  });

  it('[WL3] three bursts at once flash three times, the fourth waits for the window to pass', () => {
    const limiter = new FlashLimiter();
    expect([0, 1, 2, 3].map((t) => limiter.tryFlash(t))).toEqual([true, true, true, false]);
    expect(limiter.tryFlash(1199)).toBe(false);
    expect(limiter.tryFlash(1200)).toBe(true);
    expect(limiter.tryFlash(1200)).toBe(false);
  });
});
