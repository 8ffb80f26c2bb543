/**
 * The projector wall's list (SPEC WL6, FV2, FV3, K5): which posts it lists under the
 * highlighted one, in which order, and which posts earn wall time while they are up.
 *
 * One rule for both sides. The server turns the wall with `turnWall`, counts the wall time and
 * announces the list (`wall:rotation`); every wall shows `wallList` of the posts it holds and
 * the list it last heard. So all walls of a session show the same posts, and the seconds the
 * server adds to a post's exposure are seconds it really was on the wall.
 *
 * Pinned posts come first in every mode that lists posts: pinning is the moderator saying
 * "keep this in view", and the people in the hall should not lose a pinned question because
 * it has few votes ("top") or because it has been seen enough ("fresh"). The rotation fills
 * the slots the pinned posts leave.
 */
import { isPublic } from './post.js';
import type { PostStatus } from './post.js';
import { isWallDue, nextWallSet, recordWallTime, sortFreshVoices, sortTop } from './ranking.js';
import type { ExposureById, RankablePost, RotationState, VoteCounts } from './ranking.js';
import type { WallMode } from './session.js';

/** Listed posts besides the highlighted one: readable from ten metres on a 1280×720 wall. */
export const WALL_SLOTS = 3;

/** What the wall needs of a post. Post, the client's view of a post and test doubles all fit. */
export interface WallPost extends RankablePost {
  status: PostStatus;
  isHighlighted: boolean;
  isPinned: boolean;
}

/** The modes whose list the server turns, and whose wall time it counts (FV2, FV3). */
export type RotatingWallMode = 'top' | 'fresh';

export interface WallListInput<T extends WallPost> {
  mode: WallMode;
  posts: readonly T[];
  /**
   * Votes by post id, as the room sees them: a session that hides its vote counts passes none,
   * so "top" is then oldest first and nobody is ranked by numbers the room cannot see.
   */
  votes: VoteCounts;
  /**
   * The list the server announced last (ids in order), or null before its first turn. In the
   * rotating modes the wall lists these, so every wall shows what the server counts.
   */
  announced: readonly string[] | null;
  /** Exposure by post id: orders fresh voices (K4) until the server's first turn. */
  exposure?: ExposureById;
  slots?: number;
}

export interface WallList<T extends WallPost> {
  /** The post shown large; null: nothing highlighted. */
  highlighted: T | null;
  /** The listed posts in display order, never the highlighted one, at most `slots`. */
  listed: T[];
  /**
   * [FV3] The posts whose seconds on the wall count as their exposure: the highlighted and
   * the listed ones (pinned included) in the rotating modes; none in the others, which the
   * server does not turn.
   */
  exposed: string[];
}

interface ModeRule {
  isRotating: boolean;
  listsPinned: boolean;
  /** The unpinned posts listed after the pinned ones, best first, before the slots cut. */
  others<T extends WallPost>(posts: readonly T[], input: WallListInput<T>): readonly T[];
}

const NONE = () => [];

/** [WL6] What each wall mode lists. */
const MODES: Record<WallMode, ModeRule> = {
  highlight: { isRotating: false, listsPinned: false, others: NONE },
  pinned: { isRotating: false, listsPinned: true, others: NONE },
  top: {
    isRotating: true,
    listsPinned: true,
    others: (posts, { announced, votes }) =>
      announced ? inOrderOf(announced, posts) : sortTop(posts, votes),
  },
  fresh: {
    isRotating: true,
    listsPinned: true,
    others: (posts, { announced, exposure }) =>
      announced ? inOrderOf(announced, posts) : sortFreshVoices(posts, exposure ?? {}),
  },
};

export const isRotatingWallMode = (mode: WallMode): mode is RotatingWallMode =>
  MODES[mode].isRotating;

/** [WL6] The post the wall shows large: the highlighted one, while it is public. */
export function wallHighlight<T extends WallPost>(posts: readonly T[]): T | null {
  return posts.find((post) => post.isHighlighted && isPublic(post)) ?? null;
}

/**
 * [WL6] [K5] A post the wall may list: public, not yet answered (answered posts have had their
 * turn) and not the highlighted post (it has its own place).
 */
export function isListable(post: WallPost): boolean {
  return isPublic(post) && post.status !== 'answered' && !post.isHighlighted;
}

