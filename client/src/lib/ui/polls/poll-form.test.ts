import { describe, expect, it } from 'vitest';
import type { PollView } from '@gt/core';
import { draftFromForm, formValuesOf, optionLines, pollActionsOf } from './poll-form.js';

function form(fields: Record<string, string>) {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  return data;
}
const poll = (id: string, extra: Partial<PollView>): PollView => ({
  id,
  question: 'Hvad først?',
  spec: { kind: 'single', options: [{ id: 'o1', label: 'Skoler' }] },
  status: 'draft',
  isResultsHiddenUntilClose: false,
  isResultsShown: false,
  wordOverrides: {},
  createdAt: 1,
  updatedAt: 1,
  ...extra,
});

describe('the poll draft form', () => {
  it('[PL1] reads each kind with only the fields it takes; options one a line', () => {
    const all = {
      question: 'Hvad først?',
      options: 'Cykelstier\r\n\n  Skoler \n',
      maxChoices: '2',
      rankCount: '1',
      maxAnswers: '3',
      scaleMax: '10',
      lowLabel: 'Lidt',
      highLabel: 'Meget',
    };
    expect(draftFromForm(form({ ...all, kind: 'single' }))).toEqual({
      question: 'Hvad først?',
      spec: { kind: 'single', options: ['Cykelstier', 'Skoler'] },
      isResultsHiddenUntilClose: false,
    });
    expect(draftFromForm(form({ ...all, kind: 'multiple' }))?.spec).toEqual({
      kind: 'multiple',
      options: ['Cykelstier', 'Skoler'],
      maxChoices: 2,
    });
    expect(draftFromForm(form({ ...all, kind: 'ranking' }))?.spec).toEqual({
      kind: 'ranking',
      options: ['Cykelstier', 'Skoler'],
      rankCount: 1,
    });
    expect(draftFromForm(form({ ...all, kind: 'scale' }))?.spec).toEqual({
      kind: 'scale',
      max: 10,
      lowLabel: 'Lidt',
      highLabel: 'Meget',
    });
    expect(
      draftFromForm(form({ ...all, kind: 'words', isResultsHiddenUntilClose: 'on' })),
    ).toMatchObject({ spec: { kind: 'words', maxAnswers: 3 }, isResultsHiddenUntilClose: true });
  });

  it('refuses a kind core does not know, and leaves a number that is none to the server', () => {
    expect(draftFromForm(form({ question: 'x', kind: 'essay' }))).toBeNull();
    const spec = draftFromForm(form({ question: 'x', kind: 'words', maxAnswers: 'tre' }))?.spec;
    expect(spec && 'maxAnswers' in spec && Number.isNaN(spec.maxAnswers)).toBe(true);
    expect(optionLines(' \n')).toEqual([]);
  });

  it('fills the form from a draft, so editing starts from what it says', () => {
    expect(formValuesOf(poll('pol_aaaaaaaa', {}))).toMatchObject({
      kind: 'single',
      options: 'Skoler',
    });
  });

  it('[PL2] offers open only while no other poll is open, and results only once opened', () => {
    const draft = poll('pol_aaaaaaaa', {});
    const open = poll('pol_bbbbbbbb', { status: 'open' });
    const closed = poll('pol_cccccccc', { status: 'closed', isResultsShown: true });
    expect(pollActionsOf(draft, [draft])).toEqual(['open']);
    expect(pollActionsOf(draft, [draft, open])).toEqual([]);
    expect(pollActionsOf(open, [draft, open])).toEqual(['close', 'show-results']);
    expect(pollActionsOf(closed, [closed, open])).toEqual(['hide-results']);
    expect(pollActionsOf(closed, [closed])).toEqual(['reopen', 'hide-results']);
  });
});
