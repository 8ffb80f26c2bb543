/**
 * Follow a topic (SPEC F1-F4): the topics of this talk and of its event, each with a sign-up
 * form. Its own route, so the attendee page's first load carries none of it.
 *
 * `?/follow` is a plain form post that works without JavaScript (use:enhance on top): the
 * command id is made here at rendering, so a form sent twice signs up once (SPEC I2). A
 * success redirects to this page with `?followed=<topic>` (POST, redirect, GET); a refusal
 * comes back with translated messages next to the fields and everything typed kept.
 */
import { error, fail, redirect } from '@sveltejs/kit';
import { CONSENT_VERSION } from '@gt/core';
import { m } from '@gt/i18n';
import { newCommandId } from '$lib/realtime/command-id';
import { submitFollow } from '$lib/server/follow-form';
import { checkSessionId } from '$lib/server/session-load';
import type { Actions, PageServerLoad } from './$types';

const DAY_MS = 86_400_000;

export const load: PageServerLoad = async ({ params, locals, url }) => {
  const sessionId = checkSessionId(params.sessionId);
  // Reading topics needs no credentials (SPEC R2).
  const listed = await locals.api.command({}, 'topic:list', { sessionId });
  if (!listed.ok) {
    if (listed.error.code === 'not_found') error(404, m.error_not_found());
    console.error(`topic:list during rendering failed: ${listed.error.message}`);
    error(503, m.join_error_unavailable());
  }
  const now = Date.now();
  const followed = url.searchParams.get('followed');
  return {
    sessionId,
    organisationName: listed.data.organisationName,
    consentVersion: CONSENT_VERSION,
    topics: listed.data.topics.map((topic) => ({
      ...topic,
      // [F4] The deletion date the consent text names: a sign-up now, plus the retention.
      deleteBy: now + topic.retentionDays * DAY_MS,
      commandId: newCommandId(),
    })),
    followedTitle: listed.data.topics.find((t) => t.id === followed)?.title ?? null,
  };
};

export const actions = {
  follow: async ({ request, locals, params }) => {
    const sessionId = checkSessionId(params.sessionId);
    // The device only (SPEC R3): an organiser logged in on this browser follows as a person.
    const outcome = await submitFollow(
      locals.api,
      { device: locals.creds.device },
      sessionId,
      await request.formData(),
    );
    if (!outcome.ok) return fail(outcome.status, outcome.failure);
    redirect(303, `/s/${sessionId}/topics?followed=${outcome.topicId}#followed`);
  },
} satisfies Actions;
