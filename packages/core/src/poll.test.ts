import { describe, expect, it } from 'vitest';
import { asId } from './ids.js';
import type { DeviceId, SessionId } from './ids.js';
import {
  arePublicResultsVisible,
  checkDraft,
  closePoll,
  createPoll,
  emptyPollSet,
  MAX_POLLS_PER_SESSION,
  openPoll,
  openPollOf,
  setResultsShown,
  setWordHidden,
  updateDraft,
  wordKey,
} from './poll.js';
import type { Poll, PollAnswerValue, PollDraft, PollResult, PollSet, PollSpec } from './poll.js';
import { checkAnswer } from './poll-answer.js';
import { publicTally, tallyPoll } from './poll-tally.js';
import type { PollTally } from './poll-tally.js';
import { createWordFilter } from './word-filter.js';

const SESSION = asId<SessionId>('ses_00000001');
const options = (...labels: string[]) => labels.map((label, i) => ({ id: `o${i + 1}`, label }));
const draft = (spec: PollSpec, isResultsHiddenUntilClose = false): PollDraft => ({
  question: 'Hvad skal vi gøre først?',
  spec,
  isResultsHiddenUntilClose,
});
const SINGLE: PollSpec = { kind: 'single', options: options('Cykelstier', 'Skoler', 'Bibliotek') };

function ok(result: PollResult): { set: PollSet; poll: Poll } {
  if (!result.ok) throw new Error(result.reason);
  return result;
}

function withPoll(spec: PollSpec, status: 'draft' | 'open' | 'closed' = 'open') {
  let { set, poll } = ok(
    createPoll(emptyPollSet(SESSION), { id: 'pol_1', draft: draft(spec), now: 1 }),
  );
  if (status !== 'draft') ({ set, poll } = ok(openPoll(set, poll.id, 'draft', 2)));
  if (status === 'closed') ({ set, poll } = ok(closePoll(set, poll.id, 3)));
  return { set, poll };
}

const answersOf = (poll: Poll, ...values: PollAnswerValue[]) =>
  values.map((value, i) => ({
    pollId: poll.id,
    sessionId: SESSION,
    deviceId: asId<DeviceId>(`dev_${i}`),
    value,
    answeredAt: i,
  }));

const filter = createWordFilter();
const tally = (poll: Poll, ...values: PollAnswerValue[]): PollTally =>
  tallyPoll(poll, answersOf(poll, ...values), filter);

