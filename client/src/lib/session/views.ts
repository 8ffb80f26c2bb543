/**
 * What each screen shows, computed from a connection's view: plain functions, so the state
 * classes (*.svelte.ts) only derive from them and the rules are unit-tested without Svelte.
 *
 * Fairness (DESIGN "Fair visibility", seed section 5): "top" must not bury a late question,
 * so ties go to the older post, "new" and "fresh voices" are always one tap away, and where
 * vote counts are hidden nothing is ordered by them. The orders themselves are core's
 * (SPEC K1, K2, K4); the screens put pinned posts first.
 */
import { foldForMatching, sortFreshVoices, sortNew as rankNew, sortTop as rankTop } from '@gt/core';
import type { ExposureById, PostStatus } from '@gt/core';
import type { OutboxItem } from '../realtime/outbox.js';
import type { ViewPost } from '../realtime/replica-view.js';
import type { Counts, SessionWire } from '../realtime/types.js';

export const POST_ORDERS = ['top', 'new', 'fresh'] as const;
/** "Top", "New", "Fresh voices" (SPEC K1, K2, K4). */
export type PostOrder = (typeof POST_ORDERS)[number];

export const isPostOrder = (value: unknown): value is PostOrder =>
  (POST_ORDERS as readonly unknown[]).includes(value);

/** The post's vote count, or null when the session hides counts from this principal. */
export function votesOf(counts: Counts, postId: string): number | null {
  return counts.votes ? (counts.votes[postId] ?? 0) : null;
}

/**
 * Exposure per post as the counts carry it (DESIGN "Fair visibility"); none yet counts as 0,
 * so "fresh voices" is then oldest first.
 */
export function exposureOfCounts(counts: Counts): ExposureById {
  // The counts carry each post's exposure score (FV3); core's order reads an Exposure, whose
  // score is the plain sum, so the score as wall seconds orders the same.
  const out: Record<string, { wallSeconds: number; impressions: number }> = {};
  for (const [id, score] of Object.entries(counts.exposure ?? {}))
    out[id] = { wallSeconds: score, impressions: 0 };
  return out;
}

const byId = (a: ViewPost, b: ViewPost) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const oldestFirst = (a: ViewPost, b: ViewPost) => a.createdAt - b.createdAt || byId(a, b);
const newestFirst = (a: ViewPost, b: ViewPost) => b.createdAt - a.createdAt || byId(a, b);

/** Pinned posts go first in every order; within each group the order is kept (stable). */
function pinnedFirst(posts: ViewPost[]): ViewPost[] {
  return [...posts.filter((p) => p.isPinned), ...posts.filter((p) => !p.isPinned)];
}

/**
 * Pinned posts first, then by votes (more first, ties to the older post). Without vote
 * counts (hidden votes) that is oldest first, so nobody is ranked by numbers they cannot see.
 */
export function sortTop(posts: readonly ViewPost[], counts: Counts): ViewPost[] {
  return pinnedFirst(rankTop(posts, counts.votes ?? {}));
}

/** Pinned posts first, then newest first. */
export function sortNew(posts: readonly ViewPost[]): ViewPost[] {
  return pinnedFirst(rankNew(posts));
}

/** Pinned posts first, then the least seen first; equal exposure, the older post first. */
export function sortFresh(posts: readonly ViewPost[], counts: Counts): ViewPost[] {
  return pinnedFirst(sortFreshVoices(posts, exposureOfCounts(counts)));
}

export function sortPosts(
  posts: readonly ViewPost[],
  order: PostOrder,
  counts: Counts,
): ViewPost[] {
  if (order === 'new') return sortNew(posts);
  if (order === 'fresh') return sortFresh(posts, counts);
  return sortTop(posts, counts);
}

/** What the list shows, and what waits behind the "3 new" button. */
export interface HeldList {
  shown: ViewPost[];
  held: ViewPost[];
}

/**
 * The list does not move under the reader's thumb: it keeps the posts and the order it had
 * when the reader last sorted or revealed (`frozen`, ids in order). Newly arrived posts wait
 * in `held` until the reader asks for them; posts that left (hidden, withdrawn) leave at
 * once; the reader's own new posts appear at once, where the current order puts them among
 * the shown ones. Counts and statuses inside the shown posts stay live.
 */
