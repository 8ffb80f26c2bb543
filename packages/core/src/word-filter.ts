/**
 * The word filter (SPEC W1-W5). A post that contains a listed word is HELD for the moderator,
 * never refused or deleted (P2: it starts pending with held reason `word_filter`): the author
 * sees "awaiting moderation", and a person decides. That is why the filter can afford to
 * catch a little too much, and why it must not catch a lot too much: every false hold delays
 * a real question at a live event.
 *
 * Matching is on whole words of folded text (the same folding as the duplicate hint), so a
 * listed word inside an innocent word ("pis" in "pistacieis", "røv" in "røverhistorie") is
 * never a match.
 */
import { foldedWords, foldForMatching } from './fold.js';
import { DANISH_TERMS, ENGLISH_TERMS } from './word-list.js';

export interface WordCheck {
  isHeld: boolean;
  /** The listed terms found, as the list spells them, for the moderator's "held because". */
  matches: string[];
}

export interface WordFilter {
  check(text: string): WordCheck;
}

// ── Obfuscation ───────────────────────────────────────────────────────────────────────────

// Digits and symbols that stand in for letters. Applied only inside a chunk that also has a
// letter ("sh1t", "l0rt", "$hit", "@sshole"), so numbers stay numbers: "5 skoler", "40 km/t".
const LEET: Record<string, string> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '@': 'a',
  $: 's',
};
const LEET_CHAR = /[01345@$]/g;
const HAS_LETTER = /\p{L}/u;

function unLeet(text: string): string {
  return text
    .split(/(\s+)/)
    .map((chunk) =>
      HAS_LETTER.test(chunk) ? chunk.replace(LEET_CHAR, (c) => LEET[c] ?? c) : chunk,
    )
    .join('');
}

// Danish and English words practically never have the same letter three times in a row, so a
// run of three is someone stretching a word ("fuuuck", "lorrrt"). Two in a row is ordinary
// spelling and is left alone: collapsing it would turn "kusse" into "kuse" (to bully).
const STRETCHED = /(\p{L})\1{2,}/gu;
const IS_STRETCHED = /(\p{L})\1{2,}/u;

/** The forms a word may stand for: itself, and if stretched, squeezed to one or two letters. */
function wordForms(word: string): string[] {
  if (!IS_STRETCHED.test(word)) return [word];
  return [word, word.replace(STRETCHED, '$1'), word.replace(STRETCHED, '$1$1')];
}

/**
 * "f u c k" and "f.u.c.k" fold to single letters: three or more in a row are read as one word
 * as well. (Real single-letter words are rare and never come three in a row.)
 */
function joinSpelledOut(words: readonly string[]): string[] {
  const out: string[] = [];
  let run: string[] = [];
  const flush = () => {
    if (run.length >= 3) out.push(run.join(''));
    else out.push(...run);
    run = [];
  };
  for (const word of words) {
    if (word.length === 1 && HAS_LETTER.test(word)) run.push(word);
    else {
      flush();
      out.push(word);
    }
  }
  flush();
  return out;
}

/**
 * Every reading of the text worth checking: as written and with leetspeak undone; with a
 * hyphen joining a compound ("røv-hul") and breaking it ("lorte-kommune" has the word
 * "lorte"); with spelt-out letters joined. A match in any reading holds the post.
 */
function readings(text: string): string[][] {
  const out: string[][] = [];
  const seen = new Set<string>();
  for (const variant of [text, unLeet(text)]) {
    for (const hyphens of [variant, variant.replace(/[-‐‑]/g, ' ')]) {
      const words = foldedWords(hyphens);
      for (const reading of [words, joinSpelledOut(words)]) {
        const key = reading.join(' ');
        if (!seen.has(key)) {
          seen.add(key);
          out.push(reading);
        }
      }
    }
  }
  return out;
}

// ── The filter ────────────────────────────────────────────────────────────────────────────

interface Term {
  /** As the list spells it: what the moderator sees. */
  label: string;
  words: readonly string[];
}

/**
 * [W5] A filter with the built-in Danish and English list plus `extraTerms` (words or
 * phrases, spelt naturally). Blank entries are ignored.
 */
export function createWordFilter(extraTerms: readonly string[] = []): WordFilter {
  // Terms by their first folded word, so each word of a post looks up only the few terms
  // that could start there.
  const byFirstWord = new Map<string, Term[]>();
  const seen = new Set<string>();
  for (const label of [...DANISH_TERMS, ...ENGLISH_TERMS, ...extraTerms]) {
    const folded = foldForMatching(label);
    if (folded === '' || seen.has(folded)) continue;
    seen.add(folded);
    const words = folded.split(' ');
    const first = words[0] ?? '';
    const list = byFirstWord.get(first) ?? [];
    list.push({ label: label.trim(), words });
    byFirstWord.set(first, list);
  }

  function matchesAt(forms: readonly string[][], start: number, term: Term): boolean {
    return term.words.every((word, k) => forms[start + k]?.includes(word) ?? false);
  }

  return {
    check(text: string): WordCheck {
      const found = new Set<string>();
      for (const reading of readings(text)) {
        const forms = reading.map(wordForms);
        forms.forEach((wordFormsHere, start) => {
          for (const form of wordFormsHere) {
            for (const term of byFirstWord.get(form) ?? []) {
              if (matchesAt(forms, start, term)) found.add(term.label);
            }
          }
        });
      }
      const matches = [...found];
      return { isHeld: matches.length > 0, matches };
    },
  };
}

const builtIn = createWordFilter();

/** [W1] Check a post against the built-in list: held (for the moderator) or not. */
export function checkWords(text: string): WordCheck {
  return builtIn.check(text);
}
