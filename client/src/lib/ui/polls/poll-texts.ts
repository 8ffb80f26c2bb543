/**
 * Words for polls that depend on a value: a refusal's reason (the server names it in
 * `details.reason`, SPEC PL4), a kind, a status. One place, so the console's script and its
 * no-JavaScript form action say the same.
 */
import { m } from '@gt/i18n';
import type { PollKind, PollStatus } from '@gt/core';
import { moderationNoticeText } from '$lib/ui/moderator/moderation-texts';

const REASONS: Record<string, () => string> = {
  question_empty: m.poll_reason_question_empty,
  question_too_long: m.poll_reason_question_too_long,
  too_few_options: m.poll_reason_too_few_options,
  too_many_options: m.poll_reason_too_many_options,
  option_empty: m.poll_reason_option_empty,
  option_too_long: m.poll_reason_option_too_long,
  duplicate_option: m.poll_reason_duplicate_option,
  bad_max_choices: m.poll_reason_bad_max_choices,
  bad_rank_count: m.poll_reason_bad_rank_count,
  bad_scale: m.poll_reason_bad_scale,
  label_too_long: m.poll_reason_label_too_long,
  bad_max_answers: m.poll_reason_bad_max_answers,
  too_many_polls: m.poll_reason_too_many_polls,
  another_open: m.poll_reason_another_open,
};

/** A refused poll command in the moderator's words: its reason if we have one, else its code. */
export function pollRefusalText(code: string, details?: Record<string, unknown>): string {
  const reason = typeof details?.reason === 'string' ? REASONS[details.reason] : undefined;
  return reason ? reason() : moderationNoticeText(code);
}

export function pollKindText(kind: PollKind): string {
  switch (kind) {
    case 'single':
      return m.poll_kind_single();
    case 'multiple':
      return m.poll_kind_multiple();
    case 'scale':
      return m.poll_kind_scale();
    case 'ranking':
      return m.poll_kind_ranking();
    case 'words':
      return m.poll_kind_words();
  }
}

export function pollStatusText(status: PollStatus): string {
  return status === 'draft'
    ? m.poll_status_draft()
    : status === 'open'
      ? m.poll_status_open()
      : m.poll_status_closed();
}
