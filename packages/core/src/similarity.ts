/**
 * The duplicate hint (SPEC D1-D6): while an attendee types, posts that already ask the same
 * thing are offered ("Is yours one of these? Upvote it instead"). One vote on an existing
 * question helps the room more than a second copy of it.
 *
 * It is a hint, never a gate: a false match costs the attendee a glance, a missed one costs a
 * duplicate the moderator can merge. So the rule is simple, explainable and fast rather than
 * clever: fold the spelling, drop the little words, trim Danish endings, then compare the
 * remaining words as a set (word order does not matter) with some tolerance for typos and
 * for compounds written apart ("cykel sti").
 */
import { foldForMatching, foldedWords } from './fold.js';

// ── Words that carry no topic ─────────────────────────────────────────────────────────────
// Function words, question words, auxiliaries and politeness in Danish and English. They are
// written as people spell them and folded once below, so the list stays readable.
// Question words are here on purpose (D2): "Hvorfor lukker biblioteket?" and "Hvornår lukker
// biblioteket?" are close enough that the asker should see the other one.
const STOP_WORDS_DA = `
  jeg du han hun vi i de man den det en et dem os jer mig dig sig min mit mine din dit dine
  sin sit sine vores jeres deres hans hendes denne dette disse der her som

  og at eller men om hvis når da så til på for med af fra ved over under efter mod hos op ud
  ind ned ikke også nu jo dog lige bare mon vel nok igen altså egentlig gerne noget nogen
  nogle meget mange mere flere mest alle alt andre sådan end blandt ingen intet

  hvad hvorfor hvornår hvordan hvem hvor hvilke hvilken hvilket

  er var være været har havde have bliver blive blev blevet kan kunne vil ville skal skulle
  må måtte får få fik

  tak hej venligst
`;

const STOP_WORDS_EN = `
  the a an and or but of in on at to for with about from by is are was were be been am do
  does did have has had will would can could should shall may might must what why when how
  who where which we you they it this that there these those our your their its not no so
  more any some all again please get just me us them
`;

const STOP_WORDS: ReadonlySet<string> = new Set(
  `${STOP_WORDS_DA} ${STOP_WORDS_EN}`.split(/\s+/).filter(Boolean).map(foldForMatching),
);

export function isStopWord(foldedWord: string): boolean {
  return STOP_WORDS.has(foldedWord);
}

// ── A light Danish stemmer ────────────────────────────────────────────────────────────────
// Inflection endings, in folded spelling. Removing one is enough to make
// "skole", "skolen", "skoler", "skolerne" and "biblioteket", "bibliotekerne" meet. A word is
// never cut below MIN_STEM letters, so short words ("sø" = "soe", "bus", "hus") stay whole.
// A lone -s is not removed: too many stems end in s ("plads", "kurs", "hus"), and the
// genitive it would catch is covered by -es, -ens, -ets.
// Sorted longest first by construction, so "skolerne" loses "erne", not just "e".
const SUFFIXES = 'ernes erne enes endes ende edes ede ene ere ers ens ets er en et es e'
  .split(' ')
  .sort((a, b) => b.length - a.length);
const MIN_STEM = 3;

/** Trim one Danish inflection ending from a folded word, then a doubled final consonant. */
export function stemDanish(foldedWord: string): string {
  let stem = foldedWord;
  for (const suffix of SUFFIXES) {
    if (stem.endsWith(suffix) && stem.length - suffix.length >= MIN_STEM) {
      stem = stem.slice(0, -suffix.length);
      break;
    }
  }
  // "hallen" -> "hall" -> "hal", "bygget" -> "bygg" -> "byg": a consonant doubles before an
  // ending, so a final double consonant is undoubled (always, so that "hal" meets "hall").
  const last = stem.at(-1);
  if (
    stem.length > MIN_STEM &&
    last !== undefined &&
    last === stem.at(-2) &&
    !'aeiouy'.includes(last)
  ) {
    stem = stem.slice(0, -1);
  }
  return stem;
}

// ── Comparing ─────────────────────────────────────────────────────────────────────────────

/** One text, prepared once so that comparing it with many others is cheap. */
export interface PreparedText {
  /** Topic words, stemmed, in order, repeats kept (for compounds written apart). */
  readonly stems: readonly string[];
  /** The folded word before each stem (same order), to rebuild "cykel" + "stier". */
  readonly words: readonly string[];
  /** Whether each stem directly follows the previous one in the text (no little word between). */
  readonly isAdjacent: readonly boolean[];
  readonly stemSet: ReadonlySet<string>;
  /** Character trigrams of each distinct stem, for typo tolerance. */
  readonly trigramsOf: ReadonlyMap<string, ReadonlySet<string>>;
  /** Trigram counts over all stems, for the whole-text character similarity. */
  readonly trigramBag: ReadonlyMap<string, number>;
  readonly trigramTotal: number;
  /** The folded text, for the "identical after folding" case. */
  readonly folded: string;
}

function trigrams(word: string): string[] {
  // One space of padding on each side: the start and end of a word count, so "sti" and
  // "stien" share their beginning, and a word of three letters still has trigrams.
  const padded = ` ${word} `;
  const grams: string[] = [];
  for (let i = 0; i + 3 <= padded.length; i++) grams.push(padded.slice(i, i + 3));
  return grams;
}