describe('poll drafts', () => {
  it('[PL1] normalises a draft and checks each kind’s limits', () => {
    const checked = checkDraft({
      question: '  Hvad   skal vi gøre først? ',
      spec: { kind: 'multiple', options: options(' Cykelstier ', 'Skoler'), maxChoices: 2 },
      isResultsHiddenUntilClose: true,
    });
    expect(checked).toMatchObject({
      ok: true,
      draft: {
        question: 'Hvad skal vi gøre først?',
        spec: { options: [{ label: 'Cykelstier' }, { label: 'Skoler' }] },
      },
    });
    const refused = (spec: PollSpec, question = 'Q?') =>
      checkDraft({ question, spec, isResultsHiddenUntilClose: false });
    expect(refused(SINGLE, '   ')).toMatchObject({ ok: false, reason: 'question_empty' });
    expect(refused(SINGLE, 'x'.repeat(201))).toMatchObject({ reason: 'question_too_long' });
    expect(refused({ kind: 'single', options: options('Kun én') })).toMatchObject({
      reason: 'too_few_options',
    });
    expect(
      refused({
        kind: 'single',
        options: options(...Array.from({ length: 11 }, (_, i) => `${i}`)),
      }),
    ).toMatchObject({ reason: 'too_many_options' });
    expect(refused({ kind: 'single', options: options('Skoler', 'skoler!') })).toMatchObject({
      reason: 'duplicate_option',
    });
    expect(refused({ kind: 'single', options: options('Skoler', 'x'.repeat(81)) })).toMatchObject({
      reason: 'option_too_long',
    });
    expect(refused({ kind: 'multiple', options: options('a', 'b'), maxChoices: 3 })).toMatchObject({
      reason: 'bad_max_choices',
    });
    expect(refused({ kind: 'ranking', options: options('a', 'b'), rankCount: 1 })).toMatchObject({
      reason: 'bad_rank_count',
    });
    expect(
      refused({ kind: 'scale', max: 7 as 5, lowLabel: 'lav', highLabel: 'høj' }),
    ).toMatchObject({ reason: 'bad_scale' });
    expect(
      refused({ kind: 'scale', max: 10, lowLabel: 'x'.repeat(41), highLabel: 'høj' }),
    ).toMatchObject({ reason: 'label_too_long' });
    expect(refused({ kind: 'words', maxAnswers: 0 })).toMatchObject({ reason: 'bad_max_answers' });
    expect(refused({ kind: 'words', maxAnswers: 6 })).toMatchObject({ reason: 'bad_max_answers' });
    expect(refused({ kind: 'words', maxAnswers: 3 })).toMatchObject({ ok: true });
  });

  it('[PL1] a session holds at most 50 polls', () => {
    let set = emptyPollSet(SESSION);
    for (let i = 0; i < MAX_POLLS_PER_SESSION; i++)
      set = ok(createPoll(set, { id: `pol_${i}`, draft: draft(SINGLE), now: i })).set;
    expect(createPoll(set, { id: 'pol_x', draft: draft(SINGLE), now: 99 })).toMatchObject({
      ok: false,
      reason: 'too_many_polls',
    });
  });

  it('[PL2] a new poll is a draft that can be changed; an opened one cannot', () => {
    const { set, poll } = withPoll(SINGLE, 'draft');
    expect(poll).toMatchObject({ status: 'draft', isResultsShown: false });
    expect(set.version).toBe(1);
    const changed = ok(updateDraft(set, poll.id, draft({ kind: 'words', maxAnswers: 2 }), 5));
    expect(changed.poll.spec).toEqual({ kind: 'words', maxAnswers: 2 });
    expect(changed.set.version).toBe(2);
    const opened = ok(openPoll(changed.set, poll.id, 'draft', 6));
    expect(updateDraft(opened.set, poll.id, draft(SINGLE), 7)).toMatchObject({
      ok: false,
      code: 'invalid_state',
      reason: 'not_a_draft',
    });
    expect(updateDraft(opened.set, 'pol_nope', draft(SINGLE), 7)).toMatchObject({
      code: 'not_found',
    });
  });
});

