/**
 * Which moderation actions the console offers for a post: its card's buttons and what a
 * shortcut key does to it. The rule itself is core's `canApply` (SPEC M1), the same one the
 * server enforces; here only the console's choices: a fixed order, so the keyboard path is
 * always the same, and one button (or key) that turns highlight and pin on and off.
 */
import { canApply } from '@gt/core';
import type { ModerationAction } from '../realtime/session-connection.js';
import type { ViewPost } from '../realtime/replica-view.js';

type ActionPost = Pick<ViewPost, 'status' | 'mergedInto' | 'isHighlighted' | 'isPinned'>;
/** The actions a card's buttons and the post shortcut keys send. */
export type CardAction = Extract<
  ModerationAction,
  'approve' | 'restore' | 'highlight' | 'unhighlight' | 'answer' | 'pin' | 'unpin'
>;

/** Highlight or pin when off and allowed, take it away when on; null when neither applies. */
export function toggleAction(
  post: ActionPost,
  feature: 'highlight' | 'pin',
): Extract<CardAction, 'highlight' | 'unhighlight' | 'pin' | 'unpin'> | null {
  if (feature === 'highlight') {
    if (post.isHighlighted) return 'unhighlight';
    return canApply(post, 'highlight') ? 'highlight' : null;
  }
  if (post.isPinned) return 'unpin';
  return canApply(post, 'pin') ? 'pin' : null;
}

/** The buttons of a post's card, in their fixed order. */
export function cardActions(post: ActionPost): CardAction[] {
  const actions: (CardAction | null)[] = [
    canApply(post, 'approve') ? 'approve' : null,
    canApply(post, 'restore') ? 'restore' : null,
    toggleAction(post, 'highlight'),
    canApply(post, 'answer') ? 'answer' : null,
    toggleAction(post, 'pin'),
  ];
  return actions.filter((action) => action !== null);
}

/** What a shortcut key for a post's action sends, or null when it does not apply to the post. */
export function shortcutAction(
  post: ActionPost,
  key: 'approve' | 'restore' | 'answer' | 'highlight' | 'pin',
): CardAction | null {
  if (key === 'highlight' || key === 'pin') return toggleAction(post, key);
  return canApply(post, key) ? key : null;
}
