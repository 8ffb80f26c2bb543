/**
 * What the moderator console shows, computed from a connection's view (plain functions,
 * unit-tested in views.test.ts). Apart from views.ts so that the attendee page, which shares
 * views.ts, does not load the console's code (its JavaScript budget: client/e2e/attendee-budget.e2e.ts).
 */
import { foldForMatching, isPublic } from '@gt/core';
import type { PostStatus } from '@gt/core';
import type { ViewPost } from '../realtime/replica-view.js';
import type { Counts } from '../realtime/types.js';
import { newestFirst, oldestFirst, sortTop, votesOf } from './views.js';

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
export const isLive = (post: ViewPost) => (post.isHighlighted || post.isPinned) && isPublic(post);

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
