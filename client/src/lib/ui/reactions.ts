/**
 * How each quick reaction looks and is named, for the phone's buttons and the wall's counts.
 * The emoji is decoration (hidden from screen readers); the name is the translated word.
 */
import type { Reaction } from '@gt/core';
import { m } from '@gt/i18n';

export const REACTION_EMOJI: Record<Reaction, string> = {
  applause: '👏',
  heart: '❤️',
  agree: '👍',
  disagree: '👎',
  question: '❓',
  laugh: '😄',
};

export function reactionName(reaction: Reaction): string {
  switch (reaction) {
    case 'applause':
      return m.attendee_reaction_applause();
    case 'heart':
      return m.attendee_reaction_heart();
    case 'agree':
      return m.attendee_reaction_agree();
    case 'disagree':
      return m.attendee_reaction_disagree();
    case 'question':
      return m.attendee_reaction_question();
    case 'laugh':
      return m.attendee_reaction_laugh();
  }
}
