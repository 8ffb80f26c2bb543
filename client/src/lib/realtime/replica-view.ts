/**
 * How the streams a principal holds combine into the one list of posts a screen shows. Pure
 * functions, unit-tested in replica-view.test.ts.
 */
import type { OutboxItem } from './outbox.js';
import type { PostWire } from './types.js';

/** A post as the screens see it: the wire view plus whether this device wrote it. */
export type ViewPost = PostWire & { isMine: boolean };

export interface MergeInput {
  public: readonly PostWire[];
  /** Present for staff: then it is the whole truth (it holds every post, in full). */
  staff?: readonly PostWire[] | undefined;
  /** This device's own posts, in full (pending and hidden ones with their reason). */
  private?: readonly PostWire[] | undefined;
  /**
   * Copies the server handed back in acknowledgements or conflicts, possibly newer than what
   * the streams have delivered so far. For attendees only their own posts are taken from it.
   */
  acknowledged?: readonly PostWire[];
  /** Ids of this device's posts known from acknowledgements, before the private stream has them. */
  ownIds?: ReadonlySet<string>;
}

/**
 * Staff see the staff stream. Everyone else sees the public stream with their own posts laid
 * over it, so that an author sees a pending or hidden post of theirs, with its status and
 * reason, that nobody else sees. Where two copies of a post meet, the higher version wins
 * (the streams are independent and one may be a moment behind the other); on a tie the full
 * private copy wins over the public view.
 */
export function mergePosts(input: MergeInput): ViewPost[] {
  const byId = new Map<string, PostWire>();
  const isStaff = input.staff !== undefined;
  for (const post of input.staff ?? input.public) byId.set(post.id, post);
  const own = new Set(input.ownIds ?? []);
  for (const post of input.private ?? []) {
    own.add(post.id);
    if (isStaff) continue;
    const current = byId.get(post.id);
    if (!current || post.version >= current.version) byId.set(post.id, post);
  }
  for (const post of input.acknowledged ?? []) {
    if (!isStaff && !own.has(post.id)) continue;
    const current = byId.get(post.id);
    if (!current || post.version > current.version) byId.set(post.id, post);
  }
  return [...byId.values()]
    .map((post) => ({ ...post, isMine: own.has(post.id) }))
    .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The device's votes as the server knows them, with upvotes still in the outbox laid over. */
export function effectiveVotes(
  acknowledged: Iterable<string>,
  outbox: readonly OutboxItem[],
): Set<string> {
  const votes = new Set(acknowledged);
  for (const item of outbox) {
    if (item.name !== 'post:upvote' || item.state !== 'sending') continue;
    if (item.payload.isOn) votes.add(item.payload.postId);
    else votes.delete(item.payload.postId);
  }
  return votes;
}

/** A small, stable, non-cryptographic hash (FNV-1a) to name storage keys after a token. */
export function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36);
}
