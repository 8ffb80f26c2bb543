/**
 * [K6] The fair-visibility promise, simulated: a busy hour with very skewed votes, the wall in
 * fresh-voices mode. Deterministic: a seeded generator, a simulated clock, no Math.random.
 */
import { describe, expect, it } from 'vitest';
import {
  createRotation,
  nextWallSet,
  recordImpressions,
  recordWallTime,
  sortFreshVoices,
  sortNew,
  sortTop,
} from './ranking.js';
import type { RankablePost, RotationConfig, RotationState } from './ranking.js';

// Core compiles without DOM or Node types on purpose (no I/O here), so the console that the
// test runner provides is declared for this file only: the test prints its figures.
declare const console: { log(message: string): void };

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/** mulberry32: a tiny 32-bit generator, plenty for a simulation and the same on every machine. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Scenario {
  posts: RankablePost[];
  /** Zipf weight of each post: how strongly it attracts votes. */
  appeal: Map<string, number>;
}

const POSTS = 200;
const SESSION = 60 * MINUTE;
/**
 * Posting closes at 60:00; the panel wraps up and the wall keeps turning for one more minute,
 * so a post approved in the last seconds still has its turn (the waits printed show how long
 * that takes).
 */
const WALL_RUNS_UNTIL = SESSION + 1 * MINUTE;
const VOTES = 4000;
/**
 * First screens shown per second: about 300 phones, each re-reading its list every 30 s.
 * Each counts an impression for the posts on it (K3), so popular and brand-new posts gain
 * exposure on the phones far faster than the wall gives it (K5 is built for this).
 */
const PHONE_LOOKS_PER_SECOND = 10;
const FIRST_SCREEN = 5;
/** The moderator highlights the most-voted open question every three minutes, then marks it answered. */
const HIGHLIGHT_EVERY = 3 * MINUTE;
const ZIPF_EXPONENT = 1.2;

function makeScenario(seed: number): Scenario {
  const random = seededRandom(seed);
  // Half the posts trickle in over the hour; the other half come in three bursts, when the
  // moderator invites questions after each round of the panel (minutes 10, 25 and 40): a
  // queue forms, which is when fairness is tested.
  const BURSTS = [10 * MINUTE, 25 * MINUTE, 40 * MINUTE];
  const BURST_LENGTH = 2 * MINUTE;
  const times = Array.from({ length: POSTS }, (_, i) =>
    i % 2 === 0
      ? Math.floor(random() * SESSION)
      : (BURSTS[i % BURSTS.length] ?? 0) + Math.floor(random() * BURST_LENGTH),
  ).sort((a, b) => a - b);
  const posts = times.map((createdAt, i) => ({
    id: `post-${String(i).padStart(3, '0')}`,
    createdAt,
  }));
  // Popularity rank independent of arrival: a late post can be the hit of the evening.
  const ranks = posts.map((_, i) => i + 1);
  for (let i = ranks.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [ranks[i], ranks[j]] = [ranks[j] ?? 0, ranks[i] ?? 0];
  }
  const appeal = new Map(posts.map((p, i) => [p.id, 1 / (ranks[i] ?? 1) ** ZIPF_EXPONENT]));
  return { posts, appeal };
}

type WallMode = 'fresh' | 'top';

interface Outcome {
  firstOnWall: Map<string, number>;
  votes: Record<string, number>;
}

/** One hour of a session: votes, phones, the moderator's highlight and the wall, second by second. */
function runSession(
  scenario: Scenario,
  mode: WallMode,
  seed: number,
  { isHighlighting = true } = {},
): Outcome {
  const random = seededRandom(seed);
  const config: RotationConfig = { intervalSeconds: 9, slots: 3 };
  const votes: Record<string, number> = {};
  const answered = new Set<string>();
  // Measured here, from what the wall shows, not taken from the rotation's own bookkeeping.
  const firstOnWall = new Map<string, number>();
  let state: RotationState = createRotation(config);
  let highlighted: string | null = null;
  let topShown: string[] = [];
  let topShownAt = -Infinity;

  const pickWeighted = (candidates: readonly RankablePost[]): RankablePost | undefined => {
    const total = candidates.reduce((sum, p) => sum + (scenario.appeal.get(p.id) ?? 0), 0);
    let r = random() * total;
    for (const p of candidates) {
      r -= scenario.appeal.get(p.id) ?? 0;
      if (r <= 0) return p;
    }
    return candidates.at(-1);
  };

  for (let now = 0; now <= WALL_RUNS_UNTIL; now += SECOND) {
    const approved = scenario.posts.filter((p) => p.createdAt <= now);
    const open = approved.filter((p) => !answered.has(p.id));

    // Votes arrive at a steady rate while posting is open, to posts in proportion to appeal.
    if (now < SESSION && approved.length > 0) {
      const expected = VOTES / (SESSION / SECOND);
      const count = Math.floor(expected) + (random() < expected % 1 ? 1 : 0);
      for (let v = 0; v < count; v++) {
        const target = pickWeighted(approved);
        if (target) votes[target.id] = (votes[target.id] ?? 0) + 1;
      }
    }

    // Phones: most people read Top, some New, a few Fresh voices. Everyone reading the same
    // order in the same second sees the same first screen.
    if (open.length > 0) {
      let top = 0;
      let newest = 0;
      let fresh = 0;
      for (let look = 0; look < PHONE_LOOKS_PER_SECOND; look++) {
        const r = random();
        if (r < 0.7) top++;
        else if (r < 0.9) newest++;
        else fresh++;
      }
      const firstScreen = (list: readonly RankablePost[]) =>
        list.slice(0, FIRST_SCREEN).map((p) => p.id);
      state = recordImpressions(state, firstScreen(sortTop(open, votes)), top);
      state = recordImpressions(state, firstScreen(sortNew(open)), newest);
      state = recordImpressions(state, firstScreen(sortFreshVoices(open, state.exposure)), fresh);
    }

    // The moderator: every few minutes the most-voted open question goes up large and the
    // previous one is marked answered.
    if (isHighlighting && now % HIGHLIGHT_EVERY === 0 && open.length > 0) {
      if (highlighted) answered.add(highlighted);
      highlighted =
        sortTop(
          open.filter((p) => p.id !== highlighted),
          votes,
        )[0]?.id ?? null;
    }
    if (highlighted) {
      state = recordWallTime(state, [highlighted], Math.max(0, now - SECOND), now);
      if (!firstOnWall.has(highlighted)) firstOnWall.set(highlighted, now);
    }

    const listable = open.filter((p) => p.id !== highlighted);
    let listed: readonly string[];
    if (mode === 'fresh') {
      state = nextWallSet(state, now, listable, { exclude: highlighted ? [highlighted] : [] });
      listed = state.shown;
    } else {
      // Top mode: the wall lists the current top three, refreshed on the same interval.
      if (now - topShownAt >= config.intervalSeconds * SECOND) {
        topShown = sortTop(listable, votes)
          .slice(0, config.slots)
          .map((p) => p.id);
        topShownAt = now;
      }
      listed = topShown;
    }
    for (const id of listed) if (!firstOnWall.has(id)) firstOnWall.set(id, now);
  }
  return { firstOnWall, votes };
}

