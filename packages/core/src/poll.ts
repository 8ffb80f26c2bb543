/**
 * Live polls (SPEC PL1-PL9): the moderator prepares a poll as a draft, opens it, closes it and
 * may reopen it; each device answers once and may change its answer while the poll is open.
 * A session's polls are one document stored whole and versioned (like the speaker queue), so
 * "only one poll open per session" holds however many moderators press "open" at once: two
 * changes made from one version never both apply. Answers are not part of that document: they
 * arrive by the hundred per second and are stored per device beside it (the tallies are in
 * ./poll-tally.ts).
 */
import { foldedWords } from './fold.js';
import type { DeviceId, SessionId } from './ids.js';
import { isStopWord, stemDanish } from './similarity.js';
import { checkText, graphemeLength, normaliseName } from './text.js';

export const POLL_KINDS = ['single', 'multiple', 'scale', 'ranking', 'words'] as const;
export type PollKind = (typeof POLL_KINDS)[number];
export type PollStatus = 'draft' | 'open' | 'closed';

export const MAX_POLL_QUESTION_LENGTH = 200;
export const MAX_POLL_OPTION_LENGTH = 80;
export const MIN_POLL_OPTIONS = 2;
export const MAX_POLL_OPTIONS = 10;
export const POLL_SCALES = [5, 10] as const;
export const MAX_SCALE_LABEL_LENGTH = 40;
/** [PL3] A word answer is one to three words ... */
export const MAX_WORDS_PER_ANSWER = 3;
export const MAX_WORD_ANSWER_LENGTH = 40;
/** ... and a device may give up to this many of them, as the moderator allows. */
export const MAX_WORD_ANSWERS = 5;
/** A session keeps at most this many polls: the document is read on every answer. */
export const MAX_POLLS_PER_SESSION = 50;

export interface PollOption {
  id: string;
  label: string;
}

/** What is asked and how it may be answered: the part a draft can change. */
export type PollSpec =
  | { kind: 'single'; options: PollOption[] }
  /** At most `maxChoices` options. */
  | { kind: 'multiple'; options: PollOption[]; maxChoices: number }
  /** 1..`max`, with a label at each end ("not at all" ... "very much"). */
  | { kind: 'scale'; max: 5 | 10; lowLabel: string; highLabel: string }
  /** Put up to `rankCount` of the options in order, best first. */
  | { kind: 'ranking'; options: PollOption[]; rankCount: number }
  /** Up to `maxAnswers` answers of 1-3 words each; they make the word cloud. */
  | { kind: 'words'; maxAnswers: number };

/** The moderator's word decisions on a word poll, by the word's key (wordKey). */
export type WordOverride = 'hidden' | 'shown';

export interface Poll {
  id: string;
  sessionId: SessionId;
  question: string;
  spec: PollSpec;
  status: PollStatus;
  /** [PL5] Results stay hidden from the public while the poll is open. */
  isResultsHiddenUntilClose: boolean;
  /** [PL5] The moderator shows the results on the wall and phones. */
  isResultsShown: boolean;
  /** [PL8] Words the moderator hid, or showed although the word filter held them. */
  wordOverrides: Record<string, WordOverride>;
  createdAt: number;
  updatedAt: number;
}

/** A session's polls, oldest first, with one version for all of them. */
export interface PollSet {
  sessionId: SessionId;
  /** Bumped on every change; the store applies a change only at the version it was made from. */
  version: number;
  polls: Poll[];
}

export function emptyPollSet(sessionId: SessionId): PollSet {
  return { sessionId, version: 0, polls: [] };
}

/** A device's answer, by kind. Ranking lists the chosen options best first. */
export type PollAnswerValue =
  | { kind: 'single'; optionId: string }
  | { kind: 'multiple'; optionIds: string[] }
  | { kind: 'scale'; value: number }
  | { kind: 'ranking'; optionIds: string[] }
  | { kind: 'words'; entries: string[] };

/** [PL6] One per device and poll: a new answer replaces it. Anonymous: the device never leaves the server. */
export interface PollAnswer {
  pollId: string;
  sessionId: SessionId;
  deviceId: DeviceId;
  value: PollAnswerValue;
  answeredAt: number;
}

export type PollRefusalCode = 'invalid_input' | 'invalid_state' | 'not_found';

/** Why a draft or an answer was refused: a code for the wire, a reason for the translated text. */
export type PollReason =
  | 'question_empty'
  | 'question_too_long'
  | 'too_few_options'
  | 'too_many_options'
  | 'option_empty'
  | 'option_too_long'
  | 'duplicate_option'
  | 'bad_max_choices'
  | 'bad_rank_count'
  | 'bad_scale'
  | 'label_too_long'
  | 'bad_max_answers'
  | 'too_many_polls'
  | 'no_such_poll'
  | 'not_a_draft'
  | 'not_open'
  | 'not_closed'
  | 'another_open'
  | 'not_a_word_poll'
  | 'wrong_kind'
  | 'unknown_option'
  | 'no_choice'
  | 'too_many_choices'
  | 'out_of_range'
  | 'too_many_answers'
  | 'answer_empty'
  | 'answer_too_long'
  | 'too_many_words'
  | 'only_stop_words';

