import { describe, expect, it } from 'vitest';
import type { ViewPost } from '../realtime/replica-view.js';
import { postWire } from '../realtime/testing/post-wire.js';
import { DuplicateMatcher } from './duplicate-matcher.js';
import { hintCandidates } from './views.js';

const post = (id: string, text: string, change: Partial<ViewPost> = {}): ViewPost => ({
  ...postWire(id),
  text,
  isMine: false,
  ...change,
});

describe('the duplicate hint while typing', () => {
  const room = [
    post('bike', 'Hvornår kommer der en sikker cykelsti langs Strandvejen?'),
    post('library', 'Kan biblioteket holde åbent om søndagen?'),
    post('mine', 'Hvorfor er der ingen cykelsti på Strandvejen?', { isMine: true }),
    post('answered', 'Kommer der cykelsti ved Strandvejen?', { status: 'answered' }),
    post('pending', 'Cykelsti på Strandvejen, hvornår?', { status: 'pending' }),
  ];

  it('[D5] offers a visible post of someone else that asks the same, in other words and spelling', () => {
    const matcher = new DuplicateMatcher();
    const candidates = hintCandidates(room);
    expect(matcher.match('hvornaar kommer cykelstien paa strandvejen', candidates)).toEqual([
      'bike',
    ]);
    expect(matcher.match('kan biblioteket holde aabent om soendagen', candidates)).toEqual([
      'library',
    ]);
  });

  it('[D5] never offers the person’s own, answered or waiting posts, and nothing for an unrelated text', () => {
    const candidates = hintCandidates(room);
    expect(candidates.map((p) => p.id)).toEqual(['bike', 'library']);
    expect(new DuplicateMatcher().match('Flere bænke ved stranden, tak', candidates)).toEqual([]);
  });

  it('prepares the candidates once per list and again when the list changes', () => {
    const matcher = new DuplicateMatcher();
    const first = hintCandidates(room);
    expect(matcher.match('Sikker cykelsti langs Strandvejen', first)).toEqual(['bike']);
    const later = [...first, post('bike-2', 'En sikker cykelsti langs Strandvejen, hvornår?')];
    expect(matcher.match('Sikker cykelsti langs Strandvejen', later).sort()).toEqual([
      'bike',
      'bike-2',
    ]);
  });
});
