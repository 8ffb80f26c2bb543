/**
 * One change to one post at the version the moderator saw [M4], shared by moderation and by
 * the post commands that edit a post (edit, to-topic): load, check the version, let core
 * decide, store every affected post at once with its log entry, and decide again when only
 * the posts the change takes along moved.
 */
import { fullView, highlightChanges, moderate, postAppends } from '@gt/core';
import type {
  LogAction,
  ModerationAction,
  ModerationResult,
  Post,
  PostTransition,
  PostView,
} from '@gt/core';
import { fail } from '@gt/protocol';
import type { Result } from '@gt/protocol';
import type { PostStore } from '../store/store.js';
import type { CommandContext, Shared } from './context.js';

/** How often a change is decided again when only the posts it takes along moved (M4). */
const SIDE_CONFLICT_ATTEMPTS = 5;

type Decision = ModerationResult | { ok: true; changes: PostTransition[] };

export type PostChangeStore = PostStore;

export interface PostCommand {
  commandId: string;
  postId: string;
  version: number;
}

export class PostChanges {
  constructor(
    private readonly store: PostChangeStore,
    private readonly shared: Shared,
  ) {}

  /** Apply a moderation action of core's, logged under its own name. */
  moderate(
    ctx: CommandContext,
    p: PostCommand,
    action: ModerationAction,
  ): Promise<Result<{ post: PostView }>> {
    return this.change(
      ctx,
      p,
      async (post, now) => {
        if (action.type !== 'highlight') return moderate(post, action, now);
        const result = highlightChanges(post, await this.store.listPosts(post.sessionId), now);
        return result.ok ? { ok: true, changes: result.changes } : result;
      },
      { action: action.type, detail: (before) => logDetail(action, before) },
    );
  }

  /**
   * Apply a change to one post at the version the moderator saw [M4]: load, check the version,
   * let `decide` compute the new state (core rules), store all affected posts at once.
   */
  async change<A = { post: PostView }>(
    ctx: CommandContext,
    p: PostCommand,
    decide: (post: Post, now: number) => Decision | Promise<Decision>,
    log: { action: LogAction; detail?: (before: Post) => string | null },
    ack: (post: PostView) => A = (post) => ({ post }) as A,
  ): Promise<Result<A>> {
    const session = ctx.session!;
    for (let attempt = 1; ; attempt++) {
      const post = await this.store.getPost(session.id, p.postId);
      if (!post) return fail('not_found', 'no such post');
      if (post.version !== p.version)
        return fail('conflict', 'someone else changed this post first', {
          current: fullView(post),
        });
      const result = await decide(post, this.shared.now());
      if (!result.ok) return fail(result.code, result.message);
      const changes = 'changes' in result ? result.changes : [{ before: post, after: result.post }];
      const target = changes[changes.length - 1]!.after;
      const commit = await this.store.updatePosts(
        this.shared.commandRef(ctx, p)!,
        session.id,
        changes.map((c) => ({ post: c.after, expectedVersion: c.before.version })),
        changes.flatMap((c) => postAppends(c.before, c.after)),
        ack(fullView(target)),
        [await this.shared.logEntry(ctx, log.action, post.id, log.detail?.(post) ?? null)],
      );
      // [M4] The moderator vouched for the version of the post they acted on, not for the
      // posts the change takes along (the previous highlight, say). When only those moved
      // meanwhile (two moderators highlighting two posts at once), decide again from the
      // current state: the later highlight wins, as it would on a wall operated by hand.
      const isSideConflict =
        commit.kind === 'conflict' &&
        commit.currentPosts.some((c) => c.id === post.id && c.version === p.version);
      if (!isSideConflict || attempt === SIDE_CONFLICT_ATTEMPTS) {
        if (commit.kind !== 'conflict') return this.shared.finish(commit);
        const current = commit.currentPosts.find((c) => c.id === post.id) ?? post;
        return fail('conflict', 'someone else changed this post first', {
          current: fullView(current),
        });
      }
    }
  }
}

/**
 * [ML1] A hide is logged with its reason, a promise with who made it (and taking it back with
 * who had made it); other actions need no detail.
 */
function logDetail(action: ModerationAction, before: Post): string | null {
  switch (action.type) {
    case 'hide':
      return action.reason;
    case 'promise':
      return action.name;
    case 'unpromise':
      return before.followUpPromisedBy?.name ?? null;
    default:
      return null;
  }
}
