import { describe, expect, it } from 'vitest';
import type { PostStatus } from './post.js';
import { createRotation, isWallDue } from './ranking.js';
import { WALL_MODES } from './session.js';
import type { Exposure } from './ranking.js';
import {
  WALL_SLOTS,
  createWallState,
  isListable,
  isRotatingWallMode,
  turnWall,
  wallHighlight,
  wallList,
} from './wall.js';
import type { WallListInput, WallPost, WallState } from './wall.js';

const SECOND = 1000;
const post = (id: string, createdAt: number, change: Partial<WallPost> = {}): WallPost => ({
  id,
  createdAt,
  status: 'visible',
  isHighlighted: false,
  isPinned: false,
  ...change,
});
const ids = (posts: readonly { id: string }[]) => posts.map((p) => p.id);

/** A room: one highlighted post, one pinned, three plain ones, and some that are never listed. */
const room = [
  post('big', 1, { isHighlighted: true }),
  post('old', 2),
  post('popular', 3),
  post('pinned', 4, { isPinned: true }),
  post('new', 5),
  post('done', 6, { status: 'answered' }),
  post('gone', 7, { status: 'hidden', isPinned: true }),
  post('waiting', 8, { status: 'pending' }),
];
const list = (input: Partial<WallListInput<WallPost>> & Pick<WallListInput<WallPost>, 'mode'>) =>
  wallList({ posts: room, votes: { popular: 9 }, announced: null, ...input });

describe('wallList', () => {
  it('[WL6] "highlight": the highlighted post alone, and no wall time counted', () => {
    const wall = list({ mode: 'highlight' });
    expect(wall.highlighted?.id).toBe('big');
    expect(wall.listed).toEqual([]);
    expect(wall.exposed).toEqual([]);
  });

  it('[WL6] "pinned": only the listable pinned posts, most voted first', () => {
    const posts = [...room, post('pinned-2', 9, { isPinned: true })];
    expect(ids(list({ mode: 'pinned', posts }).listed)).toEqual(['pinned', 'pinned-2']);
    expect(ids(list({ mode: 'pinned', posts, votes: { 'pinned-2': 1 } }).listed)).toEqual([
      'pinned-2',
      'pinned',
    ]);
    expect(list({ mode: 'pinned' }).exposed).toEqual([]);
  });

  it('[WL6] [K1] "top" before the first turn: pinned first, then the most voted; never the highlighted, answered, hidden or pending ones', () => {
    expect(ids(list({ mode: 'top' }).listed)).toEqual(['pinned', 'popular', 'old']);
  });

  it('[WL6] [K4] "fresh" before the first turn: pinned first, then the least seen, oldest first; votes do not count', () => {
    const seen: Record<string, Exposure> = { old: { wallSeconds: 30, impressions: 2 } };
    expect(ids(list({ mode: 'fresh', exposure: seen }).listed)).toEqual([
      'pinned',
      'popular',
      'new',
    ]);
  });

  it('[WL6] [FV2] with an announced list: exactly its posts in its order, less those no longer listable, pinned ones first', () => {
    const announced = ['new', 'done', 'old', 'big', 'unknown'];
    for (const mode of ['top', 'fresh'] as const) {
      expect(ids(list({ mode, announced }).listed), mode).toEqual(['pinned', 'new', 'old']);
      expect(ids(list({ mode, announced, posts: room.slice(0, 3) }).listed)).toEqual(['old']);
    }
  });

  it('[WL6] a post pinned after the announcement goes first at once and pushes the last one off', () => {
    const posts = room.map((p) =>
      p.id === 'new' ? { ...p, isPinned: true } : p.id === 'pinned' ? { ...p, isPinned: false } : p,
    );
    const wall = list({ mode: 'fresh', posts, announced: ['pinned', 'old', 'popular'] });
    expect(ids(wall.listed)).toEqual(['new', 'pinned', 'old']);
  });

  it('[WL6] lists at most the slots, pinned posts taking them first', () => {
    const pins = ['p1', 'p2', 'p3', 'p4'].map((id, i) => post(id, 10 + i, { isPinned: true }));
    const posts = [...room, ...pins];
    expect(ids(list({ mode: 'top', posts }).listed)).toEqual(['pinned', 'p1', 'p2']);
    expect(list({ mode: 'top', posts, slots: 5 }).listed).toHaveLength(5);
    expect(list({ mode: 'top', slots: 0 }).listed).toEqual([]);
    expect(WALL_SLOTS).toBe(3);
  });

  it('[FV3] in the rotating modes the highlighted and every listed post, pinned ones included, earn wall time', () => {
    expect(list({ mode: 'top' }).exposed).toEqual(['big', 'pinned', 'popular', 'old']);
    expect(list({ mode: 'fresh', posts: room.slice(1) }).exposed).toEqual([
      'pinned',
      'old',
      'popular',
    ]);
    expect(WALL_MODES.filter(isRotatingWallMode)).toEqual(['top', 'fresh']);
  });

  it('[P3] [WL6] a highlighted post is shown large only while it is public; answered posts are shown but never listed', () => {
    const statuses: [PostStatus, boolean, boolean][] = [
      ['pending', false, false],
      ['visible', true, true],
      ['answered', true, false],
      ['hidden', false, false],
    ];
    for (const [status, isShownLarge, isListed] of statuses) {
      const highlighted = post('h', 1, { status, isHighlighted: true });
      expect(wallHighlight([highlighted])?.id ?? null, status).toBe(isShownLarge ? 'h' : null);
      expect(isListable({ ...highlighted, isHighlighted: false }), status).toBe(isListed);
      expect(isListable(highlighted)).toBe(false);
    }
  });
});