describe('running a poll', () => {
  it('[PL2] opens, closes and reopens; only one poll is open at a time', () => {
    let set = emptyPollSet(SESSION);
    set = ok(createPoll(set, { id: 'pol_a', draft: draft(SINGLE), now: 1 })).set;
    set = ok(createPoll(set, { id: 'pol_b', draft: draft(SINGLE), now: 2 })).set;
    set = ok(openPoll(set, 'pol_a', 'draft', 3)).set;
    expect(openPollOf(set)?.id).toBe('pol_a');
    expect(openPoll(set, 'pol_b', 'draft', 4)).toMatchObject({ ok: false, reason: 'another_open' });
    expect(openPoll(set, 'pol_a', 'closed', 4)).toMatchObject({ ok: false, reason: 'not_closed' });
    set = ok(closePoll(set, 'pol_a', 5)).set;
    expect(closePoll(set, 'pol_a', 6)).toMatchObject({ ok: false, reason: 'not_open' });
    set = ok(openPoll(set, 'pol_b', 'draft', 7)).set;
    expect(openPoll(set, 'pol_a', 'closed', 8)).toMatchObject({
      ok: false,
      reason: 'another_open',
    });
    set = ok(closePoll(set, 'pol_b', 9)).set;
    set = ok(openPoll(set, 'pol_a', 'closed', 10)).set;
    expect(set.polls.map((p) => p.status)).toEqual(['open', 'closed']);
  });

  it('[PL5] the public sees results only when shown, and not while open when hidden until close', () => {
    const { set, poll } = withPoll(SINGLE, 'draft');
    expect(setResultsShown(set, poll.id, true, 2)).toMatchObject({ ok: false, reason: 'not_open' });
    expect(arePublicResultsVisible(poll)).toBe(false);
    const open = ok(openPoll(set, poll.id, 'draft', 3));
    expect(arePublicResultsVisible(open.poll)).toBe(false);
    const shown = ok(setResultsShown(open.set, poll.id, true, 4));
    expect(arePublicResultsVisible(shown.poll)).toBe(true);
    const hiddenUntilClose = { ...shown.poll, isResultsHiddenUntilClose: true };
    expect(arePublicResultsVisible(hiddenUntilClose)).toBe(false);
    expect(arePublicResultsVisible({ ...hiddenUntilClose, status: 'closed' })).toBe(true);
    const hidden = ok(setResultsShown(shown.set, poll.id, false, 5));
    expect(arePublicResultsVisible(hidden.poll)).toBe(false);
  });
});

describe('answers', () => {
  it('[PL4] refuses an answer to a poll that is not open, or of another kind', () => {
    expect(
      checkAnswer(withPoll(SINGLE, 'draft').poll, { kind: 'single', optionId: 'o1' }),
    ).toMatchObject({
      ok: false,
      code: 'invalid_state',
      reason: 'not_open',
    });
    expect(
      checkAnswer(withPoll(SINGLE, 'closed').poll, { kind: 'single', optionId: 'o1' }),
    ).toMatchObject({
      reason: 'not_open',
    });
    expect(checkAnswer(withPoll(SINGLE).poll, { kind: 'scale', value: 1 })).toMatchObject({
      reason: 'wrong_kind',
    });
    expect(checkAnswer(withPoll(SINGLE).poll, { kind: 'single', optionId: 'o1' })).toMatchObject({
      ok: true,
    });
  });

  it('[PL4] refuses unknown, repeated, missing and too many choices, and scale values out of range', () => {
    const single = withPoll(SINGLE).poll;
    expect(checkAnswer(single, { kind: 'single', optionId: 'o9' })).toMatchObject({
      reason: 'unknown_option',
    });
    const multiple = withPoll({
      kind: 'multiple',
      options: options('a', 'b', 'c'),
      maxChoices: 2,
    }).poll;
    expect(checkAnswer(multiple, { kind: 'multiple', optionIds: [] })).toMatchObject({
      reason: 'no_choice',
    });
    expect(checkAnswer(multiple, { kind: 'multiple', optionIds: ['o1', 'o1'] })).toMatchObject({
      reason: 'duplicate_option',
    });
    expect(
      checkAnswer(multiple, { kind: 'multiple', optionIds: ['o1', 'o2', 'o3'] }),
    ).toMatchObject({
      reason: 'too_many_choices',
    });
    expect(checkAnswer(multiple, { kind: 'multiple', optionIds: ['o3', 'o1'] })).toMatchObject({
      ok: true,
    });
    const ranking = withPoll({
      kind: 'ranking',
      options: options('a', 'b', 'c'),
      rankCount: 2,
    }).poll;
    expect(checkAnswer(ranking, { kind: 'ranking', optionIds: ['o1', 'o2', 'o3'] })).toMatchObject({
      reason: 'too_many_choices',
    });
    const scale = withPoll({ kind: 'scale', max: 5, lowLabel: 'lidt', highLabel: 'meget' }).poll;
    for (const value of [0, 6, 2.5])
      expect(checkAnswer(scale, { kind: 'scale', value })).toMatchObject({
        reason: 'out_of_range',
      });
    expect(checkAnswer(scale, { kind: 'scale', value: 5 })).toMatchObject({ ok: true });
  });

  it('[PL3][PL4] checks word answers: count, length, words, stop words; repeats fold into one', () => {
    const words = withPoll({ kind: 'words', maxAnswers: 2 }).poll;
    const check = (...entries: string[]) => checkAnswer(words, { kind: 'words', entries });
    expect(check()).toMatchObject({ reason: 'answer_empty' });
    expect(check('a', 'b', 'c')).toMatchObject({ reason: 'too_many_answers' });
    expect(check('  ')).toMatchObject({ reason: 'answer_empty' });
    expect(check('x'.repeat(41))).toMatchObject({ reason: 'answer_too_long' });
    expect(check('grøn by med træer')).toMatchObject({ reason: 'too_many_words' });
    expect(check('og det')).toMatchObject({ reason: 'only_stop_words' });
    expect(check('the and')).toMatchObject({ reason: 'only_stop_words' });
    expect(check('  Cykelstier ', 'cykelsti')).toEqual({
      ok: true,
      value: { kind: 'words', entries: ['Cykelstier'] },
    });
  });

  it('[PL3] a word counts under one key whatever its case, æ/ae spelling or inflection', () => {
    expect(wordKey('Cykelstier')).toBe(wordKey('cykelsti'));
    expect(wordKey('GRØNNE OMRÅDER')).toBe(wordKey('groenne omraader'));
    expect(wordKey('det grønne område')).toBe(wordKey('grønne områder'));
    expect(wordKey('skoler')).not.toBe(wordKey('cykler'));
  });
});

