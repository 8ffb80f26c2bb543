/**
 * Which moderation actions a post allows (SPEC M1). A module of its own, apart from post.ts:
 * pages that never moderate (the attendee's phone) import post.ts's other rules, and a rule in
 * a module they share would travel in the chunk every such page loads first.
 */
import type { ModerationType, Post, PostStatus } from './post.js';

/** Which statuses each action may start from (SPEC M1). */
const FROM: Record<ModerationType, readonly PostStatus[]> = {
  approve: ['pending'],
  hide: ['pending', 'visible', 'answered'],
  restore: ['hidden'],
  answer: ['visible'],
  highlight: ['visible', 'answered'],
  unhighlight: ['visible', 'answered', 'pending', 'hidden'],
  pin: ['visible', 'answered'],
  unpin: ['visible', 'answered', 'pending', 'hidden'],
  // [M12] The inverses the console's undo needs: answer and approve.
  reopen: ['answered'],
  unapprove: ['visible'],
  // Sorting a post (tag, direct) is bookkeeping: allowed whatever its status.
  tag: ['visible', 'answered', 'pending', 'hidden'],
  direct: ['visible', 'answered', 'pending', 'hidden'],
  // [M14] A promise is made about a question the room has heard: a public one. Taking it
  // back is bookkeeping again, whatever became of the post meanwhile.
  promise: ['visible', 'answered'],
  unpromise: ['visible', 'answered', 'pending', 'hidden'],
};

/**
 * May `type` be applied to the post (SPEC M1)? Only the status and the merge mark decide, so
 * a client's view of a post (PostView, a wire post) asks the same rule as the server's Post.
 */
export function canApply(
  post: Pick<Post, 'status'> & { mergedInto?: string | null },
  type: ModerationType,
): boolean {
  // [M13] A merged post's votes and voice live on in its target: it is not restored.
  if (type === 'restore' && (post.mergedInto ?? null) !== null) return false;
  return FROM[type].includes(post.status);
}