function summarise(scenario: Scenario, outcome: Outcome) {
  const waits = scenario.posts
    .filter((p) => outcome.firstOnWall.has(p.id))
    .map((p) => ((outcome.firstOnWall.get(p.id) ?? 0) - p.createdAt) / SECOND)
    .sort((a, b) => a - b);
  const counts = Object.values(outcome.votes).sort((a, b) => b - a);
  return {
    reached: waits.length,
    share: waits.length / scenario.posts.length,
    longestWait: waits.at(-1) ?? NaN,
    medianWait: waits[Math.floor(waits.length / 2)] ?? NaN,
    topVotes: counts.slice(0, 3),
    medianVotes: counts[Math.floor(counts.length / 2)] ?? 0,
    withoutVotes: scenario.posts.length - counts.length,
  };
}

const format = (s: ReturnType<typeof summarise>) =>
  `${s.reached}/${POSTS} posts reached the wall (${(s.share * 100).toFixed(1)}%), ` +
  `longest wait ${s.longestWait.toFixed(0)} s, median wait ${s.medianWait.toFixed(0)} s; ` +
  `votes: top three ${s.topVotes.join(', ')}, median ${s.medianVotes}, ` +
  `${s.withoutVotes} posts without a vote`;

describe('fair visibility over a busy hour', () => {
  const seed = 20_260_905;
  const scenario = makeScenario(seed);

  it('[K6] in fresh-voices mode, every one of 200 approved posts reaches the wall', () => {
    const summary = summarise(scenario, runSession(scenario, 'fresh', seed + 1));
    console.log(`[K6] fresh voices, 3 slots every 9 s: ${format(summary)}`);
    // The votes are as skewed as promised: the favourite has many times the median.
    expect(summary.topVotes[0] ?? 0).toBeGreaterThan(10 * Math.max(1, summary.medianVotes));
    expect(summary.share).toBe(1);
    // A post goes up within a few turns of its approval, not "eventually": even a burst's
    // queue clears in a handful of turns.
    expect(summary.longestWait).toBeLessThanOrEqual(60);
  });

  it('[K6] in top-votes mode, part of the room is never seen, which is why fresh voices exists', () => {
    const summary = summarise(scenario, runSession(scenario, 'top', seed + 1));
    console.log(`[K6] top votes, 3 slots every 9 s: ${format(summary)}`);
    expect(summary.share).toBeLessThan(1);
  });

  it('[K6] reaches the most-voted posts too when the moderator highlights nothing', () => {
    // Without highlights the favourites reach the wall only through the rotation, while the
    // phones' Top lists give them impressions by the hundred as they wait in a burst's queue:
    // the case K5 puts the never-shown first for. (Ordered by exposure alone, this run kept
    // a post waiting 405 s, and seed 1 left a post never shown.)
    const outcome = runSession(scenario, 'fresh', seed + 1, { isHighlighting: false });
    const summary = summarise(scenario, outcome);
    console.log(`[K6] fresh voices, no highlights: ${format(summary)}`);
    expect(summary.share).toBe(1);
    expect(summary.longestWait).toBeLessThanOrEqual(60);
  });

  // Three more simulated hours: seconds on a laptop, so a generous limit for slow CI machines.
  it('[K6] keeps the promise for other seeds too', { timeout: 60_000 }, () => {
    for (const other of [1, 2, 3]) {
      const otherScenario = makeScenario(other);
      const summary = summarise(otherScenario, runSession(otherScenario, 'fresh', other + 1));
      expect(summary.share, `seed ${other}`).toBe(1);
      expect(summary.longestWait, `seed ${other}`).toBeLessThanOrEqual(60);
    }
  });
});
