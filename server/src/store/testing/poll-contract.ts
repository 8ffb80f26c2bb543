/**
 * Contract cases for live polls (SPEC PL6, ST19). store-contract.ts adds them to the cases
 * every implementation runs.
 */
import { expect } from 'vitest';
import { answerAppends, asId, createPoll, emptyPollSet, openPoll, pollAppends } from '@gt/core';
import type { DeviceId, PollAnswer, PollSet, SessionId } from '@gt/core';
import type { Store } from '../store.js';
import { makeCommand, makeEvent, makeOrg, makeSession, testId, tick } from './factories.js';
import type { ContractCase } from './factories.js';

async function newSession(store: Store): Promise<SessionId> {
  const org = makeOrg();
  await store.saveOrganisation(org);
  const event = makeEvent(org.id);
  await store.createEvent(event);
  const session = makeSession(event);
  await store.createSession(session);
  return asId<SessionId>(session.id);
}

function withPoll(set: PollSet, id = testId('pol')): PollSet {
  const result = createPoll(set, {
    id,
    draft: {
      question: 'Hvad først?',
      spec: {
        kind: 'single',
        options: [
          { id: 'o1', label: 'Cykelstier' },
          { id: 'o2', label: 'Skoler' },
        ],
      },
      isResultsHiddenUntilClose: false,
    },
    now: tick(),
  });
  if (!result.ok) throw new Error(result.reason);
  return result.set;
}

/** A session with one open poll, stored. */
async function openedPoll(store: Store) {
  const sessionId = await newSession(store);
  const draft = withPoll(emptyPollSet(sessionId));
  const pollId = draft.polls[0]!.id;
  const opened = openPoll(draft, pollId, 'draft', tick());
  if (!opened.ok) throw new Error(opened.reason);
  expect((await store.savePolls(makeCommand(), draft, 0, [], null)).kind).toBe('committed');
  expect((await store.savePolls(makeCommand(), opened.set, 1, [], null)).kind).toBe('committed');
  return { sessionId, pollId, version: opened.set.version };
}

const answer = (
  sessionId: SessionId,
  pollId: string,
  deviceId: string,
  optionId: string,
): PollAnswer => ({
  pollId,
  sessionId,
  deviceId: asId<DeviceId>(deviceId),
  value: { kind: 'single', optionId },
  answeredAt: tick(),
});

const countOf = (answers: PollAnswer[], optionId: string) =>
  answers.filter((a) => a.value.kind === 'single' && a.value.optionId === optionId).length;

export const pollContractCases: ContractCase[] = [
  {
    name: '[ST19] a session’s polls are saved at their stored version only, with their stream and log entries; a replay or a stale version writes nothing',
    async run(store) {
      const sessionId = await newSession(store);
      expect(await store.getPolls(sessionId)).toBeNull();
      const empty = emptyPollSet(sessionId);
      const one = withPoll(empty);
      const cmd = makeCommand();
      const log = [
        {
          id: testId('log'),
          sessionId,
          at: tick(),
          actor: 'Ordstyrer',
          action: 'poll-open' as const,
          postId: null,
          detail: 'Hvad først?',
        },
      ];
      const first = await store.savePolls(cmd, one, 0, pollAppends(empty, one), { n: 1 }, log);
      expect(first.kind).toBe('committed');
      if (first.kind === 'committed') {
        expect(first.entries.map((e) => [e.stream, e.seq, e.update.type])).toEqual([
          ['staff', 1, 'poll:updated'],
        ]);
        expect(first.log?.map((e) => [e.seq, e.action])).toEqual([[1, 'poll-open']]);
      }
      expect(await store.getPolls(sessionId)).toEqual(one);
      expect(await store.savePolls(cmd, one, 0, [], { n: 2 })).toEqual({
        kind: 'replay',
        ack: { n: 1 },
      });
      const two = withPoll(one);
      const rival = withPoll(one);
      expect((await store.savePolls(makeCommand(), two, 1, pollAppends(one, two), null)).kind).toBe(
        'committed',
      );
      const stale = await store.savePolls(makeCommand(), rival, 1, pollAppends(one, rival), null);
      expect(stale.kind).toBe('conflict');
      expect(await store.getPolls(sessionId)).toEqual(two);
      expect((await store.readStream(sessionId, 'staff', 0, 10)).head).toBe(2);
      expect(await store.listLog(sessionId, null, 10)).toHaveLength(1);
    },
  },
  {
    name: '[ST19] [PL6] a device’s answer replaces its earlier one and goes to its private stream; a replay counts once; an answer checked against stale polls writes nothing',
    async run(store) {
      const { sessionId, pollId, version } = await openedPoll(store);
      const device = testId('dev');
      const first = answer(sessionId, pollId, device, 'o1');
      const cmd = makeCommand(`dev:${device}`);
      const saved = await store.saveAnswer(cmd, first, version, answerAppends(first), { n: 1 });
      expect(saved.kind).toBe('committed');
      if (saved.kind === 'committed')
        expect(saved.entries.map((e) => [e.stream, e.seq, e.update.type])).toEqual([
          [`private:${device}`, 1, 'poll:answered'],
        ]);
      expect(await store.saveAnswer(cmd, first, version, answerAppends(first), { n: 2 })).toEqual({
        kind: 'replay',
        ack: { n: 1 },
      });
      const changed = answer(sessionId, pollId, device, 'o2');
      await store.saveAnswer(makeCommand(), changed, version, answerAppends(changed), null);
      const stale = answer(sessionId, pollId, testId('dev'), 'o1');
      expect((await store.saveAnswer(makeCommand(), stale, version - 1, [], null)).kind).toBe(
        'conflict',
      );
      const read = await store.listAnswers(sessionId, pollId);
      expect(read).toEqual({ answers: [changed], revision: 2 });
      expect(await store.listDeviceAnswers(sessionId, device)).toEqual([changed]);
      expect(await store.listDeviceAnswers(sessionId, testId('dev'))).toEqual([]);
      expect(await store.listAnswers(sessionId, testId('pol'))).toEqual({
        answers: [],
        revision: 0,
      });
    },
  },
  {
    name: '[ST19] [PL6] concurrent answers and changes from many devices are counted exactly',
    async run(store) {
      const { sessionId, pollId, version } = await openedPoll(store);
      const devices = Array.from({ length: 120 }, () => testId('dev'));
      const save = (a: PollAnswer) => store.saveAnswer(makeCommand(), a, version, [], null);
      // Everyone answers o1 at once; then every third device changes to o2, also at once, and
      // replays of the first answers arrive among the changes.
      const firsts = devices.map((d) => ({ d, cmd: makeCommand(`dev:${d}`) }));
      await Promise.all(
        firsts.map(({ d, cmd }) =>
          store.saveAnswer(cmd, answer(sessionId, pollId, d, 'o1'), version, [], null),
        ),
      );
      const changers = devices.filter((_, i) => i % 3 === 0);
      await Promise.all([
        ...changers.map((d) => save(answer(sessionId, pollId, d, 'o2'))),
        ...firsts.map(({ d, cmd }) =>
          store.saveAnswer(cmd, answer(sessionId, pollId, d, 'o1'), version, [], null),
        ),
      ]);
      const { answers, revision } = await store.listAnswers(sessionId, pollId);
      expect(answers).toHaveLength(devices.length);
      expect(countOf(answers, 'o2')).toBe(changers.length);
      expect(countOf(answers, 'o1')).toBe(devices.length - changers.length);
      expect(revision).toBe(devices.length + changers.length);
    },
  },
];
