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
