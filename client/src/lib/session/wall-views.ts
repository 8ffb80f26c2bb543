/**
 * What the projector wall shows, computed from a connection's view (plain functions,
 * unit-tested in views.test.ts). Apart from views.ts so that the attendee page, which shares
 * views.ts, does not load the wall's code (its JavaScript budget: client/e2e/attendee-budget.e2e.ts).
 */
import { sortFreshVoices } from '@gt/core';
import type { ViewPost } from '../realtime/replica-view.js';
import type { Counts, SessionWire } from '../realtime/types.js';
import { exposureOfCounts, sortTop } from './views.js';

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
   * The server's fresh-voices rotation (ids in the order it sent them), or null before the
   * first one arrives. In 'fresh' mode the wall lists exactly these, so every wall of the
   * session shows the same posts and exposure is counted once, on the server.
   */
  rotation?: readonly string[] | null;
}

const isPublic = (p: ViewPost) => p.status === 'visible' || p.status === 'answered';

/**
 * What the wall shows (SPEC WL6): the highlighted post, and under it per wall mode nothing
 * ('highlight'), the most-voted ('top', pinned first), the server's fresh-voices rotation
 * ('fresh'; until the first turn arrives, the least seen and oldest first, as K4 orders
 * them) or only pinned posts ('pinned'). Only visible posts are listed: answered ones have
 * had their turn.
 */
export function wallView(
  view: { session: SessionWire | null; posts: readonly ViewPost[]; counts: Counts },
  { nextCount = 3, rotation = null }: WallOptions = {},
): WallView {
  const settings = view.session?.settings;
  const mode: WallMode = settings?.wallMode ?? 'top';
  const highlighted = view.posts.find((p) => p.isHighlighted && isPublic(p)) ?? null;
  const waiting = view.posts.filter((p) => p.status === 'visible' && p.id !== highlighted?.id);
  const limit = Math.max(0, nextCount);
  let next: ViewPost[];
  if (mode === 'highlight') next = [];
  else if (mode === 'pinned')
    next = sortTop(
      waiting.filter((p) => p.isPinned),
      view.counts,
    );
  else if (mode === 'fresh')
    next = rotation
      ? rotation.flatMap((id) => waiting.find((p) => p.id === id) ?? [])
      : sortFreshVoices(waiting, exposureOfCounts(view.counts));
  else next = sortTop(waiting, view.counts);
  return {
    title: view.session?.title ?? '',
    joinCode: view.session?.joinCode ?? '',
    mode,
    override: settings?.wallOverride ?? 'none',
    highlighted,
    next: next.slice(0, limit),
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
