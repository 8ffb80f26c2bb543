/**
 * Sort orders and the wall's fresh-voices rotation (SPEC K1-K6).
 *
 * The municipality's principles ask that likes must not sweep ideas away: a question that
 * arrived late or has few votes must still be seen. "Top" and "New" are the familiar orders;
 * "Fresh voices" puts the least-seen first, and the wall's rotation turns that into a promise:
 * every approved post reaches the wall at least once.
 *
 * Everything here is pure. Times are milliseconds like every other timestamp in core; the
 * caller passes the clock in. Sorting never changes its input; ties always end on the id,
 * so every phone and the wall agree on one order.
 */

/** What ranking needs of a post. Post, PostView and test doubles all fit. */
export interface RankablePost {
  id: string;
  createdAt: number;
}

/** Votes by post id, as the `counts` update carries them. A missing id has none. */
export type VoteCounts = Readonly<Record<string, number>>;

export interface Exposure {
  /** Seconds on the wall, highlighted or listed. */
  wallSeconds: number;
  /** Times the post was in the first screenful of an attendee's list, as counted by the server. */
  impressions: number;
}

/**
 * Exposure by post id: a Map in the rotation's state (copied on every change, and a Map copies
 * several times faster than a large object), or a plain object as it arrives in JSON.
 */
export type ExposureById = ReadonlyMap<string, Exposure> | Readonly<Record<string, Exposure>>;

const isMap = (exposure: ExposureById): exposure is ReadonlyMap<string, Exposure> =>
  exposure instanceof Map;

export function exposureOf(exposure: ExposureById, id: string): Exposure | undefined {
  return isMap(exposure) ? exposure.get(id) : exposure[id];
}

/**
 * [K3] How much one second on the wall and one first-screen impression count. DESIGN.md
 * defines exposure as the plain sum, so both weigh 1. (A second on the wall is seen by the
 * whole room and an impression by one phone; if the attendee lists ever need to weigh the
 * wall more, this is the one place to change. The wall rotation does not depend on it: K5.)
 */
export const EXPOSURE_WEIGHTS = { wallSecond: 1, impression: 1 } as const;

export const NO_EXPOSURE: Exposure = Object.freeze({ wallSeconds: 0, impressions: 0 });

export function exposureScore(exposure: Exposure | undefined): number {
  if (!exposure) return 0;
  return (
    exposure.wallSeconds * EXPOSURE_WEIGHTS.wallSecond +
    exposure.impressions * EXPOSURE_WEIGHTS.impression
  );
}

// The last word of every order: plain code-unit comparison, the same on every device
// (localeCompare could differ between a phone and the server).
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function olderFirst(a: RankablePost, b: RankablePost): number {
  return a.createdAt - b.createdAt || compareIds(a.id, b.id);
}

/** [K1] Top: most votes first; equal votes, the older post first (it has waited longer). */
export function sortTop<T extends RankablePost>(posts: readonly T[], votes: VoteCounts): T[] {
  return [...posts].sort((a, b) => (votes[b.id] ?? 0) - (votes[a.id] ?? 0) || olderFirst(a, b));
}

/** [K2] New: newest first. */
export function sortNew<T extends RankablePost>(posts: readonly T[]): T[] {
  return [...posts].sort((a, b) => b.createdAt - a.createdAt || compareIds(a.id, b.id));
}

/** [K4] Fresh voices: least exposure first; equal exposure, the older post first. */
export function sortFreshVoices<T extends RankablePost>(
  posts: readonly T[],
  exposure: ExposureById,
): T[] {
  const score = (post: RankablePost) => exposureScore(exposureOf(exposure, post.id));
  return [...posts].sort((a, b) => score(a) - score(b) || olderFirst(a, b));
}

// ── The wall's fresh-voices rotation ──────────────────────────────────────────────────────

export interface RotationConfig {
  /** Seconds each set of posts stays up (a session setting). */
  intervalSeconds: number;
  /** Listed posts on the wall at once. The highlighted post is not one of them. */
  slots: number;
}

/** Long enough to read a question aloud from ten metres, short enough to get round a room. */
export const DEFAULT_ROTATION: RotationConfig = { intervalSeconds: 9, slots: 3 };

export interface RotationState {
  readonly config: RotationConfig;
  readonly exposure: ReadonlyMap<string, Exposure>;
  /** When each post first went on the wall. A post not in here has never been on it. */
  readonly firstShownAt: ReadonlyMap<string, number>;
  /** The listed posts on the wall now, in display order. */
  readonly shown: readonly string[];
  /** When the current set went up as a whole; null before the first. */
  readonly rotatedAt: number | null;
  /** Wall time of `shown` is accounted up to this moment. */
  readonly accruedUntil: number | null;
}

/** [K5] [FV2] A whole new set is due: the first turn, or `intervalSeconds` since the last. */
export function isWallDue(state: RotationState, now: number): boolean {
  return state.rotatedAt === null || now - state.rotatedAt >= state.config.intervalSeconds * 1000;
}

/** A rotation with nothing shown yet; `exposure` carries over what phones and earlier turns gave. */
export function createRotation(
  config: RotationConfig = DEFAULT_ROTATION,
  exposure: ReadonlyMap<string, Exposure> = new Map(),
): RotationState {
  return {
    config,
    exposure,
    firstShownAt: new Map(),
    shown: [],
    rotatedAt: null,
    accruedUntil: null,
  };
}

