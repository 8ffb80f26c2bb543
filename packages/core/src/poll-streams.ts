/**
 * Which stream hears what of a poll (SPEC PL9): staff see every poll, drafts included; the
 * public stream (phones, wall) sees a poll from the moment it opens, never a draft, and
 * never the moderator's word decisions; a device's private stream carries its own answer, so
 * its other tabs show it too. Tallies are not stream entries: like counts they carry absolute
 * values and travel beside the streams (poll-tally.ts).
 */
import type { Poll, PollAnswer, PollAnswerValue, PollSet } from './poll.js';
import type { StreamAppend } from './streams.js';
import { privateStream } from './streams.js';

export type PollView = Omit<Poll, 'sessionId'>;

/** The device's own answer as its phone shows it; the device itself never leaves the server. */
export interface PollAnswerView {
  pollId: string;
  value: PollAnswerValue;
  answeredAt: number;
}

export function pollView(poll: Poll): PollView {
  const { sessionId: _session, ...view } = poll;
  return view;
}

/** [PL9] The public view: no word decisions (a hidden word must not be readable on a phone). */
export function publicPollView(poll: Poll): PollView {
  return { ...pollView(poll), wordOverrides: {} };
}

export function answerView(answer: PollAnswer): PollAnswerView {
  return { pollId: answer.pollId, value: answer.value, answeredAt: answer.answeredAt };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** [PL9] The polls of a stream's snapshot, in its view, oldest first. */
export function streamPolls(stream: 'public' | 'staff', set: PollSet): PollView[] {
  if (stream === 'staff') return set.polls.map(pollView);
  return set.polls.filter((p) => p.status !== 'draft').map(publicPollView);
}

/** [PL9] The entries for a change of a session's polls from `before` to `after`. */
export function pollAppends(before: PollSet, after: PollSet): StreamAppend[] {
  const out: StreamAppend[] = [];
  for (const poll of after.polls) {
    const old = before.polls.find((p) => p.id === poll.id) ?? null;
    if (old && same(old, poll)) continue;
    if (poll.status !== 'draft') {
      const view = publicPollView(poll);
      if (!old || old.status === 'draft' || !same(publicPollView(old), view))
        out.push({ stream: 'public', update: { type: 'poll:updated', poll: view } });
    }
    out.push({ stream: 'staff', update: { type: 'poll:updated', poll: pollView(poll) } });
  }
  return out;
}

/** [PL9] A device's answer goes to its own private stream only. */
export function answerAppends(answer: PollAnswer): StreamAppend[] {
  return [
    {
      stream: privateStream(answer.deviceId),
      update: { type: 'poll:answered', answer: answerView(answer) },
    },
  ];
}
