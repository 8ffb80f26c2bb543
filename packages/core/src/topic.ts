/**
 * Topics people can follow, and the follow-ups they sign up for (SPEC F1-F6). A follow-up is
 * personal data given with explicit consent for one purpose: it records which consent text
 * the person saw and when, it carries a deletion date, and it is never linked to the person's
 * posts: it is found by a random follow key the person's device holds, not by the device.
 */
import type { Brand, EventId, OrgId, SessionId } from './ids.js';
import { graphemeLength, normaliseName, normaliseText } from './text.js';

export type TopicId = Brand<string, 'TopicId'>;
export type FollowUpId = Brand<string, 'FollowUpId'>;

export interface Topic {
  id: TopicId;
  orgId: OrgId;
  eventId: EventId;
  /** A topic of one session, or (null) of the whole event. */
  sessionId: SessionId | null;
  title: string;
  description: string;
  /** Who will contact the people who follow it: named in the consent text. */
  contactName: string;
  /** Internal: where the organisers reach the contact person. Never shown to attendees. */
  contactEmail: string | null;
  /** Follow-ups are deleted this many days after sign-up. */
  retentionDays: number;
  createdAt: number;
}

/** What attendees see of a topic. */
/**
 * [F1] [M8] A topic people in a session can follow and posts there can be tagged with: one of
 * the session's event for the whole event, or one of this session's own.
 */
export function isTopicOfSession(
  topic: Pick<Topic, 'eventId' | 'sessionId'>,
  session: { id: string; eventId: string },
): boolean {
  return (
    topic.eventId === session.eventId &&
    (topic.sessionId === null || topic.sessionId === session.id)
  );
}

export type TopicView = Omit<Topic, 'contactEmail' | 'orgId'>;

export function topicView(topic: Topic): TopicView {
  const { contactEmail: _email, orgId: _org, ...view } = topic;
  return view;
}

/** On what basis a person under 18 may consent: 13 or older themselves (Denmark), or a parent. */
export type AgeBasis = 'self_13_or_older' | 'parent';

export interface FollowUp {
  id: FollowUpId;
  topicId: TopicId;
  orgId: OrgId;
  eventId: EventId;
  /** The random key the person's device holds; their receipt finds follow-ups by it. */
  followKey: string;
  name: string;
  email: string | null;
  phone: string | null;
  ageBasis: AgeBasis;
  /** Which consent text was shown (CONSENT_VERSION at the time). */
  consentVersion: string;
  consentedAt: number;
  /** When the contact details must be gone (ms since epoch). */
  deleteAfter: number;
  /** Set when the person withdrew; name and contacts are erased at the same moment. */
  withdrawnAt: number | null;
}

/** What the person sees of their own follow-up on the receipt. */
export type FollowUpView = Omit<FollowUp, 'followKey' | 'orgId'>;

export function followUpView(followUp: FollowUp): FollowUpView {
  const { followKey: _key, orgId: _org, ...view } = followUp;
  return view;
}

/** Bump when the consent text changes; stored with every sign-up. */
export const CONSENT_VERSION = '2026-11-30.1';
export const DEFAULT_RETENTION_DAYS = 180;
const DAY_MS = 86_400_000;

export interface FollowUpInput {
  name: string;
  email?: string | null | undefined;
  phone?: string | null | undefined;
  hasConsented: boolean;
  ageBasis: AgeBasis;
}

export type FollowUpCheck =
  | { ok: true; name: string; email: string | null; phone: string | null }
  | { ok: false; field: 'name' | 'email' | 'phone' | 'contact' | 'consent'; reason: string };

// Deliberately simple: one @, something on both sides, a dot in the domain. Real
// verification is the contact person's reply, not a pattern.
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}\.[^\s@]{2,}$/;

/** [F2] Validate a sign-up: a name, an e-mail or a phone number (or both), and consent. */
export function checkFollowUp(input: FollowUpInput): FollowUpCheck {
  if (!input.hasConsented) return { ok: false, field: 'consent', reason: 'consent is required' };
  const name = normaliseName(input.name);
  if (name === '' || graphemeLength(name) > 100)
    return { ok: false, field: 'name', reason: 'a name of 1-100 characters is required' };
  const email = normaliseText(input.email ?? '').toLowerCase() || null;
  const phone = normaliseText(input.phone ?? '').replace(/[\s().-]/g, '') || null;
  if (email !== null && (email.length > 254 || !EMAIL.test(email)))
    return { ok: false, field: 'email', reason: 'not an e-mail address' };
  if (phone !== null && !/^\+?[0-9]{8,15}$/.test(phone))
    return { ok: false, field: 'phone', reason: 'not a phone number' };
  if (email === null && phone === null)
    return {
      ok: false,
      field: 'contact',
      reason: 'an e-mail address or a phone number is required',
    };
  return { ok: true, name, email, phone };
}

/** [F4] The deletion date of a sign-up made now for this topic. */
export function deleteAfter(topic: Pick<Topic, 'retentionDays'>, consentedAt: number): number {
  return consentedAt + topic.retentionDays * DAY_MS;
}

/** [F5] Withdrawing erases the personal data at once and keeps only what statistics need. */
export function withdraw(followUp: FollowUp, now: number): FollowUp {
  if (followUp.withdrawnAt !== null) return followUp;
  return { ...followUp, name: '', email: null, phone: null, withdrawnAt: now };
}

/** Longest title a post turned into a topic gets from its text. */
export const TOPIC_TITLE_FROM_POST_MAX = 80;

/**
 * [M11] A topic's title made from a post's text: its first line, cut at a word to at most 80
 * graphemes with "…" when cut.
 */
export function topicTitleFromText(text: string, max = TOPIC_TITLE_FROM_POST_MAX): string {
  const line = normaliseName(normaliseText(text).split('\n')[0] ?? '');
  if (graphemeLength(line) <= max) return line;
  const words = line.split(' ');
  let title = '';
  for (const word of words) {
    const next = title ? `${title} ${word}` : word;
    if (graphemeLength(next) > max - 1) break;
    title = next;
  }
  // One word longer than the limit: cut it by graphemes.
  if (!title) {
    const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
    title = [...segmenter.segment(line)]
      .slice(0, max - 1)
      .map((s) => s.segment)
      .join('');
  }
  return `${title}…`;
}
