/**
 * Undo in the console: the compensating commands that put a post back as it was (DESIGN: undo
 * is a compensating command within a few seconds, logged like any other). Pure, unit-tested.
 */
import { isPublic } from '@gt/core';
import type { ModerationAction } from '../realtime/session-connection.js';
import type { ViewPost } from '../realtime/replica-view.js';

/** A step of an undo: the command that puts a post back as it was. */
export interface UndoStep {
  action: ModerationAction;
  postId: string;
  topicId?: string | null;
  panelMemberId?: string | null;
  reason?: string;
  text?: string;
}

/**
 * The compensating commands that undo an action (DESIGN: undo is a compensating command
 * within a few seconds, logged like any other): approve ↔ unapprove, answer ↔ reopen,
 * hide → restore (with the highlight and pin the hide took), and so on.
 */
export function inverseOf(
  action: ModerationAction,
  before: ViewPost,
  previousHighlight: ViewPost | null,
): UndoStep[] {
  const postId = before.id;
  switch (action) {
    case 'hide': {
      // A hidden post loses its highlight and pin (M2): undoing gives them back.
      const steps: UndoStep[] = [{ action: 'restore', postId }];
      if (isPublic(before)) {
        if (before.isPinned) steps.push({ action: 'pin', postId });
        if (before.isHighlighted) steps.push({ action: 'highlight', postId });
      }
      // A pending post restored would become visible; restore, then unapprove, puts it back.
      return before.status === 'pending' ? [...steps, { action: 'unapprove', postId }] : steps;
    }
    case 'restore':
      return [{ action: 'hide', postId, reason: before.hideReason ?? '' }];
    case 'highlight':
      // M3: highlighting took the highlight off another post; undo puts it back there.
      return previousHighlight && previousHighlight.id !== postId
        ? [{ action: 'highlight', postId: previousHighlight.id }]
        : [{ action: 'unhighlight', postId }];
    case 'unhighlight':
      return [{ action: 'highlight', postId }];
    case 'pin':
      return [{ action: 'unpin', postId }];
    case 'unpin':
      return [{ action: 'pin', postId }];
    case 'edit':
      return [{ action: 'edit', postId, text: before.text }];
    case 'approve':
      // Approving took the post from pending to visible; unapprove takes it back (M1).
      return before.status === 'pending' ? [{ action: 'unapprove', postId }] : [];
    case 'answer':
      return before.status === 'visible' ? [{ action: 'reopen', postId }] : [];
    case 'reopen':
      return [{ action: 'answer', postId }];
    case 'tag':
    case 'to-topic':
      // Turning a post into a topic leaves the new topic (people may follow it already).
      return [{ action: 'tag', postId, topicId: before.topicId }];
    case 'direct':
      return [{ action: 'direct', postId, panelMemberId: before.directedTo }];
    case 'promise-follow-up':
      // [M14] The promise as it was: none, or the member who had promised before.
      return [
        {
          action: 'promise-follow-up',
          postId,
          panelMemberId: before.followUpPromisedBy?.panelMemberId ?? null,
        },
      ];
    case 'unapprove':
      return [{ action: 'approve', postId }];
  }
}
