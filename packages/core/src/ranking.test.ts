import { describe, expect, it } from 'vitest';
import {
  createRotation,
  exposureScore,
  nextWallSet,
  recordImpressions,
  recordWallTime,
  sortFreshVoices,
  sortNew,
  sortTop,
} from './ranking.js';
import type { RankablePost, RotationState } from './ranking.js';

const SECOND = 1000;
const post = (id: string, createdAt: number): RankablePost => ({ id, createdAt });
const ids = (posts: readonly RankablePost[]) => posts.map((p) => p.id);

describe('sortTop', () => {
  it('[K1] puts most votes first and, with equal votes, the older post', () => {
    const posts = [post('a', 1), post('b', 2), post('c', 3), post('d', 4)];
    expect(ids(sortTop(posts, { a: 1, b: 5, c: 5, d: 0 }))).toEqual(['b', 'c', 'a', 'd']);
  });

  it('[K1] counts a post missing from the counts as having no votes', () => {
    expect(ids(sortTop([post('a', 2), post('b', 1)], { a: 1 }))).toEqual(['a', 'b']);
    expect(ids(sortTop([post('a', 2), post('b', 1)], {}))).toEqual(['b', 'a']);
  });

  it('[K1] breaks a complete tie on the id and leaves its input alone', () => {
    const posts = [post('y', 1), post('x', 1)];
    expect(ids(sortTop(posts, {}))).toEqual(['x', 'y']);
    expect(ids(posts)).toEqual(['y', 'x']);
  });
});

describe('sortNew', () => {
  it('[K2] puts the newest post first', () => {
    expect(ids(sortNew([post('a', 1), post('c', 3), post('b', 2)]))).toEqual(['c', 'b', 'a']);
  });
});

describe('exposure', () => {
  it('[K3] adds wall seconds and first-screen impressions', () => {
    expect(exposureScore({ wallSeconds: 18, impressions: 4 })).toBe(22);
    expect(exposureScore(undefined)).toBe(0);
  });

  it('[K3] accrues wall time per post and remembers when each first reached the wall', () => {
    let state = createRotation();
    state = recordWallTime(state, ['a', 'b'], 10 * SECOND, 19 * SECOND);
    state = recordWallTime(state, ['a'], 30 * SECOND, 31.5 * SECOND);
    state = recordImpressions(state, ['a', 'c'], 2);
    expect(Object.fromEntries(state.exposure)).toEqual({
      a: { wallSeconds: 10.5, impressions: 2 },
      b: { wallSeconds: 9, impressions: 0 },
      c: { wallSeconds: 0, impressions: 2 },
    });
    expect(Object.fromEntries(state.firstShownAt)).toEqual({ a: 10 * SECOND, b: 10 * SECOND });
  });
});

describe('sortFreshVoices', () => {
  it('[K4] puts the least exposed first and, with equal exposure, the older post', () => {
    const posts = [post('a', 1), post('b', 2), post('c', 3), post('d', 4)];
    const exposure = {
      a: { wallSeconds: 9, impressions: 3 },
      b: { wallSeconds: 0, impressions: 2 },
      c: { wallSeconds: 0, impressions: 0 },
      d: { wallSeconds: 1, impressions: 1 },
    };
    expect(ids(sortFreshVoices(posts, exposure))).toEqual(['c', 'b', 'd', 'a']);
    // The same from a Map, as the rotation keeps it.
    expect(ids(sortFreshVoices(posts, new Map(Object.entries(exposure))))).toEqual([
      'c',
      'b',
      'd',
      'a',
    ]);
  });
});

describe('the wall rotation', () => {
  const config = { intervalSeconds: 9, slots: 2 };
  const five = [post('p1', 1), post('p2', 2), post('p3', 3), post('p4', 4), post('p5', 5)];

  it('[K5] starts with the oldest posts and keeps them up for the interval', () => {
    let state = nextWallSet(createRotation(config), 0, five);
    expect(state.shown).toEqual(['p1', 'p2']);
    state = nextWallSet(state, 8 * SECOND, five);
    expect(state.shown).toEqual(['p1', 'p2']);
    expect(state.exposure.get('p1')?.wallSeconds).toBe(8);
  });

  it('[K5] advances every interval to posts not yet on the wall, then to the least exposed', () => {
    let state = createRotation(config);
    const seen: string[][] = [];
    for (let turn = 0; turn < 4; turn++) {
      state = nextWallSet(state, turn * 9 * SECOND, five);
      seen.push([...state.shown]);
    }
    // Three turns show all five; the last one shares its turn with the least exposed, oldest
    // first. After that every post but p1 has had one turn, so p1 waits.
    expect(seen.slice(0, 3)).toEqual([
      ['p1', 'p2'],
      ['p3', 'p4'],
      ['p5', 'p1'],
    ]);
    expect(seen[3]).toEqual(['p2', 'p3']);
    expect(state.exposure.get('p1')?.wallSeconds).toBe(18);
  });

  it('[K5] shows a post never on the wall before one that was, however many impressions it has', () => {
    let state = nextWallSet(createRotation({ intervalSeconds: 9, slots: 1 }), 0, [post('a', 1)]);
    const posts = [post('a', 1), post('b', 2)];
    // b is new: phones have shown it hundreds of times, a has had a second on the wall.
    state = recordImpressions(state, ['b'], 500);
    state = nextWallSet(state, 9 * SECOND, posts);
    expect(state.shown).toEqual(['b']);
  });

  it('[K5] lets a hidden or answered post leave at once and fills its slot without restarting the turn', () => {
    let state = nextWallSet(createRotation(config), 0, five);
    const withoutP1 = five.filter((p) => p.id !== 'p1');
    state = nextWallSet(state, 3 * SECOND, withoutP1);
    expect(state.shown).toEqual(['p2', 'p3']);
    expect(state.rotatedAt).toBe(0);
    // The turn still ends at 9 s, not 12 s.
    state = nextWallSet(state, 9 * SECOND, withoutP1);
    expect(state.shown).toEqual(['p4', 'p5']);
  });

  it('[K5] fills a free slot at once when a post is approved', () => {
    let state = nextWallSet(createRotation(config), 0, [post('p1', 1)]);
    expect(state.shown).toEqual(['p1']);
    state = nextWallSet(state, 2 * SECOND, [post('p1', 1), post('p2', 2)]);
    expect(state.shown).toEqual(['p1', 'p2']);
    expect(state.firstShownAt.get('p2')).toBe(2 * SECOND);
  });

  it('[K5] does not list the highlighted post, which accrues its own wall time', () => {
    let state: RotationState = createRotation(config);
    state = nextWallSet(state, 0, five, { exclude: ['p1'] });
    expect(state.shown).toEqual(['p2', 'p3']);
    state = recordWallTime(state, ['p1'], 0, 9 * SECOND);
    expect(state.firstShownAt.get('p1')).toBe(0);
    expect(state.exposure.get('p1')?.wallSeconds).toBe(9);
  });

  it('[K5] shows nothing when nothing is eligible and starts as soon as something is', () => {
    let state = nextWallSet(createRotation(config), 0, []);
    expect(state.shown).toEqual([]);
    state = nextWallSet(state, 1 * SECOND, [post('p1', 1)]);
    expect(state.shown).toEqual(['p1']);
    expect(state.rotatedAt).toBe(1 * SECOND);
  });
});
