/**
 * Contract cases for the speaker queue (SPEC Q6, ST15). store-contract.ts adds them to the
 * cases every implementation runs.
 */
import { expect } from 'vitest';
import { asId, callNext, emptyQueue, queueAppends, requestMic } from '@gt/core';
import type { DeviceId, SessionId, SpeakerQueue } from '@gt/core';
import { makeCommand, makeEvent, makeOrg, makeSession, testId, tick } from './factories.js';
import type { ContractCase } from './factories.js';

function request(queue: SpeakerQueue): SpeakerQueue {
  const result = requestMic(queue, {
    id: testId('mic'),
    deviceId: asId<DeviceId>(testId('dev')),
    name: 'Åse',
    now: tick(),
  });
  if (!result.ok) throw new Error(result.message);
  return result.queue;
}

export const queueContractCases: ContractCase[] = [
  {
    name: '[ST15] [Q6] the speaker queue is saved at its stored version only, with its entries, and a replay or a stale version writes nothing',
    async run(store) {
      const org = makeOrg();
      await store.saveOrganisation(org);
      const event = makeEvent(org.id);
      await store.createEvent(event);
      const session = makeSession(event);
      await store.createSession(session);
      const sessionId = asId<SessionId>(session.id);
      expect(await store.getQueue(sessionId)).toBeNull();

      const empty = emptyQueue(sessionId);
      const one = request(empty);
      const cmd = makeCommand();
      const first = await store.saveQueue(cmd, one, 0, queueAppends(empty, one), { n: 1 });
      expect(first.kind).toBe('committed');
      if (first.kind === 'committed')
        expect(first.entries.map((e) => [e.stream, e.seq, e.update.type])).toEqual([
          ['public', 1, 'queue:updated'],
          ['staff', 1, 'queue:updated'],
          [expect.stringMatching(/^private:/), 1, 'mic:ticket'],
        ]);
      expect(await store.getQueue(sessionId)).toEqual(one);
      expect(await store.saveQueue(cmd, one, 0, [], { n: 2 })).toEqual({
        kind: 'replay',
        ack: { n: 1 },
      });

      const two = request(one);
      // Two tickets made from the same version: the second is stale.
      const rival = request(one);
      const saved = await store.saveQueue(makeCommand(), two, 1, queueAppends(one, two), null);
      expect(saved.kind).toBe('committed');
      expect(
        await store.saveQueue(makeCommand(), rival, 1, queueAppends(one, rival), null, [
          {
            id: testId('log'),
            sessionId,
            at: tick(),
            actor: 'x',
            action: 'mic-move',
            postId: null,
            detail: null,
          },
        ]),
      ).toEqual({ kind: 'conflict', currentPosts: [], currentSession: null });
      expect(await store.getQueue(sessionId)).toEqual(two);
      expect(await store.listLog(sessionId, null, 10)).toEqual([]);

      const called = callNext(two, tick());
      if (!called.ok) throw new Error(called.message);
      const next = await store.saveQueue(
        makeCommand('org'),
        called.queue,
        2,
        queueAppends(two, called.queue),
        null,
        [
          {
            id: testId('log'),
            sessionId,
            at: tick(),
            actor: 'Ordstyrer 1',
            action: 'mic-call-next',
            postId: null,
            detail: 'no. 1',
          },
        ],
      );
      expect(next).toMatchObject({ kind: 'committed', log: [{ seq: 1, action: 'mic-call-next' }] });
      expect((await store.getQueue(sessionId))?.current).toBe(called.queue.current);
    },
  },
];
