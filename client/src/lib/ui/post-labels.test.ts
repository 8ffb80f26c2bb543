import { describe, expect, it } from 'vitest';
import { postWire } from '../realtime/testing/post-wire.js';
import type { PostWire } from '../realtime/types.js';
import { postStatusText } from './post-labels.js';

const anne = { panelMemberId: 'pm_anne0001', name: 'Anne Berg', at: 1 };
const status = (change: Partial<PostWire>, locale: 'da' | 'en') =>
  postStatusText(postWire('pst_00000001', change), { locale });

// Written out here, not read from the message files, so a changed wording shows up in review.
const cases: { what: string; post: Partial<PostWire>; da: string; en: string }[] = [
  {
    what: 'awaiting moderation',
    post: { status: 'pending', heldReason: 'premoderation' },
    da: 'Venter på ordstyreren',
    en: 'Waiting for the moderator',
  },
  {
    what: 'held by the word filter, said the same way',
    post: { status: 'pending', heldReason: 'word_filter' },
    da: 'Venter på ordstyreren',
    en: 'Waiting for the moderator',
  },
  { what: 'visible', post: {}, da: 'Synligt for alle', en: 'Visible to everyone' },
  {
    what: 'on the wall now',
    post: { isHighlighted: true },
    da: 'På storskærmen nu',
    en: 'On the big screen now',
  },
  { what: 'answered', post: { status: 'answered' }, da: 'Besvaret', en: 'Answered' },
  {
    what: 'hidden without a reason',
    post: { status: 'hidden' },
    da: 'Skjult af ordstyreren',
    en: 'Hidden by the moderator',
  },
  {
    what: "hidden with the moderator's reason",
    post: { status: 'hidden', hideReason: 'Spørgsmålet er stillet' },
    da: 'Skjult af ordstyreren: Spørgsmålet er stillet',
    en: 'Hidden by the moderator: Spørgsmålet er stillet',
  },
  {
    what: 'merged into another post',
    post: { status: 'hidden', mergedInto: 'pst_00000002' },
    da: 'Slået sammen med et andet spørgsmål',
    en: 'Merged into another question',
  },
  {
    what: 'visible with a follow-up promised',
    post: { followUpPromisedBy: anne },
    da: 'Opfølgning lovet af Anne Berg',
    en: 'Follow-up promised by Anne Berg',
  },
  {
    what: 'answered with a follow-up promised',
    post: { status: 'answered', followUpPromisedBy: anne },
    da: 'Opfølgning lovet af Anne Berg',
    en: 'Follow-up promised by Anne Berg',
  },
  {
    what: 'on the wall now, promise or not',
    post: { isHighlighted: true, followUpPromisedBy: anne },
    da: 'På storskærmen nu',
    en: 'On the big screen now',
  },
  {
    what: 'hidden, whatever was promised',
    post: { status: 'hidden', hideReason: 'Dublet', followUpPromisedBy: anne },
    da: 'Skjult af ordstyreren: Dublet',
    en: 'Hidden by the moderator: Dublet',
  },
];

describe('postStatusText', () => {
  it.each(cases)('[M14] [M6] [M13] $what', ({ post, da, en }) => {
    expect(status(post, 'da')).toBe(da);
    expect(status(post, 'en')).toBe(en);
  });

  it('[M14] covers every status', () => {
    const statuses = new Set(cases.map((c) => c.post.status ?? 'visible'));
    expect([...statuses].sort()).toEqual(['answered', 'hidden', 'pending', 'visible']);
  });

  it('[M14] an update stored before promises existed reads as no promise', () => {
    const { followUpPromisedBy: _gone, ...old } = postWire('pst_00000001', { status: 'answered' });
    expect(postStatusText(old, { locale: 'en' })).toBe('Answered');
  });
});
