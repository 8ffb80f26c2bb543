/**
 * How each quick reaction looks and is named, for the phone's buttons and the wall's counts.
 * The emoji is decoration (hidden from screen readers); the name is the translated word.
 */
import type { Reaction } from '@gt/core';
import { m } from '@gt/i18n';
import type { Locale } from '@gt/i18n/runtime';

export const REACTION_EMOJI: Record<Reaction, string> = {
  applause: '👏',
  heart: '❤️',
  agree: '👍',
  disagree: '👎',
  question: '❓',
  laugh: '😄',
};

/** In the page's language, or `options.locale` (the wall speaks the session's wall language). */
export function reactionName(reaction: Reaction, options: { locale?: Locale } = {}): string {
  switch (reaction) {
    case 'applause':
      return m.attendee_reaction_applause({}, options);
    case 'heart':
      return m.attendee_reaction_heart({}, options);
    case 'agree':
      return m.attendee_reaction_agree({}, options);
    case 'disagree':
      return m.attendee_reaction_disagree({}, options);
    case 'question':
      return m.attendee_reaction_question({}, options);
    case 'laugh':
      return m.attendee_reaction_laugh({}, options);
  }
}
