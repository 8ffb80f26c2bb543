import { describe, expect, it } from 'vitest';
import { foldedWords, foldForMatching } from './fold.js';

describe('foldForMatching', () => {
  it.each([
    ['Århus', 'Aarhus'],
    ['København', 'Kjøbenhavn'],
    ['Gentofte', 'Gjentofte'],
    ['færdig', 'faerdig'],
    ['Søborg', 'Soeborg'],
    ['Søborg', 'Söborg'],
    ['Jægersborg Allé', 'jaegersborg alle'],
    ['BØRNEHAVEN', 'børnehaven'],
  ])('[D1] folds "%s" and "%s" to the same letters', (a, b) => {
    expect(foldForMatching(a)).toBe(foldForMatching(b));
  });

  it('[D1] spells æ, ø and å as ae, oe and aa', () => {
    expect(foldForMatching('Æbler, øl og ål')).toBe('aebler oel og aal');
  });

  it('[D1] treats a decomposed å like a composed one', () => {
    expect(foldForMatching('pa\u030Askeferie')).toBe(foldForMatching('p\u00E5skeferie'));
  });

  it('[D1] modernises kj and gj only at the start of a word and before a front vowel', () => {
    expect(foldForMatching('Kjeld kjører')).toBe('keld koerer');
    // A back vowel keeps the j: "kjole" (dress) and "gjorde" (did) are spelt so today.
    expect(foldForMatching('kjole gjorde')).toBe('kjole gjorde');
    // Inside a word the j belongs there.
    expect(foldForMatching('skjorte')).toBe('skjorte');
  });

  it('[D1] drops punctuation and emoji and joins a hyphenated compound', () => {
    expect(foldForMatching('  P-pladser?! 🚗🚗 ...ved stationen  ')).toBe('ppladser ved stationen');
  });

  it('[D1] keeps digits as words', () => {
    expect(foldedWords('30 km/t ved 3 skoler')).toEqual(['30', 'km', 't', 'ved', '3', 'skoler']);
  });

  it('[D1] folds text with nothing but punctuation and emoji to nothing', () => {
    expect(foldForMatching('?!? 👍🏽🇩🇰')).toBe('');
    expect(foldedWords('?!?')).toEqual([]);
  });
});