export type PollRefusal = { ok: false; code: PollRefusalCode; reason: PollReason };
/** A refusal with its code and reason (the answer rules in poll-answer.ts use it too). */
export const refuse = (code: PollRefusalCode, reason: PollReason): PollRefusal => ({
  ok: false,
  code,
  reason,
});

export type PollResult = { ok: true; set: PollSet; poll: Poll } | PollRefusal;

// ── Drafts ────────────────────────────────────────────────────────────────────────────────

/** A poll as the moderator writes it; option ids are given by the caller (the server makes them). */
export interface PollDraft {
  question: string;
  spec: PollSpec;
  isResultsHiddenUntilClose: boolean;
}

function checkOptions(options: readonly PollOption[]): PollOption[] | PollRefusal {
  if (options.length < MIN_POLL_OPTIONS) return refuse('invalid_input', 'too_few_options');
  if (options.length > MAX_POLL_OPTIONS) return refuse('invalid_input', 'too_many_options');
  const out: PollOption[] = [];
  const seen = new Set<string>();
  for (const option of options) {
    const label = normaliseName(option.label);
    if (label === '') return refuse('invalid_input', 'option_empty');
    if (graphemeLength(label) > MAX_POLL_OPTION_LENGTH)
      return refuse('invalid_input', 'option_too_long');
    // "Cykelstier" and "cykelstier!" are the same option to the people choosing.
    const key = foldedWords(label).join(' ') || label;
    if (seen.has(key) || out.some((o) => o.id === option.id))
      return refuse('invalid_input', 'duplicate_option');
    seen.add(key);
    out.push({ id: option.id, label });
  }
  return out;
}

export function isInteger(n: number, min: number, max: number): boolean {
  return Number.isInteger(n) && n >= min && n <= max;
}

/** [PL1] Check and normalise a draft: question, options, each kind's limits. */
export function checkDraft(draft: PollDraft): { ok: true; draft: PollDraft } | PollRefusal {
  const question = checkText(draft.question, MAX_POLL_QUESTION_LENGTH);
  if (!question.ok)
    return refuse(
      'invalid_input',
      question.reason === 'empty' ? 'question_empty' : 'question_too_long',
    );
  const spec = draft.spec;
  let checked: PollSpec;
  if (spec.kind === 'scale') {
    if (!(POLL_SCALES as readonly number[]).includes(spec.max))
      return refuse('invalid_input', 'bad_scale');
    const lowLabel = normaliseName(spec.lowLabel);
    const highLabel = normaliseName(spec.highLabel);
    if (
      graphemeLength(lowLabel) > MAX_SCALE_LABEL_LENGTH ||
      graphemeLength(highLabel) > MAX_SCALE_LABEL_LENGTH
    )
      return refuse('invalid_input', 'label_too_long');
    checked = { kind: 'scale', max: spec.max, lowLabel, highLabel };
  } else if (spec.kind === 'words') {
    if (!isInteger(spec.maxAnswers, 1, MAX_WORD_ANSWERS))
      return refuse('invalid_input', 'bad_max_answers');
    checked = { kind: 'words', maxAnswers: spec.maxAnswers };
  } else {
    const options = checkOptions(spec.options);
    if (!Array.isArray(options)) return options;
    if (spec.kind === 'multiple') {
      if (!isInteger(spec.maxChoices, 1, options.length))
        return refuse('invalid_input', 'bad_max_choices');
      checked = { kind: 'multiple', options, maxChoices: spec.maxChoices };
    } else if (spec.kind === 'ranking') {
      if (!isInteger(spec.rankCount, 2, options.length))
        return refuse('invalid_input', 'bad_rank_count');
      checked = { kind: 'ranking', options, rankCount: spec.rankCount };
    } else checked = { kind: 'single', options };
  }
  return {
    ok: true,
    draft: {
      question: question.text,
      spec: checked,
      isResultsHiddenUntilClose: draft.isResultsHiddenUntilClose,
    },
  };
}

const bump = (set: PollSet, polls: Poll[]): PollSet => ({
  ...set,
  polls,
  version: set.version + 1,
});

function replace(set: PollSet, poll: Poll): PollResult {
  return {
    ok: true,
    poll,
    set: bump(
      set,
      set.polls.map((p) => (p.id === poll.id ? poll : p)),
    ),
  };
}