/** Fold, drop stop words and single letters, stem: what the comparison works on. */
export function prepareText(text: string): PreparedText {
  const stems: string[] = [];
  const words: string[] = [];
  const isAdjacent: boolean[] = [];
  let previousWasContent = false;
  for (const word of foldedWords(text)) {
    // A single letter is noise ("km/t" leaves "t") unless it is a number ("3 nye skoler").
    const isContent = !isStopWord(word) && (word.length > 1 || /\p{N}/u.test(word));
    if (isContent) {
      stems.push(stemDanish(word));
      words.push(word);
      isAdjacent.push(previousWasContent);
    }
    previousWasContent = isContent;
  }
  const trigramsOf = new Map<string, ReadonlySet<string>>();
  const trigramBag = new Map<string, number>();
  let trigramTotal = 0;
  for (const stem of stems) {
    const grams = trigrams(stem);
    if (!trigramsOf.has(stem)) trigramsOf.set(stem, new Set(grams));
    for (const gram of grams) trigramBag.set(gram, (trigramBag.get(gram) ?? 0) + 1);
    trigramTotal += grams.length;
  }
  return {
    stems,
    words,
    isAdjacent,
    stemSet: new Set(stems),
    trigramsOf,
    trigramBag,
    trigramTotal,
    folded: foldForMatching(text),
  };
}

function setDice(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size + b.size === 0) return 0;
  let shared = 0;
  for (const gram of a) if (b.has(gram)) shared++;
  return (2 * shared) / (a.size + b.size);
}

// A typo keeps a word recognisable: most of its trigrams survive. Below this the words are
// different words that happen to share letters.
const TYPO_MIN_DICE = 0.5;
// Trigrams are harsh on typos (one wrong letter spoils up to three of them), so edits are
// counted too: one slip in a word of six letters or more, two from nine. Shorter words get
// none: "skol"/"skov" and "bank"/"baenk" are one letter apart and mean different things.
const TYPO_MIN_LENGTH = 6;
const TYPO_TWO_EDITS_LENGTH = 9;

/**
 * Edits (insert, delete, substitute, swap two neighbours) to turn `a` into `b`, or
 * `limit + 1` as soon as it is clear there are more than `limit`.
 */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  // Three rows of the classic table are enough for the swap case.
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, (before[j - 2] ?? 0) + 1);
      }
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > limit) return limit + 1;
    before = previous;
    previous = current;
  }
  return previous[b.length] ?? limit + 1;
}

/**
 * How well two stems match, 0..1: 1 when equal; partly when they look like a typo of each
 * other (by shared trigrams or by few edits, whichever is kinder); else 0.
 *
 * A typo must keep the first letter. People rarely mistype the first letter of a word, while
 * Danish compounds that differ only in their first part mean different things:
 * "cykelparkering" is not "bilparkering", "udendørsbassin" is not "indendørsbassin".
 */
function stemMatch(a: string, b: string, prepA: PreparedText, prepB: PreparedText): number {
  if (a === b) return 1;
  if (a[0] !== b[0]) return 0;
  const dice = setDice(prepA.trigramsOf.get(a) ?? new Set(), prepB.trigramsOf.get(b) ?? new Set());
  let credit = dice >= TYPO_MIN_DICE ? dice : 0;
  const longer = Math.max(a.length, b.length);
  if (Math.min(a.length, b.length) >= TYPO_MIN_LENGTH) {
    const allowed = longer >= TYPO_TWO_EDITS_LENGTH ? 2 : 1;
    const edits = editDistance(a, b, allowed);
    if (edits <= allowed) credit = Math.max(credit, 1 - edits / longer);
  }
  return credit;
}

/**
 * The stems of `text`, with a compound written apart ("cykel sti", "Maglegårds Skole") joined
 * into one when the other text has it as one word. Only then: joining every neighbour would
 * invent words.
 */
function stemsJoinedLike(text: PreparedText, other: PreparedText): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.stems.length; i++) {
    const next = i + 1;
    const nextStem = text.stems[next];
    if (nextStem !== undefined && text.isAdjacent[next]) {
      const joined = `${text.words[i]}${nextStem}`;
      if (other.stemSet.has(joined)) {
        out.push(joined);
        i++;
        continue;
      }
    }
    out.push(text.stems[i] ?? '');
  }
  return [...new Set(out)];
}

/** For each stem, its best match among the other's stems; summed. */
function matchedWeight(
  stems: readonly string[],
  otherStems: readonly string[],
  prep: PreparedText,
  otherPrep: PreparedText,
): number {
  let sum = 0;
  for (const stem of stems) {
    let best = 0;
    for (const otherStem of otherStems) {
      best = Math.max(best, stemMatch(stem, otherStem, prep, otherPrep));
      if (best === 1) break;
    }
    sum += best;
  }
  return sum;
}