export function holdBack(sorted: readonly ViewPost[], frozen: readonly string[]): HeldList {
  const rank = new Map(sorted.map((post, index) => [post.id, index]));
  const kept = new Set(frozen);
  const shown = frozen.flatMap((id) => {
    const index = rank.get(id);
    return index === undefined ? [] : [sorted[index] as ViewPost];
  });
  const held: ViewPost[] = [];
  for (const post of sorted) {
    if (kept.has(post.id)) continue;
    if (!post.isMine) {
      held.push(post);
      continue;
    }
    const mine = rank.get(post.id) ?? 0;
    const before = shown.findIndex((other) => (rank.get(other.id) ?? 0) > mine);
    shown.splice(before === -1 ? shown.length : before, 0, post);
  }
  return { shown, held };
}

/** Posts everyone in the room may see (an author's own pending or hidden ones are left out). */
export function publicPosts(posts: readonly ViewPost[]): ViewPost[] {
  return posts.filter((p) => p.status === 'visible' || p.status === 'answered');
}

/** Posts whose upvote (or its withdrawal) is still in the outbox, not yet acknowledged. */
export function pendingVotes(outbox: readonly OutboxItem[]): ReadonlySet<string> {
  return new Set(
    outbox.flatMap((item) =>
      item.name === 'post:upvote' && item.state === 'sending' ? [item.payload.postId] : [],
    ),
  );
}

/** Posts the duplicate hint may offer instead of a new one: open for votes, someone else's. */
export function hintCandidates(posts: readonly ViewPost[]): ViewPost[] {
  return posts.filter((p) => p.status === 'visible' && !p.isMine);
}

/** One line of "my posts": a post the server has, or one still in (or stuck in) the outbox. */
export type OwnEntry =
  | { kind: 'post'; post: ViewPost }
  | { kind: 'outbox'; item: Extract<OutboxItem, { name: 'post:create' }> };

/**
 * The attendee's own posts with their status (and the hide reason), newest first, after the
 * ones not yet acknowledged ('sending') or refused ('failed'), so nothing typed disappears.
 */
export function ownPosts(posts: readonly ViewPost[], outbox: readonly OutboxItem[]): OwnEntry[] {
  const unsent: OwnEntry[] = outbox
    .filter((item) => item.name === 'post:create')
    .sort((a, b) => b.createdAt - a.createdAt)
    .map((item) => ({ kind: 'outbox', item }));
  const sent: OwnEntry[] = posts
    .filter((p) => p.isMine)
    .sort(newestFirst)
    .map((post) => ({ kind: 'post', post }));
  return [...unsent, ...sent];
}

export interface ModerationQueue {
  /** Waiting for a decision, oldest first: first come, first served. */
  pending: ViewPost[];
  /** On the attendees' phones: pinned, then by votes (as attendees see "top"). */
  visible: ViewPost[];
  /** Dealt with, most recently answered first. */
  answered: ViewPost[];
  /** Removed, most recently hidden first (to restore a mistake quickly). */
  hidden: ViewPost[];
  counts: Record<PostStatus, number>;
  highlighted: ViewPost | null;
}

const recentlyChangedFirst = (a: ViewPost, b: ViewPost) =>
  b.updatedAt - a.updatedAt || newestFirst(a, b);

export function moderationQueue(posts: readonly ViewPost[], counts: Counts): ModerationQueue {
  const of = (status: PostStatus) => posts.filter((p) => p.status === status);
  const pending = of('pending').sort(oldestFirst);
  const visible = sortTop(of('visible'), counts);
  const answered = of('answered').sort(recentlyChangedFirst);
  const hidden = of('hidden').sort(recentlyChangedFirst);
  return {
    pending,
    visible,
    answered,
    hidden,
    counts: {
      pending: pending.length,
      visible: visible.length,
      answered: answered.length,
      hidden: hidden.length,
    },
    highlighted: posts.find((p) => p.isHighlighted) ?? null,
  };
}

/** The console's tabs: the four statuses, and "live" (on the wall now: highlighted or pinned). */
export const CONSOLE_TABS = ['pending', 'visible', 'answered', 'hidden', 'live'] as const;
export type ConsoleTab = (typeof CONSOLE_TABS)[number];
/** time: the tab's own order (see ModerationQueue); votes: most first; exposure: least first. */
export const CONSOLE_SORTS = ['time', 'votes', 'exposure'] as const;
export type ConsoleSort = (typeof CONSOLE_SORTS)[number];

