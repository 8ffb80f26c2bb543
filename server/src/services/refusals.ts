/**
 * Refusals shared by several features: expected errors are data (STYLE 10), with what the
 * client needs to say why next to the field.
 */
import type { PanelCheck, TextCheck } from '@gt/core';
import { fail } from '@gt/protocol';
import type { Result } from '@gt/protocol';

/** [L1] The refusal for a text that breaks the length rule, with what the phone needs to say why. */
export function textRefusal(text: Extract<TextCheck, { ok: false }>): Result<never> {
  const message = text.reason === 'empty' ? 'the post is empty' : 'the post is too long';
  return fail('invalid_input', message, {
    reason: text.reason,
    length: text.length,
    max: text.max,
  });
}

/** The refusal for a display name over its limit, naming the field it came in. */
export function nameRefusal(
  name: Extract<TextCheck, { ok: false }>,
  field: 'displayName' | 'name',
): Result<never> {
  return fail('invalid_input', 'the name is too long', {
    reason: name.reason,
    field,
    max: name.max,
  });
}

const PANEL_MESSAGES: Record<Extract<PanelCheck, { ok: false }>['reason'], string> = {
  too_many: 'the panel has too many members',
  duplicate_id: 'two panel members have the same id',
  empty: 'a panel member needs a name',
  too_long: 'the text is too long',
};

/** [SC3] The refusal for a panel that breaks its rules, naming the field for the message next to it. */
export function panelRefusal(panel: Extract<PanelCheck, { ok: false }>): Result<never> {
  return fail('invalid_input', PANEL_MESSAGES[panel.reason], {
    field: panel.field,
    reason: panel.reason,
    ...(panel.max !== undefined ? { max: panel.max } : {}),
  });
}