/** The posts named by `ids` that are among `posts`, in the order of `ids`. */
function inOrderOf<T extends WallPost>(ids: readonly string[], posts: readonly T[]): T[] {
  const byId = new Map(posts.map((post) => [post.id, post]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/**
 * [WL6] What the wall lists: per mode nothing ('highlight'), the pinned posts only
 * ('pinned'), or the pinned posts and after them the server's announced list ('top', 'fresh';
 * before the first announcement the most voted, K1, or the least seen, K4). Pinned posts are
 * in K1 order among themselves. A post that stops being listable leaves at once, whatever
 * the announcement said.
 */
export function wallList<T extends WallPost>(input: WallListInput<T>): WallList<T> {
  const rule = MODES[input.mode];
  const slots = Math.max(0, input.slots ?? WALL_SLOTS);
  const highlighted = wallHighlight(input.posts);
  const listable = input.posts.filter(isListable);
  const pinned = rule.listsPinned
    ? sortTop(
        listable.filter((post) => post.isPinned),
        input.votes,
      )
    : [];
  const others = rule.others(
    listable.filter((post) => !post.isPinned),
    input,
  );
  const listed = [...pinned, ...others].slice(0, slots);
  const exposed = rule.isRotating
    ? [...(highlighted ? [highlighted.id] : []), ...listed.map((post) => post.id)]
    : [];
  return { highlighted, listed, exposed };
}

// ── The server's turns ────────────────────────────────────────────────────────────────────

export interface WallState {
  /** `shown` is the list of the last turn, in display order (pinned posts included). */
  readonly rotation: RotationState;
  /** The posts of the last turn that earn wall time (`WallList.exposed`). */
  readonly exposed: readonly string[];
}

export function createWallState(rotation: RotationState): WallState {
  return { rotation, exposed: [] };
}

export interface WallTurnInput<T extends WallPost> {
  mode: RotatingWallMode;
  posts: readonly T[];
  /** As in `wallList`: the votes the room sees. */
  votes: VoteCounts;
  now: number;
}

/**
 * [FV2] [FV3] [K5] Turn the wall to `now`; call it at every turn and whenever the public posts
 * changed.
 *
 * - The posts the last list exposed (its listed posts and the highlighted one) earn the time
 *   since the last call, whether or not they are still up.
 * - The listable pinned posts take the first slots, in K1 order.
 * - The other slots turn every `intervalSeconds`: 'fresh' by the K5 rotation, 'top' by K1.
 *   Between turns a post that stops being listable leaves and a free slot is filled at once,
 *   without restarting the interval.
 */
export function turnWall<T extends WallPost>(
  state: WallState,
  input: WallTurnInput<T>,
): { state: WallState; list: WallList<T> } {
  const { mode, now, votes } = input;
  const { config } = state.rotation;
  let rotation = state.rotation;
  if (rotation.accruedUntil !== null && now > rotation.accruedUntil)
    rotation = recordWallTime(rotation, state.exposed, rotation.accruedUntil, now);
  rotation = { ...rotation, accruedUntil: now };

  const listable = input.posts.filter(isListable);
  const pinnedCount = Math.min(listable.filter((post) => post.isPinned).length, config.slots);
  const others = listable.filter((post) => !post.isPinned);
  const otherIds = new Set(others.map((post) => post.id));
  // The rotation sees only the slots the pinned posts leave, and only its own posts.
  const rotating: RotationState = {
    ...rotation,
    config: { ...config, slots: config.slots - pinnedCount },
    shown: rotation.shown.filter((id) => otherIds.has(id)),
  };
  const turned =
    mode === 'fresh' ? nextWallSet(rotating, now, others) : topTurn(rotating, now, others, votes);

  const list = wallList({ mode, posts: input.posts, votes, announced: turned.shown });
  const listedIds = list.listed.map((post) => post.id);
  return {
    state: {
      rotation: {
        ...turned,
        config,
        shown: listedIds,
        firstShownAt: withFirstShown(turned.firstShownAt, list.exposed, now),
      },
      exposed: list.exposed,
    },
    list,
  };
}

/** [FV2] Top votes: re-sorted by K1 at every turn; between turns kept, a free slot filled. */
function topTurn(
  state: RotationState,
  now: number,
  posts: readonly WallPost[],
  votes: VoteCounts,
): RotationState {
  const slots = state.config.slots;
  const best = sortTop(posts, votes).map((post) => post.id);
  if (isWallDue(state, now)) return { ...state, shown: best.slice(0, slots), rotatedAt: now };
  const kept = new Set(state.shown);
  const fill = best.filter((id) => !kept.has(id)).slice(0, Math.max(0, slots - kept.size));
  return { ...state, shown: [...state.shown, ...fill] };
}

/** A post counts as having reached the wall the moment it goes up (K5's "never shown"). */
function withFirstShown(
  firstShownAt: ReadonlyMap<string, number>,
  ids: readonly string[],
  now: number,
): ReadonlyMap<string, number> {
  if (ids.every((id) => firstShownAt.has(id))) return firstShownAt;
  const updated = new Map(firstShownAt);
  for (const id of ids) if (!updated.has(id)) updated.set(id, now);
  return updated;
}
