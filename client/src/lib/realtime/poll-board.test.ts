import { describe, expect, it } from 'vitest';
import type { PollView } from '@gt/core';
import { PollBoard } from './poll-board.js';
import type { JoinAck } from './types.js';

const poll = (id: string, updatedAt: number, extra: Partial<PollView> = {}): PollView => ({
  id,
  question: `Q ${id}`,
  spec: { kind: 'words', maxAnswers: 3 },
  status: 'open',
  isResultsHiddenUntilClose: false,
  isResultsShown: false,
  wordOverrides: {},
  createdAt: 1,
  updatedAt,
  ...extra,
});
const tally = (responses: number) => ({ kind: 'words' as const, responses, words: [] });

function ack(streams: Partial<Record<'public' | 'staff', unknown>>, pollResults = []): JoinAck {
  return { streams, pollResults } as unknown as JoinAck;
}

describe('PollBoard', () => {
  it('[PL9] takes the polls of its own stream only: the staff view keeps the word decisions', () => {
    const board = new PollBoard('staff');
    const staffView = poll('pol_aaaaaaaa', 5, { wordOverrides: { sko: 'hidden' } });
    board.adoptJoin(
      ack({
        public: { seq: 1, posts: [], polls: [poll('pol_aaaaaaaa', 5)] },
        staff: { seq: 1, posts: [], polls: [staffView] },
      }),
    );
    expect(board.polls).toEqual([staffView]);
  });

  it('[PL9] a resumed stream brings its poll entries; an older poll view never replaces a newer', () => {
    const board = new PollBoard('public');
    board.adoptPoll(poll('pol_aaaaaaaa', 9, { status: 'closed' }));
    board.adoptJoin(
      ack({
        public: {
          seq: 4,
          posts: [],
          resumedFrom: 2,
          entries: [
            { seq: 3, update: { type: 'poll:updated', poll: poll('pol_aaaaaaaa', 7) } },
            { seq: 4, update: { type: 'poll:updated', poll: poll('pol_bbbbbbbb', 8) } },
          ],
        },
      }),
    );
    expect(board.polls.map((p) => [p.id, p.status])).toEqual([
      ['pol_aaaaaaaa', 'closed'],
      ['pol_bbbbbbbb', 'open'],
    ]);
  });

  it('[PL10] of two crossing results the higher revision wins, and listeners hear of changes', () => {
    const board = new PollBoard('staff');
    let heard = 0;
    board.subscribe(() => (heard += 1));
    board.adoptResults({ pollId: 'pol_aaaaaaaa', revision: 5, tally: tally(5) });
    board.adoptResults({ pollId: 'pol_aaaaaaaa', revision: 3, tally: tally(3) });
    expect(board.results('pol_aaaaaaaa')?.tally.responses).toBe(5);
    expect(heard).toBe(1);
    expect(board.results('pol_bbbbbbbb')).toBeNull();
  });
});
