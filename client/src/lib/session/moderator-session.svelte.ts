/**
 * The moderator's console: the queue by status with counts, and every moderation command
 * with the version the moderator saw. When a colleague got there first the server answers
 * `conflict` with the current post: the connection shows that at once, and `notice` says what
 * happened, so the moderator looks again before acting (SPEC M4).
 */
import { getContext, setContext } from 'svelte';
import { SvelteSet } from 'svelte/reactivity';
import type { PostStatus } from '@gt/core';
import type { ModerationAction } from '../realtime/session-connection.js';
import type { ViewPost } from '../realtime/replica-view.js';
import type { ClientErrorCode } from '../realtime/types.js';
import { ConnectionState } from './connection-state.svelte.js';
import { moderationQueue, votesOf } from './views.js';

/** What the console tells the moderator after a refused command. Texts come from i18n by `code`. */
export interface ModerationNotice {
  action: ModerationAction;
  postId: string;
  code: ClientErrorCode;
  /** The server's own words, for when no translation fits. */
  message: string;
  /** On conflict: the post as it is now. */
  current: ViewPost | null;
}

type PostRef = Pick<ViewPost, 'id' | 'version'>;

export class ModeratorSession extends ConnectionState {
  filter = $state<PostStatus>('pending');
  notice = $state.raw<ModerationNotice | null>(null);
  /** Posts with a command on its way. */
  readonly #busy = new SvelteSet<string>();

  readonly queue = $derived(moderationQueue(this.view.posts, this.view.counts));
  /** The list for the chosen status. */
  readonly shown = $derived(this.queue[this.filter]);
  readonly highlighted = $derived(this.queue.highlighted);
  /** The staff link was not accepted (revoked, or for another session): read-only. */
  readonly isStaff = $derived(this.view.you?.staff != null);

  /** A command for this post is on its way (disable its buttons). */
  isBusy(postId: string): boolean {
    return this.#busy.has(postId);
  }

  votesFor(postId: string): number | null {
    return votesOf(this.view.counts, postId);
  }

  approve = (post: PostRef) => this.#act('approve', post);
  hide = (post: PostRef, reason: string) => this.#act('hide', post, reason);
  restore = (post: PostRef) => this.#act('restore', post);
  answer = (post: PostRef) => this.#act('answer', post);
  highlight = (post: PostRef) => this.#act('highlight', post);
  unhighlight = (post: PostRef) => this.#act('unhighlight', post);
  pin = (post: PostRef) => this.#act('pin', post);
  unpin = (post: PostRef) => this.#act('unpin', post);

  dismissNotice(): void {
    this.notice = null;
  }

  /** Resolves true when the server accepted the command. */
  async #act(action: ModerationAction, post: PostRef, reason?: string): Promise<boolean> {
    this.#busy.add(post.id);
    try {
      const result = await this.connection.moderate(action, post, { reason: reason ?? '' });
      if (result.ok) {
        if (this.notice?.postId === post.id) this.notice = null;
        return true;
      }
      this.notice = {
        action,
        postId: post.id,
        code: result.error.code,
        message: result.error.message,
        current:
          result.error.code === 'conflict'
            ? (this.connection.view.posts.find((p) => p.id === post.id) ?? null)
            : null,
      };
      return false;
    } finally {
      this.#busy.delete(post.id);
    }
  }
}

const KEY = Symbol('moderator-session');

export function setModeratorSession(session: ModeratorSession): ModeratorSession {
  return setContext(KEY, session);
}

export function getModeratorSession(): ModeratorSession {
  const session = getContext<ModeratorSession | undefined>(KEY);
  if (!session)
    throw new Error('getModeratorSession() needs a page that called setModeratorSession()');
  return session;
}
