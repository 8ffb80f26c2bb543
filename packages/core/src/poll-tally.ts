/**
 * A poll's results (SPEC PL7-PL8), computed from the stored answers, one per device, rather
 * than kept as running counters: a changed answer then moves its vote without a "minus one
 * here, plus one there" that two nodes could interleave, and the count is exactly the number
 * of devices that answered. The wall and the console both show what this returns; neither
 * recounts.
 */
import type { Poll, PollAnswer, PollKind } from './poll.js';
import { wordKey } from './poll.js';
import { normaliseName } from './text.js';
import type { WordFilter } from './word-filter.js';

export interface OptionCount {
  optionId: string;
  count: number;
  /** Of the devices that answered, rounded to a whole percent. */
  percent: number;
}

export interface RankCount {
  optionId: string;
  /** How many devices placed the option at all. */
  count: number;
  /** 1 = first; over the devices that placed it; null when nobody did. */
  averagePosition: number | null;
}

export interface WordCount {
  /** The key answers are counted and hidden under (wordKey). */
  key: string;
  /** The spelling most people used, lower case. */
  word: string;
  count: number;
  /** The word filter holds it for the moderator (W1). */
  isHeld: boolean;
  /** On the wall and phones: not hidden, and not held unless the moderator showed it. */
  isShown: boolean;
}

export type PollTally =
  | { kind: 'single' | 'multiple'; responses: number; options: OptionCount[] }
  | { kind: 'scale'; responses: number; distribution: number[]; mean: number | null }
  | { kind: 'ranking'; responses: number; options: RankCount[] }
  | { kind: 'words'; responses: number; words: WordCount[] };

/** [WL5] The cloud shows this many words at most, however many were given. */
export const MAX_CLOUD_WORDS = 60;

const round2 = (n: number) => Math.round(n * 100) / 100;
const percentOf = (count: number, total: number) =>
  total === 0 ? 0 : Math.round((count * 100) / total);

function optionIds(poll: Poll): string[] {
  return 'options' in poll.spec ? poll.spec.options.map((o) => o.id) : [];
}

function choiceTally(
  poll: Poll,
  answers: readonly PollAnswer[],
  kind: 'single' | 'multiple',
): PollTally {
  const counts = new Map(optionIds(poll).map((id) => [id, 0]));
  for (const { value } of answers) {
    const chosen =
      value.kind === 'single' ? [value.optionId] : value.kind === 'multiple' ? value.optionIds : [];
    for (const id of chosen) if (counts.has(id)) counts.set(id, counts.get(id)! + 1);
  }
  return {
    kind,
    responses: answers.length,
    options: [...counts].map(([optionId, count]) => ({
      optionId,
      count,
      percent: percentOf(count, answers.length),
    })),
  };
}

function scaleTally(poll: Poll, answers: readonly PollAnswer[]): PollTally {
  const max = poll.spec.kind === 'scale' ? poll.spec.max : 0;
  const distribution = Array.from({ length: max }, () => 0);
  let sum = 0;
  let n = 0;
  for (const { value } of answers) {
    if (value.kind !== 'scale' || value.value < 1 || value.value > max) continue;
    distribution[value.value - 1]! += 1;
    sum += value.value;
    n += 1;
  }
  return {
    kind: 'scale',
    responses: answers.length,
    distribution,
    mean: n ? round2(sum / n) : null,
  };
}

function rankingTally(poll: Poll, answers: readonly PollAnswer[]): PollTally {
  const placed = new Map(optionIds(poll).map((id) => [id, { count: 0, sum: 0 }]));
  for (const { value } of answers) {
    if (value.kind !== 'ranking') continue;
    value.optionIds.forEach((id, index) => {
      const entry = placed.get(id);
      if (!entry) return;
      entry.count += 1;
      entry.sum += index + 1;
    });
  }
  return {
    kind: 'ranking',
    responses: answers.length,
    options: [...placed].map(([optionId, { count, sum }]) => ({
      optionId,
      count,
      averagePosition: count ? round2(sum / count) : null,
    })),
  };
}

// Punctuation around a word is not part of how it is spelt ("Cykelstier!" is "cykelstier");
// a hyphen or apostrophe inside a word is ("el-biler").
const EDGE_PUNCTUATION = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;

function spellingOf(entry: string): string {
  return normaliseName(entry)
    .split(' ')
    .map((w) => w.replace(EDGE_PUNCTUATION, ''))
    .filter(Boolean)
    .join(' ')
    .toLocaleLowerCase('da');
}

function wordTally(poll: Poll, answers: readonly PollAnswer[], filter: WordFilter): PollTally {
  const byKey = new Map<string, { count: number; spellings: Map<string, number> }>();
  for (const { value } of answers) {
    if (value.kind !== 'words') continue;
    // A device counts once per word, however it repeated it.
    const seen = new Set<string>();
    for (const entry of value.entries) {
      const key = wordKey(entry);
      if (key === '' || seen.has(key)) continue;
      seen.add(key);
      const spelling = spellingOf(entry);
      const word = byKey.get(key) ?? { count: 0, spellings: new Map<string, number>() };
      word.count += 1;
      word.spellings.set(spelling, (word.spellings.get(spelling) ?? 0) + 1);
      byKey.set(key, word);
    }
  }
  const words: WordCount[] = [...byKey].map(([key, { count, spellings }]) => {
    // The most used spelling; a tie goes to the first in Danish alphabetical order, so every
    // store (whatever order it lists answers in) shows the same word.
    const [word] = [...spellings].sort(([a, n], [b, m]) => m - n || a.localeCompare(b, 'da'))[0]!;
    const isHeld = [...spellings.keys()].some((s) => filter.check(s).isHeld);
    const override = poll.wordOverrides[key];
    const isShown = override === 'shown' || (override !== 'hidden' && !isHeld);
    return { key, word, count, isHeld, isShown };
  });
  words.sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
  return { kind: 'words', responses: answers.length, words };
}

/**
 * [PL7] The results as staff see them: every option's count and percentage, a scale's
 * distribution and mean, a ranking's average position, every word with its flags.
 */
export function tallyPoll(
  poll: Poll,
  answers: readonly PollAnswer[],
  filter: WordFilter,
): PollTally {
  const mine = answers.filter((a) => a.pollId === poll.id);
  const kind: PollKind = poll.spec.kind;
  switch (kind) {
    case 'single':
    case 'multiple':
      return choiceTally(poll, mine, kind);
    case 'scale':
      return scaleTally(poll, mine);
    case 'ranking':
      return rankingTally(poll, mine);
    case 'words':
      return wordTally(poll, mine, filter);
  }
}

/**
 * [PL8] The results as the wall and phones see them: hidden and held words left out, at most
 * MAX_CLOUD_WORDS of the rest.
 */
export function publicTally(tally: PollTally): PollTally {
  if (tally.kind !== 'words') return tally;
  return { ...tally, words: tally.words.filter((w) => w.isShown).slice(0, MAX_CLOUD_WORDS) };
}