export function findPoll(set: PollSet, pollId: string): Poll | null {
  return set.polls.find((p) => p.id === pollId) ?? null;
}

export function openPollOf(set: PollSet): Poll | null {
  return set.polls.find((p) => p.status === 'open') ?? null;
}

/** [PL1] A new poll is a draft; its results are not shown until the moderator shows them. */
export function createPoll(
  set: PollSet,
  input: { id: string; draft: PollDraft; now: number },
): PollResult {
  if (set.polls.length >= MAX_POLLS_PER_SESSION) return refuse('invalid_state', 'too_many_polls');
  const checked = checkDraft(input.draft);
  if (!checked.ok) return checked;
  const poll: Poll = {
    id: input.id,
    sessionId: set.sessionId,
    ...checked.draft,
    status: 'draft',
    isResultsShown: false,
    wordOverrides: {},
    createdAt: input.now,
    updatedAt: input.now,
  };
  return { ok: true, poll, set: bump(set, [...set.polls, poll]) };
}

/** [PL2] Only a draft can be rewritten: once people answered, the question stays what they saw. */
export function updateDraft(
  set: PollSet,
  pollId: string,
  draft: PollDraft,
  now: number,
): PollResult {
  const poll = findPoll(set, pollId);
  if (!poll) return refuse('not_found', 'no_such_poll');
  if (poll.status !== 'draft') return refuse('invalid_state', 'not_a_draft');
  const checked = checkDraft(draft);
  if (!checked.ok) return checked;
  return replace(set, { ...poll, ...checked.draft, updatedAt: now });
}

/**
 * [PL2] Open a draft, or reopen a closed poll (its answers kept). Only one poll is open in a
 * session: opening another while one is open is refused rather than closing it unasked.
 */
export function openPoll(
  set: PollSet,
  pollId: string,
  from: 'draft' | 'closed',
  now: number,
): PollResult {
  const poll = findPoll(set, pollId);
  if (!poll) return refuse('not_found', 'no_such_poll');
  if (poll.status !== from)
    return refuse('invalid_state', from === 'draft' ? 'not_a_draft' : 'not_closed');
  if (openPollOf(set)) return refuse('invalid_state', 'another_open');
  return replace(set, { ...poll, status: 'open', updatedAt: now });
}

export function closePoll(set: PollSet, pollId: string, now: number): PollResult {
  const poll = findPoll(set, pollId);
  if (!poll) return refuse('not_found', 'no_such_poll');
  if (poll.status !== 'open') return refuse('invalid_state', 'not_open');
  return replace(set, { ...poll, status: 'closed', updatedAt: now });
}

/** [PL5] Show or hide the results on the wall and phones (a draft has none to show). */
export function setResultsShown(
  set: PollSet,
  pollId: string,
  isShown: boolean,
  now: number,
): PollResult {
  const poll = findPoll(set, pollId);
  if (!poll) return refuse('not_found', 'no_such_poll');
  if (poll.status === 'draft') return refuse('invalid_state', 'not_open');
  return replace(set, { ...poll, isResultsShown: isShown, updatedAt: now });
}

/** [PL8] Hide a word of the word cloud, or show one (also one the word filter held). */
export function setWordHidden(
  set: PollSet,
  pollId: string,
  word: string,
  isHidden: boolean,
  now: number,
): PollResult {
  const poll = findPoll(set, pollId);
  if (!poll) return refuse('not_found', 'no_such_poll');
  if (poll.spec.kind !== 'words') return refuse('invalid_state', 'not_a_word_poll');
  const key = wordKey(word);
  if (key === '') return refuse('invalid_input', 'answer_empty');
  const wordOverrides: Record<string, WordOverride> = {
    ...poll.wordOverrides,
    [key]: isHidden ? 'hidden' : 'shown',
  };
  return replace(set, { ...poll, wordOverrides, updatedAt: now });
}

/**
 * [PL5] Whether the public (wall, phones) sees the results now: shown by the moderator, never
 * for a draft, and not while the poll is open if its results are hidden until it closes.
 */
export function arePublicResultsVisible(poll: Poll): boolean {
  if (poll.status === 'draft' || !poll.isResultsShown) return false;
  return !(poll.isResultsHiddenUntilClose && poll.status === 'open');
}

// ── Words ─────────────────────────────────────────────────────────────────────────────────

// The key of a word answer is its folded words without stop words, each stemmed with core's
// light Danish stemmer: "Cykelstier", "cykelsti" and "CYKELSTIER!" are one word in the cloud.
/** [PL3] The key a word answer is counted and hidden under; '' when nothing but stop words. */
export function wordKey(text: string): string {
  return foldedWords(text)
    .filter((w) => !isStopWord(w))
    .map(stemDanish)
    .join(' ');
}
