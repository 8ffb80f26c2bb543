/**
 * The console's words for refused commands and hide reasons, shared by the live console and
 * the no-JavaScript form action.
 */
import { m } from '@gt/i18n';

/** Preset hide reasons: most hides are one of these, and the author reads the reason. */
export const HIDE_REASON_PRESETS = ['off_topic', 'duplicate', 'offensive', 'personal'] as const;
export type HideReasonPreset = (typeof HIDE_REASON_PRESETS)[number];

export function presetText(preset: HideReasonPreset): string {
  switch (preset) {
    case 'off_topic':
      return m.moderator_reason_off_topic();
    case 'duplicate':
      return m.moderator_reason_duplicate();
    case 'offensive':
      return m.moderator_reason_offensive();
    case 'personal':
      return m.moderator_reason_personal();
  }
}

/**
 * The reason sent with a hide: the moderator's own words when given, else the chosen
 * preset, in the moderator's language (the author reads it as written).
 */
export function hideReasonText(preset: string, ownWords: string): string {
  const own = ownWords.trim().slice(0, 1000);
  if (own) return own;
  return (HIDE_REASON_PRESETS as readonly string[]).includes(preset)
    ? presetText(preset as HideReasonPreset)
    : '';
}

/** What a moderator reads when a command was refused. */
export function moderationNoticeText(code: string): string {
  switch (code) {
    case 'conflict':
      return m.moderator_notice_conflict();
    case 'invalid_state':
      return m.moderator_notice_invalid_state();
    case 'forbidden':
      return m.moderator_notice_forbidden();
    case 'offline':
    case 'timeout':
      return m.moderator_notice_offline();
    default:
      return m.form_error_generic();
  }
}

/** The undo toast's words for what was just done. */
export function doneText(action: string): string {
  switch (action) {
    case 'approve':
      return m.moderator_done_approve();
    case 'hide':
      return m.moderator_done_hide();
    case 'restore':
      return m.moderator_done_restore();
    case 'answer':
      return m.moderator_done_answer();
    case 'highlight':
      return m.moderator_done_highlight();
    case 'unhighlight':
      return m.moderator_done_unhighlight();
    case 'pin':
      return m.moderator_done_pin();
    case 'unpin':
      return m.moderator_done_unpin();
    case 'edit':
      return m.moderator_done_edit();
    case 'reopen':
      return m.moderator_done_reopen();
    case 'unapprove':
      return m.moderator_done_unapprove();
    case 'tag':
      return m.moderator_done_tag();
    case 'direct':
      return m.moderator_done_direct();
    case 'promise-follow-up':
      return m.moderator_done_promise();
    case 'to-topic':
      return m.moderator_done_to_topic();
    default:
      return '';
  }
}

/** A tab's label with its count ("Venter (3)"). */
export function tabText(tab: string, count: number): string {
  switch (tab) {
    case 'pending':
      return m.moderator_pending_heading({ count });
    case 'visible':
      return m.moderator_visible_heading({ count });
    case 'answered':
      return m.moderator_answered_heading({ count });
    case 'hidden':
      return m.moderator_hidden_heading({ count });
    default:
      return m.moderator_live_heading({ count });
  }
}

export function emptyTabText(tab: string): string {
  switch (tab) {
    case 'pending':
      return m.moderator_pending_empty();
    case 'visible':
      return m.moderator_visible_empty();
    case 'live':
      return m.moderator_live_empty();
    default:
      return m.moderator_none();
  }
}