function bagDice(a: PreparedText, b: PreparedText): number {
  if (a.trigramTotal + b.trigramTotal === 0) return 0;
  let shared = 0;
  for (const [gram, count] of a.trigramBag) shared += Math.min(count, b.trigramBag.get(gram) ?? 0);
  return (2 * shared) / (a.trigramTotal + b.trigramTotal);
}

/**
 * The blend (D3). Three views of the same question, each catching what another misses:
 *
 * - WORD_DICE: shared topic words over all topic words, counting typos partly. The backbone.
 * - COVERAGE: how much of the shorter question the longer one contains. "Hvornår åbner
 *   svømmehallen igen?" is contained in "... igen efter renoveringen?": a longer version of
 *   the same question. A swapped word ("åbner" / "lukker") lowers both; an added one only
 *   the first. That difference is what separates a rephrasing from a different question.
 * - TRIGRAMS: character trigrams over all topic words, which forgive what word matching
 *   cannot see: compounds split differently, inflections the light stemmer leaves.
 */
export const SIMILARITY_WEIGHTS = { wordDice: 0.4, coverage: 0.4, trigrams: 0.2 } as const;

/** Score of two prepared texts, 0..1. */
export function preparedSimilarity(a: PreparedText, b: PreparedText): number {
  if (a.stems.length === 0 || b.stems.length === 0) {
    // Nothing topical to compare ("Hvorfor?"): only an identical text counts.
    return a.folded !== '' && a.folded === b.folded ? 1 : 0;
  }
  const stemsA = stemsJoinedLike(a, b);
  const stemsB = stemsJoinedLike(b, a);
  const matchedA = matchedWeight(stemsA, stemsB, a, b);
  const matchedB = matchedWeight(stemsB, stemsA, b, a);
  const wordDice = (matchedA + matchedB) / (stemsA.length + stemsB.length);
  // A one-word question is "contained" in every question that mentions the word; coverage is
  // evidence only when the shorter one says at least two things.
  const coverage =
    Math.min(stemsA.length, stemsB.length) < 2
      ? wordDice
      : Math.max(matchedA / stemsA.length, matchedB / stemsB.length);
  const score =
    SIMILARITY_WEIGHTS.wordDice * wordDice +
    SIMILARITY_WEIGHTS.coverage * coverage +
    SIMILARITY_WEIGHTS.trigrams * bagDice(a, b);
  return Math.min(1, Math.max(0, score));
}

/** [D1] How alike two posts are, 0 (nothing shared) to 1 (the same question). Symmetric. */
export function similarity(a: string, b: string): number {
  return preparedSimilarity(prepareText(a), prepareText(b));
}

/**
 * [D4] At or above this score two posts are treated as the same question.
 *
 * Chosen on the labelled fixture (similarity.fixture.ts), in the gap between the look-alikes
 * and the rephrasings: a question of five topic words with one swapped scores 0.80 and must
 * stay below; a question repeated with one detail added scores about 0.87 and must reach it.
 * The weights above hardly move the result; this number does.
 */
export const DUPLICATE_THRESHOLD = 0.84;

export function isLikelyDuplicate(a: string, b: string): boolean {
  return similarity(a, b) >= DUPLICATE_THRESHOLD;
}

// ── Searching many ────────────────────────────────────────────────────────────────────────

export interface SimilarityCandidate {
  id: string;
  text: string;
}

export interface SimilarMatch {
  id: string;
  score: number;
}

/**
 * The posts an attendee can see, prepared once (D6). The phone rebuilds it when the list
 * changes, not on every keystroke; each search then prepares only the typed text.
 */
export class SimilarityIndex {
  private readonly entries: { id: string; prepared: PreparedText }[];

  constructor(candidates: readonly SimilarityCandidate[]) {
    this.entries = candidates.map((c) => ({ id: c.id, prepared: prepareText(c.text) }));
  }

  get size(): number {
    return this.entries.length;
  }

  /** The best matches at or above `minScore`, best first; ties keep the candidates' order. */
  search(text: string, limit: number, minScore = DUPLICATE_THRESHOLD): SimilarMatch[] {
    if (limit <= 0) return [];
    const query = prepareText(text);
    if (query.stems.length === 0) return [];
    const matches: SimilarMatch[] = [];
    for (const entry of this.entries) {
      const score = preparedSimilarity(query, entry.prepared);
      if (score >= minScore) matches.push({ id: entry.id, score });
    }
    // Array.prototype.sort is stable, so equal scores keep the list's order.
    return matches.sort((x, y) => y.score - x.score).slice(0, limit);
  }
}

export function createSimilarityIndex(candidates: readonly SimilarityCandidate[]): SimilarityIndex {
  return new SimilarityIndex(candidates);
}

/**
 * [D5] Posts like `text`, best first, at most `limit`. Pass a SimilarityIndex to search many
 * times over the same candidates (on every debounced keystroke); a plain list is prepared on
 * the spot.
 */
export function findSimilar(
  text: string,
  candidates: readonly SimilarityCandidate[] | SimilarityIndex,
  limit: number,
  minScore = DUPLICATE_THRESHOLD,
): SimilarMatch[] {
  const index =
    candidates instanceof SimilarityIndex ? candidates : createSimilarityIndex(candidates);
  return index.search(text, limit, minScore);
}
