/**
 * Answering a poll (SPEC PL3, PL4, PL6): whether an answer fits the poll it is for, and the
 * answer as stored. Apart from poll.ts (the moderator's rules), so that a phone checking its
 * answer before sending loads only this.
 */
import { foldedWords } from './fold.js';
import type { Poll, PollAnswerValue, PollRefusal, PollSpec } from './poll.js';
import {
  isInteger,
  MAX_WORD_ANSWER_LENGTH,
  MAX_WORDS_PER_ANSWER,
  refuse,
  wordKey,
} from './poll.js';
import { graphemeLength, normaliseName } from './text.js';

function checkWordEntry(raw: string): { ok: true; text: string } | PollRefusal {
  const text = normaliseName(raw);
  if (text === '') return refuse('invalid_input', 'answer_empty');
  if (graphemeLength(text) > MAX_WORD_ANSWER_LENGTH)
    return refuse('invalid_input', 'answer_too_long');
  const words = foldedWords(text);
  if (words.length === 0) return refuse('invalid_input', 'answer_empty');
  if (words.length > MAX_WORDS_PER_ANSWER) return refuse('invalid_input', 'too_many_words');
  if (wordKey(text) === '') return refuse('invalid_input', 'only_stop_words');
  return { ok: true, text };
}

// ── Answers ───────────────────────────────────────────────────────────────────────────────

function optionIdsOf(spec: PollSpec): string[] {
  return 'options' in spec ? spec.options.map((o) => o.id) : [];
}

function checkChoices(
  ids: readonly string[],
  spec: PollSpec,
  max: number,
): { ok: true; ids: string[] } | PollRefusal {
  const known = optionIdsOf(spec);
  if (ids.length === 0) return refuse('invalid_input', 'no_choice');
  if (new Set(ids).size !== ids.length) return refuse('invalid_input', 'duplicate_option');
  if (ids.some((id) => !known.includes(id))) return refuse('invalid_input', 'unknown_option');
  if (ids.length > max) return refuse('invalid_input', 'too_many_choices');
  return { ok: true, ids: [...ids] };
}

/**
 * [PL4] Check an answer against the poll: open, of its kind, within its limits. Returns the
 * answer as stored (word entries normalised; a repeated word of one device counted once).
 */
export function checkAnswer(
  poll: Poll,
  value: PollAnswerValue,
): { ok: true; value: PollAnswerValue } | PollRefusal {
  if (poll.status !== 'open') return refuse('invalid_state', 'not_open');
  const spec = poll.spec;
  if (spec.kind !== value.kind) return refuse('invalid_input', 'wrong_kind');
  switch (value.kind) {
    case 'single': {
      const c = checkChoices([value.optionId], spec, 1);
      return c.ok ? { ok: true, value } : c;
    }
    case 'multiple': {
      const max = spec.kind === 'multiple' ? spec.maxChoices : 1;
      const c = checkChoices(value.optionIds, spec, max);
      return c.ok ? { ok: true, value: { kind: 'multiple', optionIds: c.ids } } : c;
    }
    case 'ranking': {
      const max = spec.kind === 'ranking' ? spec.rankCount : 1;
      const c = checkChoices(value.optionIds, spec, max);
      return c.ok ? { ok: true, value: { kind: 'ranking', optionIds: c.ids } } : c;
    }
    case 'scale': {
      const max = spec.kind === 'scale' ? spec.max : 0;
      if (!isInteger(value.value, 1, max)) return refuse('invalid_input', 'out_of_range');
      return { ok: true, value };
    }
    case 'words': {
      const max = spec.kind === 'words' ? spec.maxAnswers : 0;
      if (value.entries.length === 0) return refuse('invalid_input', 'answer_empty');
      if (value.entries.length > max) return refuse('invalid_input', 'too_many_answers');
      const entries: string[] = [];
      const keys = new Set<string>();
      for (const raw of value.entries) {
        const entry = checkWordEntry(raw);
        if (!entry.ok) return entry;
        const key = wordKey(entry.text);
        if (keys.has(key)) continue;
        keys.add(key);
        entries.push(entry.text);
      }
      return { ok: true, value: { kind: 'words', entries } };
    }
  }
}
