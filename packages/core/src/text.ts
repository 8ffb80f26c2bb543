/**
 * Text rules shared by the phone's counter and the server's check, so the two can never
 * disagree about whether a post is too long.
 */

// Made on first use: creating it loads ICU's break rules, about 9 ms that a server restarting
// after a crash would otherwise spend before it listens (docs/PERFORMANCE.md, S3).
let segmenter: Intl.Segmenter | undefined;

/** Length as a person counts it: grapheme clusters after Unicode NFC ("👍🏽" and "å" are 1). */
export function graphemeLength(text: string): number {
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  let count = 0;
  for (const _ of segmenter.segment(text.normalize('NFC'))) count++;
  return count;
}

// C0 and C1 control characters except tab and newline, plus the bidi embedding/override
// controls that could make a post render backwards over its neighbours. The zero-width
// joiner stays: emoji sequences (families, flags with skin tones) need it.
// eslint-disable-next-line no-control-regex -- stripping control characters is the point
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/**
 * Normalise a post's text: NFC, control characters removed, runs of spaces folded, at most
 * one empty line in a row, trimmed. Newlines are kept: people write short paragraphs.
 */
export function normaliseText(text: string): string {
  return (
    text
      .normalize('NFC')
      .replace(/\r\n?/g, '\n')
      .replace(/\t/g, ' ')
      .replace(CONTROL, '')
      .split('\n')
      .map((line) => line.replace(/[ \u00A0\u2000-\u200A\u202F\u205F\u3000]+/g, ' ').trim())
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim()
      // Again at the end: removing a control character can bring a letter and its accent together.
      .normalize('NFC')
  );
}

/** A display name is one line: every kind of whitespace folds into one space. */
export function normaliseName(name: string): string {
  return normaliseText(name).replace(/\s+/g, ' ');
}

export const DEFAULT_MAX_POST_LENGTH = 300;
export const MIN_MAX_POST_LENGTH = 20;
export const MAX_MAX_POST_LENGTH = 1000;
export const MAX_NAME_LENGTH = 40;
export const MAX_REASON_LENGTH = 200;

export type TextCheck =
  | { ok: true; text: string; length: number }
  | { ok: false; reason: 'empty' | 'too_long'; length: number; max: number };

/** Normalise, then check 1..max graphemes. The normalised text is what gets stored. */
export function checkText(raw: string, max: number): TextCheck {
  const text = normaliseText(raw);
  const length = graphemeLength(text);
  if (length === 0) return { ok: false, reason: 'empty', length, max };
  if (length > max) return { ok: false, reason: 'too_long', length, max };
  return { ok: true, text, length };
}

/** An optional display name: blank means anonymous (null). */
export function checkName(raw: string | null | undefined): TextCheck | { ok: true; text: null } {
  if (raw == null) return { ok: true, text: null };
  const text = normaliseName(raw);
  if (text === '') return { ok: true, text: null };
  const length = graphemeLength(text);
  if (length > MAX_NAME_LENGTH)
    return { ok: false, reason: 'too_long', length, max: MAX_NAME_LENGTH };
  return { ok: true, text, length };
}
