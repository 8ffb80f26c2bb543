/**
 * What the projector wall shows, computed from a connection's view (plain functions,
 * unit-tested in views.test.ts). Apart from views.ts so that the attendee page, which shares
 * views.ts, does not load the wall's code (its JavaScript budget: client/e2e/attendee-budget.e2e.ts).
 */
import { WALL_SLOTS, isPublic, wallList } from '@gt/core';
import type { ViewPost } from '../realtime/replica-view.js';
import type { Counts, SessionWire } from '../realtime/types.js';
import { exposureOfCounts } from './views.js';

export type WallMode = SessionWire['settings']['wallMode'];
export type WallOverride = SessionWire['settings']['wallOverride'];

export interface WallView {
  title: string;
  joinCode: string;
  /** What the list under the highlighted post shows (SPEC WL6). */
  mode: WallMode;
  /** none; freeze: the wall keeps what it shows; qr: only how to join. */
  override: WallOverride;
  /** The post shown large; null: nothing highlighted. */
  highlighted: ViewPost | null;
  /** The listed questions, as the mode chooses them; never the highlighted one. */
  next: ViewPost[];
  reactions: Record<string, number>;
  /** Vote counts may be shown (null: the session hides them). */
  votes: Record<string, number> | null;
}

export interface WallOptions {
  /** How many questions are listed under the highlighted one. */
  nextCount?: number;
  /**
   * The list the server's rotation announced last (ids in order), or null before the first
   * one arrives. In 'top' and 'fresh' mode the wall lists these, so every wall of the session
   * shows the same posts and their wall time is counted once, on the server.
   */
  rotation?: readonly string[] | null;
}

/**
 * What the wall shows (SPEC WL6): the highlighted post, and under it the list core's
 * `wallList` makes for the wall mode, the same rule the server's rotation turns the wall by:
 * nothing ('highlight'), pinned posts first and then the server's announced list ('top',
 * 'fresh'; before it arrives the most voted, or the least seen and oldest first) or only
 * pinned posts ('pinned'). Only visible posts are listed: answered ones have had their turn.
 */
export function wallView(
  view: { session: SessionWire | null; posts: readonly ViewPost[]; counts: Counts },
  { nextCount = WALL_SLOTS, rotation = null }: WallOptions = {},
): WallView {
  const settings = view.session?.settings;
  const mode: WallMode = settings?.wallMode ?? 'top';
  const { highlighted, listed } = wallList({
    mode,
    posts: view.posts,
    // Without vote counts (hidden votes) nobody is ranked by numbers the room cannot see.
    votes: view.counts.votes ?? {},
    exposure: exposureOfCounts(view.counts),
    announced: rotation,
    slots: nextCount,
  });
  return {
    title: view.session?.title ?? '',
    joinCode: view.session?.joinCode ?? '',
    mode,
    override: settings?.wallOverride ?? 'none',
    highlighted,
    next: listed,
    reactions: view.counts.reactions,
    votes: view.counts.votes ?? null,
  };
}

/** What a frozen wall holds on to: the posts it showed when the freeze began. */
export interface FrozenWall {
  highlightedId: string | null;
  nextIds: string[];
}

export const freezeOf = (wall: WallView): FrozenWall => ({
  highlightedId: wall.highlighted?.id ?? null,
  nextIds: wall.next.map((p) => p.id),
});

/**
 * A frozen wall (override 'freeze') keeps the posts it showed, whatever is highlighted,
 * voted or rotated meanwhile, and nothing new appears. A post that stops being public still
 * leaves at once (SPEC S6, M2): freezing is for calm, never a way to keep a hidden post up.
 * Corrections to a kept post's text show.
 */
export function frozenWallView(
  live: WallView,
  frozen: FrozenWall,
  posts: readonly ViewPost[],
): WallView {
  const stillPublic = (id: string | null) => {
    const post = id === null ? undefined : posts.find((p) => p.id === id);
    return post && isPublic(post) ? post : null;
  };
  return {
    ...live,
    highlighted: stillPublic(frozen.highlightedId),
    next: frozen.nextIds.flatMap((id) => stillPublic(id) ?? []),
  };
}
