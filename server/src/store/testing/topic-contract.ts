/**
 * Contract cases for topics and follow-ups (TopicStore; SPEC ST10, ST11, ST17).
 * store-contract.ts adds them to the cases every implementation runs.
 */
import { expect } from 'vitest';
import { withdraw } from '@gt/core';
import {
  makeCommand,
  makeEvent,
  makeFollowUp,
  makeSession,
  makeTopic,
  testId,
  tick,
  storedEvent,
} from './factories.js';
import type { ContractCase } from './factories.js';

export const topicContractCases: ContractCase[] = [
  {
    name: '[ST10] topics are saved and listed per event, oldest first, session topics included',
    async run(store) {
      const event = (await storedEvent(store)).event;
      const session = makeSession(event);
      await store.createSession(session);
      const eventTopic = makeTopic(event, { title: 'Skolernes fremtid' });
      const sessionTopic = makeTopic(event, {
        sessionId: session.id,
        title: 'Biblioteket',
        contactEmail: null,
      });
      await store.createTopic(eventTopic);
      await store.createTopic(sessionTopic);
      expect(await store.getTopic(sessionTopic.id)).toEqual(sessionTopic);
      expect(await store.getTopic(testId('top'))).toBeNull();
      expect(await store.listTopics(event.id)).toEqual([eventTopic, sessionTopic]);
      expect(await store.listTopics(makeEvent(event.orgId).id)).toEqual([]);
    },
  },
  {
    name: '[ST11] a follow-up is stored once per command and found by its follow key and its topic',
    async run(store) {
      const event = (await storedEvent(store)).event;
      const topic = makeTopic(event);
      const other = makeTopic(event, { title: 'Klima' });
      await store.createTopic(topic);
      await store.createTopic(other);
      const key = testId('fk');
      const first = makeFollowUp(topic, key);
      const second = makeFollowUp(other, key, { email: null, phone: '+4512345678' });
      const stranger = makeFollowUp(topic, testId('fk'), { name: 'Anden person' });
      const cmd = makeCommand();
      expect(await store.insertFollowUp(cmd, first, { id: first.id })).toEqual({
        kind: 'committed',
        ack: { id: first.id },
        entries: [],
      });
      const retry = { ...first, id: testId('fol') as typeof first.id };
      expect(await store.insertFollowUp(cmd, retry, { id: retry.id })).toEqual({
        kind: 'replay',
        ack: { id: first.id },
      });
      await store.insertFollowUp(makeCommand(), second, null);
      await store.insertFollowUp(makeCommand(), stranger, null);
      expect(await store.getFollowUp(first.id)).toEqual(first);
      expect(await store.getFollowUp(retry.id)).toBeNull();
      expect(await store.listFollowUpsByKey(key)).toEqual([first, second]);
      expect(await store.listFollowUps(topic.id)).toEqual([first, stranger]);
      expect(await store.listFollowUpsByKey(testId('fk'))).toEqual([]);
    },
  },
  {
    name: '[ST11] withdrawing replaces the follow-up, erasing its contact details, once per command',
    async run(store) {
      const event = (await storedEvent(store)).event;
      const topic = makeTopic(event);
      await store.createTopic(topic);
      const followUp = makeFollowUp(topic);
      await store.insertFollowUp(makeCommand(), followUp, null);
      const withdrawn = withdraw(followUp, tick());
      const cmd = makeCommand();
      expect((await store.updateFollowUp(cmd, withdrawn, 'done')).kind).toBe('committed');
      expect(await store.updateFollowUp(cmd, withdraw(followUp, tick()), 'again')).toEqual({
        kind: 'replay',
        ack: 'done',
      });
      const stored = await store.getFollowUp(followUp.id);
      expect(stored).toEqual(withdrawn);
      expect(stored).toMatchObject({ name: '', email: null, phone: null });
      expect(JSON.stringify(await store.listFollowUps(topic.id))).not.toContain('soren@example.dk');
    },
  },
  {
    name: '[ST17] follow-ups due for deletion are deleted entirely, from every index, once',
    async run(store) {
      const event = (await storedEvent(store)).event;
      const topic = makeTopic(event);
      await store.createTopic(topic);
      const key = testId('fk');
      const now = tick();
      const overdue = makeFollowUp(topic, key, { deleteAfter: now - 1 });
      const dueNow = makeFollowUp(topic, testId('fk'), { deleteAfter: now });
      const later = makeFollowUp(topic, key, { deleteAfter: now + 1 });
      for (const f of [overdue, dueNow, later]) await store.insertFollowUp(makeCommand(), f, null);

      expect(await store.deleteFollowUpsDueBy(now)).toBe(2);
      expect(await store.getFollowUp(overdue.id)).toBeNull();
      expect(await store.getFollowUp(dueNow.id)).toBeNull();
      expect(await store.listFollowUpsByKey(key)).toEqual([later]);
      expect(await store.listFollowUps(topic.id)).toEqual([later]);
      expect(await store.deleteFollowUpsDueBy(now)).toBe(0);
      expect(await store.deleteFollowUpsDueBy(now + 1)).toBe(1);
      expect(await store.listFollowUps(topic.id)).toEqual([]);
    },
  },
];