export function isConsoleTab(value: unknown): value is ConsoleTab {
  return (CONSOLE_TABS as readonly unknown[]).includes(value);
}

/**
 * A post's exposure score (DESIGN "Fair visibility", SPEC K3, FV3) as the counts carry it (a
 * post never seen is absent: 0), or null when the counts carry no exposure at all (a server
 * without it): then the console offers no exposure sort and shows none.
 */
export function exposureOf(counts: Counts, postId: string): number | null {
  return counts.exposure ? (counts.exposure[postId] ?? 0) : null;
}

export function hasExposure(counts: Counts): boolean {
  return counts.exposure !== undefined;
}

/** A post is "live" while the room can see it featured: highlighted on the wall, or pinned. */
export const isLive = (post: ViewPost) =>
  (post.isHighlighted || post.isPinned) &&
  (post.status === 'visible' || post.status === 'answered');

/**
 * Does the post match what the moderator typed? Folded (D1: case, accents, æ/ae, å/aa), so
 * "aarhus" finds "Århus"; every typed word must occur in the text, the author's name or an
 * earlier wording.
 */
export function matchesSearch(post: ViewPost, search: string): boolean {
  const words = foldForMatching(search).split(' ').filter(Boolean);
  if (words.length === 0) return true;
  const haystack = foldForMatching(
    [post.text, post.displayName ?? '', ...post.history.map((h) => h.text)].join(' '),
  );
  return words.every((word) => haystack.includes(word));
}

export interface ConsoleQuery {
  tab: ConsoleTab;
  search: string;
  sort: ConsoleSort;
  /** Only posts tagged with this topic ('' or absent: any). */
  topicId?: string;
  /** Only posts directed to this panel member ('' or absent: any). */
  panelMemberId?: string;
}

export interface ConsoleList {
  posts: ViewPost[];
  /** Posts per tab, before the search narrows the list (the tabs show these). */
  counts: Record<ConsoleTab, number>;
  /** How many posts of the tab the search and filters left out. */
  filteredOut: number;
}

/**
 * The console's list for one tab: the tab's posts, narrowed by the search, in the chosen order.
 * "time" keeps each tab's own order (pending oldest first, first come first served; answered
 * and hidden most recent first); live is oldest first. "votes" without vote counts, and
 * "exposure" without exposure, fall back to "time" rather than ranking by nothing.
 */
export function consoleList(
  posts: readonly ViewPost[],
  counts: Counts,
  query: ConsoleQuery,
): ConsoleList {
  const queue = moderationQueue(posts, counts);
  const live = posts.filter(isLive).sort(oldestFirst);
  const byTab: Record<ConsoleTab, ViewPost[]> = {
    pending: queue.pending,
    visible: [...queue.visible].sort(oldestFirst),
    answered: queue.answered,
    hidden: queue.hidden,
    live,
  };
  const all = byTab[query.tab];
  const found = all.filter(
    (post) =>
      matchesSearch(post, query.search) &&
      (!query.topicId || post.topicId === query.topicId) &&
      (!query.panelMemberId || post.directedTo === query.panelMemberId),
  );
  let sorted = found;
  if (query.sort === 'votes' && counts.votes) {
    const votes = (post: ViewPost) => votesOf(counts, post.id) ?? 0;
    sorted = [...found].sort((a, b) => votes(b) - votes(a) || oldestFirst(a, b));
  } else if (query.sort === 'exposure' && hasExposure(counts)) {
    const exposure = (post: ViewPost) => exposureOf(counts, post.id) ?? 0;
    sorted = [...found].sort((a, b) => exposure(a) - exposure(b) || oldestFirst(a, b));
  }
  return {
    posts: sorted,
    counts: {
      pending: queue.counts.pending,
      visible: queue.counts.visible,
      answered: queue.counts.answered,
      hidden: queue.counts.hidden,
      live: live.length,
    },
    filteredOut: all.length - found.length,
  };
}

/** Whole minutes since `since` (a post's waiting time), never negative. */
export function minutesSince(since: number, now: number): number {
  return Math.max(0, Math.floor((now - since) / 60_000));
}

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
