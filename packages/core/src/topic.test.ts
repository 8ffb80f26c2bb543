import { describe, expect, it } from 'vitest';
import { asId } from './ids.js';
import type { EventId, OrgId, SessionId } from './ids.js';
import {
  checkFollowUp,
  deleteAfter,
  followUpView,
  isTopicOfSession,
  topicView,
  withdraw,
  CONSENT_VERSION,
} from './topic.js';
import type { FollowUp, FollowUpId, Topic, TopicId } from './topic.js';

const topic: Topic = {
  id: asId<TopicId>('top_cykelstier'),
  orgId: asId<OrgId>('org_gentofte'),
  eventId: asId<EventId>('evt_kulturnat'),
  sessionId: null,
  title: 'Cykelstier',
  description: 'Vær med til at forme dem',
  contactName: 'Mette',
  contactEmail: 'mette@gentofte.example',
  retentionDays: 30,
  createdAt: 1000,
};

const base = {
  name: ' Søren  Ærø ',
  email: 'Soren@Example.DK ',
  phone: '',
  hasConsented: true,
  ageBasis: 'self_13_or_older' as const,
};

describe('follow-up rules', () => {
  it('[F1] attendees see a topic without its contact e-mail or organisation', () => {
    const view = topicView(topic);
    expect(view).not.toHaveProperty('contactEmail');
    expect(view).not.toHaveProperty('orgId');
    expect(view).toMatchObject({ title: 'Cykelstier', contactName: 'Mette' });
  });

  it('[F2] a sign-up is normalised: one-line name, lower-case e-mail, blank phone as none', () => {
    expect(checkFollowUp(base)).toEqual({
      ok: true,
      name: 'Søren Ærø',
      email: 'soren@example.dk',
      phone: null,
    });
    expect(checkFollowUp({ ...base, email: null, phone: '+45 12 34 56 78' })).toEqual({
      ok: true,
      name: 'Søren Ærø',
      email: null,
      phone: '+4512345678',
    });
  });

  it('[F2] consent, a name and one way to reach the person are required', () => {
    expect(checkFollowUp({ ...base, hasConsented: false })).toMatchObject({
      ok: false,
      field: 'consent',
    });
    expect(checkFollowUp({ ...base, name: '   ' })).toMatchObject({ ok: false, field: 'name' });
    expect(checkFollowUp({ ...base, name: 'x'.repeat(101) })).toMatchObject({
      ok: false,
      field: 'name',
    });
    expect(checkFollowUp({ ...base, email: '', phone: '' })).toMatchObject({
      ok: false,
      field: 'contact',
    });
    expect(checkFollowUp({ ...base, email: 'not-an-address' })).toMatchObject({
      ok: false,
      field: 'email',
    });
    expect(checkFollowUp({ ...base, email: null, phone: '12 34' })).toMatchObject({
      ok: false,
      field: 'phone',
    });
  });

  it('[F4] the deletion date is the consent time plus the topic retention', () => {
    expect(deleteAfter(topic, 5_000)).toBe(5_000 + 30 * 86_400_000);
  });

  it('[F5] withdrawing erases name and contacts at once, keeps the times, and is stable when repeated', () => {
    const followUp: FollowUp = {
      id: asId<FollowUpId>('fol_1'),
      topicId: topic.id,
      orgId: topic.orgId,
      eventId: topic.eventId,
      followKey: 'fk_secret',
      name: 'Søren',
      email: 'soren@example.dk',
      phone: '+4512345678',
      ageBasis: 'parent',
      consentVersion: CONSENT_VERSION,
      consentedAt: 2_000,
      deleteAfter: 3_000,
      withdrawnAt: null,
    };
    const gone = withdraw(followUp, 2_500);
    expect(gone).toMatchObject({
      name: '',
      email: null,
      phone: null,
      withdrawnAt: 2_500,
      consentedAt: 2_000,
      consentVersion: CONSENT_VERSION,
    });
    expect(withdraw(gone, 2_900)).toBe(gone);
    expect(followUpView(followUp)).not.toHaveProperty('followKey');
  });
});

describe('isTopicOfSession', () => {
  const session = { id: 'ses_a', eventId: 'evt_kulturnat' };
  it('[F1] an event-wide topic serves every session of its event', () => {
    expect(isTopicOfSession(topic, session)).toBe(true);
  });
  it("[F1] a session's own topic serves that session only", () => {
    const own = { ...topic, sessionId: asId<SessionId>('ses_a') };
    expect(isTopicOfSession(own, session)).toBe(true);
    expect(isTopicOfSession(own, { ...session, id: 'ses_b' })).toBe(false);
  });
  it("[F1] another event's topic serves none of this event's sessions", () => {
    expect(isTopicOfSession(topic, { ...session, eventId: 'evt_other' })).toBe(false);
  });
});
