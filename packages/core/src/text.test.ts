import { describe, it, expect } from 'vitest';
import {
  checkName,
  checkText,
  DEFAULT_MAX_POST_LENGTH,
  graphemeLength,
  MAX_NAME_LENGTH,
  normaliseText,
} from './text.js';

const THUMB_MEDIUM_SKIN = '\u{1F44D}\u{1F3FD}'; // 👍🏽: 4 UTF-16 units
const FLAG_DENMARK = '\u{1F1E9}\u{1F1F0}'; // 🇩🇰: two regional indicators
const FAMILY = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}\u200D\u{1F466}'; // 👨‍👩‍👧‍👦: joined by ZWJ
const A_RING_DECOMPOSED = 'a\u030A'; // "å" as a + combining ring
const A_RING = '\u00E5';

describe('graphemeLength', () => {
  it.each([
    ['a thumbs-up with a skin tone', THUMB_MEDIUM_SKIN],
    ['a flag', FLAG_DENMARK],
    ['a family joined by zero-width joiners', FAMILY],
    ['a decomposed å', A_RING_DECOMPOSED],
    ['a composed å', A_RING],
  ])('[L1] counts %s as one', (_name, text) => {
    expect(text.length).toBeGreaterThanOrEqual(1);
    expect(graphemeLength(text)).toBe(1);
  });

  it('[L1] counts Danish text letter by letter, æ, ø and å included', () => {
    expect(graphemeLength('Hvornår åbner æblehaven i Søborg?')).toBe(33);
  });

  it('[L1] counts a decomposed and a composed word the same', () => {
    const decomposed = `bl${A_RING_DECOMPOSED}b${A_RING_DECOMPOSED}r`;
    expect(decomposed.length).toBe(8);
    expect(graphemeLength(decomposed)).toBe(6);
    expect(graphemeLength(decomposed)).toBe(graphemeLength('blåbår'));
  });

  it('[L1] counts a mix of emoji and letters by what a person sees', () => {
    expect(graphemeLength(`Ja ${THUMB_MEDIUM_SKIN}${FLAG_DENMARK}${FAMILY}`)).toBe(6);
  });

  it('[L1] counts the empty string as zero', () => {
    expect(graphemeLength('')).toBe(0);
  });
});

describe('normaliseText', () => {
  it('[L2] composes to NFC', () => {
    expect(normaliseText(`P${A_RING_DECOMPOSED}ske`)).toBe('P\u00E5ske');
  });

  it('[L2] turns CRLF and lone CR into LF', () => {
    expect(normaliseText('en\r\nto\rtre')).toBe('en\nto\ntre');
  });

  it('[L2] removes C0 and C1 control characters but keeps newlines', () => {
    expect(normaliseText('a\u0000b\u0007c\u001Bd\u007Fe\u0085f\u009Fg\nh')).toBe('abcdefg\nh');
  });

  it('[L2] removes bidi embeddings, overrides and isolates', () => {
    expect(normaliseText('a\u202Ab\u202Bc\u202Cd\u202De\u202Ef\u2066g\u2067h\u2068i\u2069j')).toBe(
      'abcdefghij',
    );
  });

  it('[L2] keeps the zero-width joiner that emoji sequences need', () => {
    const text = normaliseText(`Familie ${FAMILY}`);
    expect(text).toBe(`Familie ${FAMILY}`);
    expect(text).toContain('\u200D');
    expect(graphemeLength(text)).toBe(9);
  });

  it('[L2] folds runs of spaces, tabs and no-break spaces into one space', () => {
    expect(normaliseText('hej   med\t\tdig\u00A0\u00A0 alle')).toBe('hej med dig alle');
  });

  it('[L2] keeps one empty line between paragraphs and folds more', () => {
    expect(normaliseText('første\n\n\n\n\nanden')).toBe('første\n\nanden');
    expect(normaliseText('første\n\nanden')).toBe('første\n\nanden');
  });

  it('[L2] folds lines of only spaces as empty lines', () => {
    expect(normaliseText('første\n   \n \t \nanden')).toBe('første\n\nanden');
  });

  it('[L2] trims the whole text and every line', () => {
    expect(normaliseText('  \n\n  hej  \n  med dig \n\n ')).toBe('hej\nmed dig');
  });

  it('[L2] the normalised text is NFC even when a removed control character stood between a letter and its accent', () => {
    const text = normaliseText('a\u0000\u030A');
    expect(text).toBe(A_RING);
    expect(text).toBe(text.normalize('NFC'));
  });
});

describe('checkText', () => {
  it('[L3] refuses text that is empty after normalisation', () => {
    expect(checkText(' \n\t\u0000\u202E ', 300)).toEqual({
      ok: false,
      reason: 'empty',
      length: 0,
      max: 300,
    });
    expect(checkText('', 300)).toMatchObject({ ok: false, reason: 'empty' });
  });

  it('[L3] accepts exactly the limit in emoji, counted as graphemes', () => {
    const result = checkText(
      THUMB_MEDIUM_SKIN.repeat(DEFAULT_MAX_POST_LENGTH),
      DEFAULT_MAX_POST_LENGTH,
    );
    expect(result).toEqual({ ok: true, text: THUMB_MEDIUM_SKIN.repeat(300), length: 300 });
  });

  it('[L3] refuses one grapheme over the limit as too long', () => {
    const result = checkText(
      THUMB_MEDIUM_SKIN.repeat(DEFAULT_MAX_POST_LENGTH + 1),
      DEFAULT_MAX_POST_LENGTH,
    );
    expect(result).toEqual({ ok: false, reason: 'too_long', length: 301, max: 300 });
  });

  it('[L3] counts the text after normalisation, so folded spaces do not count', () => {
    const result = checkText(`${'a'.repeat(10)}          ${'b'.repeat(9)}`, 20);
    expect(result).toEqual({ ok: true, text: `${'a'.repeat(10)} ${'b'.repeat(9)}`, length: 20 });
  });

  it('[L3] returns the normalised text, which is what gets stored', () => {
    const result = checkText(`  Hvad med p${A_RING_DECOMPOSED}rkering?\r\n`, 300);
    expect(result).toEqual({ ok: true, text: 'Hvad med p\u00E5rkering?', length: 19 });
  });
});

describe('checkName', () => {
  it.each([null, undefined, '', '   ', '\n\t', '\u202E'])('[P6] treats %j as anonymous', (raw) => {
    expect(checkName(raw)).toEqual({ ok: true, text: null });
  });

  it('[P6] folds a name onto one line', () => {
    expect(checkName('  Anne\nMarie\r\n  Hansen ')).toEqual({
      ok: true,
      text: 'Anne Marie Hansen',
      length: 17,
    });
  });

  it('[P6] accepts a name of exactly 40 graphemes', () => {
    expect(checkName('å'.repeat(MAX_NAME_LENGTH))).toEqual({
      ok: true,
      text: 'å'.repeat(40),
      length: 40,
    });
  });

  it('[P6] refuses a name of 41 graphemes as too long', () => {
    expect(checkName(`${A_RING_DECOMPOSED}`.repeat(MAX_NAME_LENGTH + 1))).toEqual({
      ok: false,
      reason: 'too_long',
      length: 41,
      max: 40,
    });
  });
});
