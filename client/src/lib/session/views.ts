/**
 * What each screen shows, computed from a connection's view: plain functions, so the state
 * classes (*.svelte.ts) only derive from them and the rules are unit-tested without Svelte.
 *
 * Fairness (DESIGN "Fair visibility", seed section 5): "top" must not bury a late question,
 * so ties go to the older post, "new" and "fresh voices" are always one tap away, and where
 * vote counts are hidden nothing is ordered by them. The orders themselves are core's
 * (SPEC K1, K2, K4); the screens put pinned posts first.
 */
import { isPublic, sortFreshVoices, sortNew as rankNew, sortTop as rankTop } from '@gt/core';
import type { ExposureById } from '@gt/core';
import type { OutboxItem } from '../realtime/outbox.js';
import type { ViewPost } from '../realtime/replica-view.js';
import type { Counts } from '../realtime/types.js';

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
/** Oldest first, ties by id (shared with the console's and the wall's views). */
export const oldestFirst = (a: ViewPost, b: ViewPost) => a.createdAt - b.createdAt || byId(a, b);
export const newestFirst = (a: ViewPost, b: ViewPost) => b.createdAt - a.createdAt || byId(a, b);

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
  return posts.filter(isPublic);
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
