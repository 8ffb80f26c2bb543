/**
 * Factories for store and service tests: every call makes fresh ids and a fresh join code,
 * so tests never share state through fixtures.
 */
import { randomBytes, randomInt } from 'node:crypto';
import {
  CONSENT_VERSION,
  DEFAULT_RETENTION_DAYS,
  DEFAULT_SETTINGS,
  newPost,
  postAppends,
  asId,
} from '@gt/core';
import type {
  Event,
  EventId,
  OrgId,
  Post,
  PostId,
  Session,
  SessionId,
  DeviceId,
  FollowUp,
  FollowUpId,
  Topic,
  TopicId,
  StreamAppend,
} from '@gt/core';
import type { CommandRef, Store, StoreOptions } from '../store.js';

export const testId = (prefix = 't') => `${prefix}_${randomBytes(9).toString('base64url')}`;

let clock = Date.UTC(2026, 5, 13, 10, 0, 0);
/** A strictly increasing fake clock, so ordering by time is deterministic. */
export const tick = () => (clock += 1000);

export function makeOrg(name = 'Gentofte Kommune') {
  return { id: asId<OrgId>(testId('org')), name };
}

export function makeEvent(orgId: OrgId, title = 'Kulturnat 2026'): Event {
  return { id: asId<EventId>(testId('evt')), orgId, title, createdAt: tick() };
}

export function makeSession(event: Event, overrides: Partial<Session> = {}): Session {
  return {
    id: asId<SessionId>(testId('ses')),
    eventId: event.id,
    orgId: event.orgId,
    title: 'Fremtidens bibliotek',
    joinCode: String(randomInt(0, 1_000_000)).padStart(6, '0'),
    settings: { ...DEFAULT_SETTINGS },
    version: 1,
    createdAt: tick(),
    ...overrides,
  };
}

export function makePost(
  session: Session,
  overrides: Partial<Post> & { moderation?: 'pre' | 'post' } = {},
): Post {
  const { moderation = 'post', ...rest } = overrides;
  const post = newPost({
    id: asId<PostId>(testId('pst')),
    sessionId: session.id,
    kind: 'question',
    text: 'Hvornår åbner det nye bibliotek i Hellerup? 📚',
    displayName: null,
    authorDevice: asId<DeviceId>(testId('dev')),
    isFromRoom: false,
    moderation,
    isHeldByFilter: false,
    now: tick(),
  });
  return { ...post, ...rest };
}

export function makeCommand(actor = testId('dev')): CommandRef {
  return { actor, commandId: testId('cmd') };
}

/** The appends a new post produces, as the service would compute them. */
export function appendsForNew(post: Post): StreamAppend[] {
  return postAppends(null, post);
}

export function makeTopic(event: Event, overrides: Partial<Topic> = {}): Topic {
  return {
    id: asId<TopicId>(testId('top')),
    orgId: event.orgId,
    eventId: event.id,
    sessionId: null,
    title: 'Cykelstier i Gentofte',
    description: 'Vil du være med til at forme de nye cykelstier?',
    contactName: 'Mette, sparringsagent',
    contactEmail: 'mette@gentofte.example',
    retentionDays: DEFAULT_RETENTION_DAYS,
    createdAt: tick(),
    ...overrides,
  };
}

export function makeFollowUp(
  topic: Topic,
  followKey = testId('fk'),
  overrides: Partial<FollowUp> = {},
): FollowUp {
  const consentedAt = tick();
  return {
    id: asId<FollowUpId>(testId('fol')),
    topicId: topic.id,
    orgId: topic.orgId,
    eventId: topic.eventId,
    followKey,
    name: 'Søren Ærø',
    email: 'soren@example.dk',
    phone: null,
    ageBasis: 'self_13_or_older',
    consentVersion: CONSENT_VERSION,
    consentedAt,
    deleteAfter: consentedAt + topic.retentionDays * 86_400_000,
    withdrawnAt: null,
    ...overrides,
  };
}

/** One case of the contract suite: every Store implementation runs it (store-contract.ts). */
export interface ContractCase {
  name: string;
  /** Options the store is opened with for this case (default: the implementation's). */
  options?: StoreOptions;
  run(store: Store): Promise<void>;
}

/** An organisation and an event of it, saved in the store. */
export async function storedEvent(store: Store) {
  const org = makeOrg();
  await store.saveOrganisation(org);
  const event = makeEvent(org.id);
  await store.createEvent(event);
  return { org, event };
}

/** An organisation, an event and a session, saved in the store: where most cases start. */
export async function storedSession(store: Store) {
  const { org, event } = await storedEvent(store);
  const session = makeSession(event);
  const created = await store.createSession(session);
  if (created !== 'created') throw new Error(`createSession answered ${String(created)}`);
  return { org, event, session };
}