describe('turnWall', () => {
  const T0 = 1_000_000;
  const start = (intervalSeconds = 10): WallState =>
    createWallState(createRotation({ intervalSeconds, slots: WALL_SLOTS }));
  const plain = ['a', 'b', 'c', 'd', 'e'].map((id, i) => post(id, i + 1));

  it('[FV2] [K5] "fresh": the pinned post keeps the first slot while the rotation turns the others', () => {
    const posts = [post('pin', 0, { isPinned: true }), ...plain];
    const first = turnWall(start(), { mode: 'fresh', posts, votes: {}, now: T0 });
    expect(first.state.rotation.shown).toEqual(['pin', 'a', 'b']);
    const between = turnWall(first.state, {
      mode: 'fresh',
      posts,
      votes: {},
      now: T0 + 5 * SECOND,
    });
    expect(between.state.rotation.shown).toEqual(['pin', 'a', 'b']);
    const second = turnWall(between.state, {
      mode: 'fresh',
      posts,
      votes: {},
      now: T0 + 10 * SECOND,
    });
    expect(ids(second.list.listed)).toEqual(['pin', 'c', 'd']);
    expect(second.state.rotation.rotatedAt).toBe(T0 + 10 * SECOND);
  });

  it('[FV3] a pinned post on the wall earns wall-seconds, as do the highlighted and the listed posts, in both rotating modes', () => {
    const posts = [
      post('pin', 9, { isPinned: true }),
      post('big', 0, { isHighlighted: true }),
      ...plain,
    ];
    for (const mode of ['fresh', 'top'] as const) {
      const first = turnWall(start(), { mode, posts, votes: {}, now: T0 });
      const later = turnWall(first.state, { mode, posts, votes: {}, now: T0 + 4 * SECOND });
      const exposure = later.state.rotation.exposure;
      for (const id of ['pin', 'big', 'a', 'b'])
        expect(exposure.get(id)?.wallSeconds, `${mode} ${id}`).toBe(4);
      expect(exposure.get('c'), mode).toBeUndefined();
      expect(later.state.rotation.firstShownAt.get('pin'), mode).toBe(T0);
    }
  });

  it('[FV2] [K1] "top": the most voted after the pinned posts, re-sorted only when a turn is due', () => {
    const posts = [post('pin', 9, { isPinned: true }), ...plain];
    const first = turnWall(start(), { mode: 'top', posts, votes: { d: 3, c: 1 }, now: T0 });
    expect(first.state.rotation.shown).toEqual(['pin', 'd', 'c']);
    const votes = { d: 3, c: 1, e: 7 };
    const between = turnWall(first.state, { mode: 'top', posts, votes, now: T0 + SECOND });
    expect(between.state.rotation.shown).toEqual(['pin', 'd', 'c']);
    expect(isWallDue(between.state.rotation, T0 + 10 * SECOND)).toBe(true);
    const due = turnWall(between.state, { mode: 'top', posts, votes, now: T0 + 10 * SECOND });
    expect(due.state.rotation.shown).toEqual(['pin', 'e', 'd']);
  });

  it('[FV2] [K5] between turns a listed post that leaves is replaced at once, in both rotating modes, and keeps the time it was up', () => {
    for (const mode of ['fresh', 'top'] as const) {
      const first = turnWall(start(), { mode, posts: plain, votes: {}, now: T0 });
      expect(first.state.rotation.shown, mode).toEqual(['a', 'b', 'c']);
      const posts = plain.map((p) => (p.id === 'b' ? { ...p, status: 'answered' as const } : p));
      const after = turnWall(first.state, { mode, posts, votes: {}, now: T0 + 2 * SECOND });
      expect(after.state.rotation.shown, mode).toEqual(['a', 'c', 'd']);
      expect(after.state.rotation.rotatedAt, mode).toBe(T0);
      expect(after.state.rotation.exposure.get('b')?.wallSeconds, mode).toBe(2);
    }
  });

  it('[WL6] a post pinned between turns goes first at once; the one it pushes off earns no more time', () => {
    const first = turnWall(start(), { mode: 'fresh', posts: plain, votes: {}, now: T0 });
    const posts = plain.map((p) => (p.id === 'e' ? { ...p, isPinned: true } : p));
    const pinned = turnWall(first.state, { mode: 'fresh', posts, votes: {}, now: T0 + SECOND });
    expect(pinned.state.rotation.shown).toEqual(['e', 'a', 'b']);
    const later = turnWall(pinned.state, { mode: 'fresh', posts, votes: {}, now: T0 + 3 * SECOND });
    expect(later.state.rotation.exposure.get('c')?.wallSeconds).toBe(1);
    expect(later.state.rotation.exposure.get('e')?.wallSeconds).toBe(2);
  });
});