describe('tallies', () => {
  it('[PL7] counts each option with its percentage of the devices that answered', () => {
    const poll = withPoll(SINGLE).poll;
    expect(
      tally(
        poll,
        { kind: 'single', optionId: 'o1' },
        { kind: 'single', optionId: 'o1' },
        { kind: 'single', optionId: 'o2' },
      ),
    ).toEqual({
      kind: 'single',
      responses: 3,
      options: [
        { optionId: 'o1', count: 2, percent: 67 },
        { optionId: 'o2', count: 1, percent: 33 },
        { optionId: 'o3', count: 0, percent: 0 },
      ],
    });
    expect(tally(poll)).toMatchObject({ responses: 0, options: [{ percent: 0 }, {}, {}] });
    const multiple = withPoll({ kind: 'multiple', options: options('a', 'b'), maxChoices: 2 }).poll;
    expect(
      tally(
        multiple,
        { kind: 'multiple', optionIds: ['o1', 'o2'] },
        { kind: 'multiple', optionIds: ['o1'] },
      ),
    ).toMatchObject({
      responses: 2,
      options: [
        { count: 2, percent: 100 },
        { count: 1, percent: 50 },
      ],
    });
  });

  it('[PL7] gives a scale’s distribution and mean, and a ranking’s average position', () => {
    const scale = withPoll({ kind: 'scale', max: 5, lowLabel: '', highLabel: '' }).poll;
    expect(
      tally(
        scale,
        { kind: 'scale', value: 1 },
        { kind: 'scale', value: 4 },
        { kind: 'scale', value: 4 },
      ),
    ).toEqual({ kind: 'scale', responses: 3, distribution: [1, 0, 0, 2, 0], mean: 3 });
    expect(tally(scale)).toMatchObject({ mean: null, distribution: [0, 0, 0, 0, 0] });
    const ranking = withPoll({
      kind: 'ranking',
      options: options('a', 'b', 'c'),
      rankCount: 3,
    }).poll;
    expect(
      tally(
        ranking,
        { kind: 'ranking', optionIds: ['o1', 'o2'] },
        { kind: 'ranking', optionIds: ['o2', 'o1', 'o3'] },
      ),
    ).toEqual({
      kind: 'ranking',
      responses: 2,
      options: [
        { optionId: 'o1', count: 2, averagePosition: 1.5 },
        { optionId: 'o2', count: 2, averagePosition: 1.5 },
        { optionId: 'o3', count: 1, averagePosition: 3 },
      ],
    });
  });

  it('[PL7] counts only the answers to this poll', () => {
    const poll = withPoll(SINGLE).poll;
    const answers = answersOf(poll, { kind: 'single', optionId: 'o1' });
    const other = { ...answers[0]!, pollId: 'pol_other', deviceId: asId<DeviceId>('dev_x') };
    expect(tallyPoll(poll, [...answers, other], filter).responses).toBe(1);
  });

  it('[PL7] counts words by devices, most first, in the spelling most used', () => {
    const poll = withPoll({ kind: 'words', maxAnswers: 3 }).poll;
    const result = tally(
      poll,
      { kind: 'words', entries: ['Cykelstier', 'skoler'] },
      { kind: 'words', entries: ['cykelstier', 'Cykelsti'] },
      { kind: 'words', entries: ['Cykelstier'] },
    );
    expect(result).toMatchObject({
      responses: 3,
      words: [
        { word: 'cykelstier', count: 3, isShown: true, isHeld: false },
        { word: 'skoler', count: 1 },
      ],
    });
  });

  it('[PL7] shows the same spelling whatever order the answers come in, without punctuation', () => {
    const poll = withPoll({ kind: 'words', maxAnswers: 1 }).poll;
    const values: PollAnswerValue[] = [
      { kind: 'words', entries: ['Cykelsti'] },
      { kind: 'words', entries: ['CYKELSTIER!'] },
      { kind: 'words', entries: ['cykelstier'] },
      { kind: 'words', entries: ['Parker'] },
      { kind: 'words', entries: ['parkerne'] },
    ];
    const shown = (t: PollTally) => (t.kind === 'words' ? t.words.map((w) => w.word) : []);
    expect(shown(tally(poll, ...values))).toEqual(['cykelstier', 'parker']);
    expect(shown(tally(poll, ...[...values].reverse()))).toEqual(['cykelstier', 'parker']);
  });

  it('[PL8] a held word and a hidden word leave the public results; staff can show a held one', () => {
    let { set, poll } = withPoll({ kind: 'words', maxAnswers: 1 });
    const values: PollAnswerValue[] = [
      { kind: 'words', entries: ['lort'] },
      { kind: 'words', entries: ['parker'] },
      { kind: 'words', entries: ['busser'] },
    ];
    const staff = tally(poll, ...values);
    expect(staff.kind === 'words' && staff.words.map((w) => [w.word, w.isHeld, w.isShown])).toEqual(
      [
        ['busser', false, true],
        ['lort', true, false],
        ['parker', false, true],
      ],
    );
    const shownWords = (t: PollTally) => (t.kind === 'words' ? t.words.map((w) => w.word) : []);
    expect(shownWords(publicTally(staff))).toEqual(['busser', 'parker']);
    ({ set, poll } = ok(setWordHidden(set, poll.id, 'Parker', true, 5)));
    ({ set, poll } = ok(setWordHidden(set, poll.id, 'lort', false, 6)));
    expect(shownWords(publicTally(tally(poll, ...values)))).toEqual(['busser', 'lort']);
    expect(setWordHidden(withPoll(SINGLE).set, 'pol_1', 'x', true, 7)).toMatchObject({
      reason: 'not_a_word_poll',
    });
  });

  it('[PL8] the public gets at most 60 words', () => {
    const poll = withPoll({ kind: 'words', maxAnswers: 1 }).poll;
    const values = Array.from({ length: 70 }, (_, i): PollAnswerValue => ({
      kind: 'words',
      entries: [
        `ord${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`,
      ],
    }));
    const result = publicTally(tally(poll, ...values));
    expect(result.kind === 'words' && result.words.length).toBe(60);
  });
});
