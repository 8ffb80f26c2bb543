/**
 * The memory store's posts (PostStore without its promises and command bookkeeping): per
 * session, by id, kept as JSON.
 */
import type { Post } from '@gt/core';
import type { PostChange } from '../store.js';
import { byTimeThenId, inner, insertNew, json, parse, values } from './memory-journal.js';

const oldestFirst = byTimeThenId<Post>((p) => p.createdAt);

export class MemoryPosts {
  /** sessionId -> postId -> post JSON */
  readonly #posts = new Map<string, Map<string, string>>();

  get(sessionId: string, postId: string): Post | null {
    return parse<Post>(this.#posts.get(sessionId)?.get(postId));
  }

  list(sessionId: string): Post[] {
    return values<Post>(this.#posts.get(sessionId) ?? new Map<string, string>()).sort(oldestFirst);
  }

  listByDevice(deviceId: string): Post[] {
    return [...this.#posts.values()]
      .flatMap((posts) => values<Post>(posts))
      .filter((p) => p.authorDevice === deviceId)
      .sort(oldestFirst);
  }

  /** Throws (writing nothing) when the id is taken. */
  insert(post: Post): void {
    insertNew(inner(this.#posts, post.sessionId), post.id, post);
  }

  /**
   * All or none: every expected version is checked before anything is written. Returns null
   * when applied, else the stored posts involved (the conflict's current posts).
   */
  update(sessionId: string, changes: PostChange[]): Post[] | null {
    const posts = inner(this.#posts, sessionId);
    const current = changes.flatMap((c) => parse<Post>(posts.get(c.post.id)) ?? []);
    const isConflict = changes.some(
      (c) => current.find((p) => p.id === c.post.id)?.version !== c.expectedVersion,
    );
    if (isConflict) return current;
    for (const change of changes) posts.set(change.post.id, json(change.post));
    return null;
  }
}
