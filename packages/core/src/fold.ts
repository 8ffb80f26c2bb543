/**
 * Folding text for matching (not for display or storage): the duplicate hint and the word
 * filter both compare what people meant, not how their keyboard spelt it. A phone with a
 * Danish keyboard writes "Århus", a borrowed one "Aarhus"; an older reader may write
 * "Kjøbenhavn". All of them should fold to the same letters.
 */

// Danish letters become the two-letter spellings Danes themselves use without a Danish
// keyboard (and that the spelling reform of 1948 replaced), so "aa", "ae", "oe" typed by hand
// and "å", "æ", "ø" compare equal. Swedish/German ä and ö are the same letters on a foreign
// keyboard and fold the same way. Folding to the digraph (not the reverse) is what keeps it
// consistent: there is no guessing whether an "aa" in the input was meant as "å".
const DANISH_LETTERS: Record<string, string> = {
  æ: 'ae',
  ø: 'oe',
  å: 'aa',
  ä: 'ae',
  ö: 'oe',
};

// Old spelling put a j after k and g before a front vowel: Kjøbenhavn, Gjentofte, Kjeld,
// gjerne. Only at the start of a word and only before e, æ, ø: inside a word the j is often
// real ("skjorte"), and before a back vowel it is today's spelling too ("kjole", "gjorde").
const OLD_KJ_GJ = /(?<!\p{L})([kg])j(?=[eæø])/gu;

// A hyphen or apostrophe between letters joins a compound ("p-pladser", "el-biler") or a
// contraction; it is not a word break. Everything else that is not a letter or digit
// (punctuation, emoji, symbols) separates words.
const JOINER = /(?<=[\p{L}\p{N}])['’\-‐‑](?=[\p{L}\p{N}])/gu;
const NOT_WORD = /[^\p{L}\p{N}]+/gu;
const COMBINING_MARK = /\p{M}/gu;

/**
 * Fold text for comparison: NFC, lower case, old kj/gj spelling modernised, æ ø å (and ä ö)
 * to ae oe aa, other accents dropped (é to e), compounds joined across a hyphen, anything
 * that is not a letter or a digit turned into a single space, trimmed.
 *
 * The result contains only lower-case letters a-z (plus letters of other scripts, left as
 * they are), digits and single spaces.
 */
export function foldForMatching(text: string): string {
  return (
    text
      .normalize('NFC')
      .toLowerCase()
      .replace(OLD_KJ_GJ, '$1')
      .replace(/[æøåäö]/g, (letter) => DANISH_LETTERS[letter] ?? letter)
      // Decompose so accents become separate combining marks, drop them, compose again.
      .normalize('NFD')
      .replace(COMBINING_MARK, '')
      .normalize('NFC')
      .replace(JOINER, '')
      .replace(NOT_WORD, ' ')
      .trim()
  );
}

/** The words of a folded text, in order. */
export function foldedWords(text: string): string[] {
  const folded = foldForMatching(text);
  return folded === '' ? [] : folded.split(' ');
}
