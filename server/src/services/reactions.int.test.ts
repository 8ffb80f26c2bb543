/**
 * [V2] [I3] Reaction taps wait in memory and are written every few seconds; the counts a
 * screen is sent are the stored totals plus the taps still in memory. While a write is on its
 * way to the store, its taps are in neither place unless the buffer keeps counting them: a
 * counts broadcast read then would show too few, and if it was the last one, screens would
 * keep the wrong totals.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { storedSession } from '../store/testing/factories.js';
import { makeTestStore } from '../testing/test-app.js';
import type { TestStore } from '../testing/test-app.js';
import { ReactionBuffer } from './reactions.js';

describe.each(['sqlite', 'redis'] as const)('[V2] the reaction buffer (%s)', (kind) => {
  let test: TestStore | null = null;
  afterEach(async () => {
    await test?.cleanup();
    test = null;
  });

  async function setUp() {
    test = await makeTestStore(kind);
    const { session } = await storedSession(test.store);
    return { store: test.store, sessionId: session.id as string };
  }

  const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
  // What countsViews adds up, in its order: the store's totals, then the taps still in memory.
  const total = async (buffer: ReactionBuffer, store: TestStore['store'], sessionId: string) => {
    const stored = (await store.getCounts(sessionId)).reactions;
    return sum(stored) + sum(buffer.pendingFor(sessionId));
  };

  it('counts every tap before, during and after a write to the store, and never twice', async () => {
    const { store, sessionId } = await setUp();
    const buffer = new ReactionBuffer(store);
    for (let i = 0; i < 5; i++) expect(buffer.add(sessionId, 'applause', `c${i}`)).toBe(true);
    expect(buffer.add(sessionId, 'applause', 'c0')).toBe(false);
    expect(await total(buffer, store, sessionId)).toBe(5);

    const flushing = buffer.flush();
    // Let the flush take its batch (a few microtasks) but not finish its write (SQLite
    // commits on the next turn of the event loop, Redis answers over the network). That the
    // batch was taken by then is proven below: the tap added now is not in this write.
    for (let i = 0; i < 5; i++) await Promise.resolve();
    expect(buffer.pendingFor(sessionId)).toEqual({ applause: 5 });
    buffer.add(sessionId, 'heart', 'c5');
    expect(await total(buffer, store, sessionId)).toBe(6);
    expect(await flushing).toEqual([sessionId]);
    expect(await total(buffer, store, sessionId)).toBe(6);
    expect((await store.getCounts(sessionId)).reactions).toEqual({ applause: 5 });

    await buffer.flush();
    expect(buffer.pendingFor(sessionId)).toEqual({});
    expect((await store.getCounts(sessionId)).reactions).toEqual({ applause: 5, heart: 1 });
  });
});
