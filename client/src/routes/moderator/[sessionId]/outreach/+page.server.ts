/**
 * The outreach tablet (issue 5 item 5): one device at a stand or in the municipality's
 * outreach van collects questions and follow-ups from many people. It is opened by staff (the
 * moderator link's cookie, whose path covers this page, or an organiser's login).
 *
 * - A question goes in "from the room" (`?/floor`, or the staff outbox with JavaScript): no
 *   device, so each is its own voice.
 * - A follow-up needs a device (SPEC R3), and it must not be the tablet's own: that one's
 *   receipt would list every earlier person's name and contacts. Each person gets a fresh
 *   anonymous device, kept only in an HttpOnly cookie scoped to this page, so two sign-ups of
 *   one person are one voice and a form sent twice signs up once (SPEC I2). The token never
 *   reaches the page's script.
 * - "Next person" (`?/next`) forgets that device; the page's fields are cleared.
 *
 * No server change was needed: staff commands are not rate-limited, and a follow-up is never
 * linked to posts (F3), so a device per person is all the separation there is to make.
 */
import { error, fail, redirect } from '@sveltejs/kit';
import type { Cookies } from '@sveltejs/kit';
import { CONSENT_VERSION } from '@gt/core';
import { m } from '@gt/i18n';
import { newCommandId } from '$lib/realtime/command-id';
import { submitFloor } from '$lib/server/floor-form';
import { submitFollow } from '$lib/server/follow-form';
import { joinAsStaff, staffCredential } from '$lib/server/moderator-access';
import { checkSessionId } from '$lib/server/session-load';
import type { Actions, PageServerLoad } from './$types';

const DAY_MS = 86_400_000;
/** A person's visit at the stand; a tablet left alone forgets them by itself. */
const PERSON_SECONDS = 2 * 3600;

const personCookie = (sessionId: string) => `gt_outreach_${sessionId}`;
const personOptions = (url: URL, sessionId: string) =>
  ({
    path: `/moderator/${sessionId}/outreach`,
    httpOnly: true,
    sameSite: 'strict',
    secure: url.protocol === 'https:',
  }) as const;

function forgetPerson(cookies: Cookies, url: URL, sessionId: string) {
  cookies.delete(personCookie(sessionId), personOptions(url, sessionId));
}

export const load: PageServerLoad = async ({ params, cookies, locals, url }) => {
  const sessionId = checkSessionId(params.sessionId);
  const joined = await joinAsStaff(locals.api, sessionId, [
    staffCredential(cookies, sessionId, undefined),
    locals.creds.staff,
  ]);
  if (joined.kind === 'not_found') error(404, m.error_not_found());
  if (joined.kind === 'unavailable') error(503, m.join_error_unavailable());
  if (joined.kind === 'none') error(403, m.moderator_no_access());
  const listed = await locals.api.command({}, 'topic:list', { sessionId });
  if (!listed.ok) error(503, m.join_error_unavailable());
  const now = Date.now();
  const followed = url.searchParams.get('followed');
  return {
    sessionId,
    staffToken: joined.staffToken,
    initial: joined.ack,
    person: Number(url.searchParams.get('person')) || 1,
    organisationName: listed.data.organisationName,
    consentVersion: CONSENT_VERSION,
    topics: listed.data.topics.map((topic) => ({
      ...topic,
      deleteBy: now + topic.retentionDays * DAY_MS,
      commandId: newCommandId(),
    })),
    followedTitle: listed.data.topics.find((t) => t.id === followed)?.title ?? null,
  };
};

export const actions = {
  floor: async ({ request, params, cookies, locals, url }) => {
    const sessionId = checkSessionId(params.sessionId);
    const staff = staffCredential(cookies, sessionId, locals.creds.staff);
    if (!staff) error(403, m.moderator_no_access());
    const outcome = await submitFloor(locals.api, staff, sessionId, await request.formData());
    if (!outcome.ok) return fail(outcome.status, outcome.failure);
    redirect(303, url.pathname);
  },

  follow: async ({ request, params, cookies, locals, url }) => {
    const sessionId = checkSessionId(params.sessionId);
    if (!staffCredential(cookies, sessionId, locals.creds.staff))
      error(403, m.moderator_no_access());
    let device = cookies.get(personCookie(sessionId));
    if (!device) {
      const registered = await locals.api.command({}, 'device:register', {});
      if (!registered.ok) error(503, m.join_error_unavailable());
      device = registered.data.deviceToken;
      cookies.set(personCookie(sessionId), device, {
        ...personOptions(url, sessionId),
        maxAge: PERSON_SECONDS,
      });
    }
    const outcome = await submitFollow(locals.api, { device }, sessionId, await request.formData());
    if (!outcome.ok) return fail(outcome.status, outcome.failure);
    return { followed: outcome.topicId };
  },

  next: async ({ params, cookies, url, request }) => {
    const sessionId = checkSessionId(params.sessionId);
    forgetPerson(cookies, url, sessionId);
    const form = await request.formData();
    const person = (Number(form.get('person')) || 1) + 1;
    redirect(303, `${url.pathname}?person=${person}`);
  },
} satisfies Actions;