/**
 * [K3] Posts were on the wall from `from` to `to`: add the seconds to their exposure and
 * remember when each first got there. The rotation does this for its own slots; call it for
 * the highlighted post, which the moderator puts up outside the rotation.
 */
export function recordWallTime(
  state: RotationState,
  ids: readonly string[],
  from: number,
  to: number,
): RotationState {
  if (ids.length === 0) return state;
  const seconds = Math.max(0, to - from) / 1000;
  const unique = [...new Set(ids)];
  const exposure = new Map(state.exposure);
  for (const id of unique) {
    const before = exposure.get(id) ?? NO_EXPOSURE;
    exposure.set(id, { ...before, wallSeconds: before.wallSeconds + seconds });
  }
  // Copy the first-shown map only when someone is new to the wall: most calls add nobody.
  let firstShownAt = state.firstShownAt;
  const newcomers = unique.filter((id) => !firstShownAt.has(id));
  if (newcomers.length > 0) {
    const updated = new Map(firstShownAt);
    for (const id of newcomers) updated.set(id, from);
    firstShownAt = updated;
  }
  return { ...state, exposure, firstShownAt };
}

/** [K3] Each id was in the first screenful of an attendee's list `count` more times. */
export function recordImpressions(
  state: RotationState,
  ids: readonly string[],
  count = 1,
): RotationState {
  if (ids.length === 0 || count === 0) return state;
  const exposure = new Map(state.exposure);
  for (const id of ids) {
    const before = exposure.get(id) ?? NO_EXPOSURE;
    exposure.set(id, { ...before, impressions: before.impressions + count });
  }
  return { ...state, exposure };
}

/**
 * [K5] The order in which the wall wants posts: those never on the wall first (oldest
 * first), then fresh voices (least exposure, then oldest).
 *
 * Why not plain fresh voices: exposure includes first-screen impressions. When posts queue up
 * (a burst after the moderator invites questions), the ones waiting keep gaining impressions
 * on the phones, a popular one hundreds a minute, while newer posts arrive with fewer; by the
 * sum alone a waiting post can be overtaken turn after turn. In the K6 simulation that kept
 * posts waiting for minutes and, with another seed, never showed one at all. Never-shown
 * first bounds every wait by the queue ahead of it, whatever the phones do.
 */
function wallOrder<T extends RankablePost>(posts: readonly T[], state: RotationState): T[] {
  const hasBeenShown = (post: T) => state.firstShownAt.has(post.id);
  return [...posts].sort((a, b) => {
    const shownA = hasBeenShown(a);
    const shownB = hasBeenShown(b);
    if (shownA !== shownB) return shownA ? 1 : -1;
    if (!shownA) return olderFirst(a, b);
    return (
      exposureScore(state.exposure.get(a.id)) - exposureScore(state.exposure.get(b.id)) ||
      olderFirst(a, b)
    );
  });
}

export interface WallSetOptions {
  /** Posts that must not be listed, e.g. the highlighted one (it has its own place). */
  exclude?: readonly string[];
}

/**
 * [K5] Advance the wall to `now`. Call it on every tick and whenever the eligible posts
 * change; `state.shown` of the result is what the wall lists.
 *
 * - The time the current set was up is added to its exposure first.
 * - Every `intervalSeconds` a whole new set is picked by the wall order.
 * - Between turns the set stays, except that a post no longer eligible (hidden, answered,
 *   highlighted) leaves at once and a free slot is filled at once, without restarting the
 *   interval for the others.
 *
 * `posts` are the posts that may be listed: approved and not yet answered, in any order.
 */
export function nextWallSet(
  state: RotationState,
  now: number,
  posts: readonly RankablePost[],
  options: WallSetOptions = {},
): RotationState {
  let next = state;
  if (state.accruedUntil !== null && state.shown.length > 0 && now > state.accruedUntil) {
    next = recordWallTime(next, state.shown, state.accruedUntil, now);
  }
  next = { ...next, accruedUntil: now };

  const excluded = new Set(options.exclude ?? []);
  const eligible = posts.filter((post) => !excluded.has(post.id));
  const eligibleIds = new Set(eligible.map((post) => post.id));
  const { slots } = state.config;
  const isDue = isWallDue(next, now);

  let shown: string[];
  let rotatedAt = next.rotatedAt;
  if (isDue) {
    shown = wallOrder(eligible, next)
      .slice(0, slots)
      .map((post) => post.id);
    rotatedAt = eligible.length > 0 ? now : null;
  } else {
    const kept = next.shown.filter((id) => eligibleIds.has(id));
    const keptIds = new Set(kept);
    const fill = wallOrder(
      eligible.filter((post) => !keptIds.has(post.id)),
      next,
    )
      .slice(0, Math.max(0, slots - kept.length))
      .map((post) => post.id);
    shown = [...kept, ...fill];
  }

  // A post counts as having reached the wall the moment it goes up.
  let firstShownAt = next.firstShownAt;
  if (shown.some((id) => !firstShownAt.has(id))) {
    const updated = new Map(firstShownAt);
    for (const id of shown) if (!updated.has(id)) updated.set(id, now);
    firstShownAt = updated;
  }
  return { ...next, shown, rotatedAt, firstShownAt };
}
