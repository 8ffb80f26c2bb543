/**
 * The attendee's page. The load joins the session through AppApi with the device cookie, so
 * the first paint (and a phone without JavaScript) shows the posts, the device's own posts
 * and their status; in the browser AttendeeSession takes over from that snapshot.
 *
 * The actions are the same things without JavaScript, as plain form posts: post, upvote,
 * react. Each form carries a command id made here, so a form sent twice (a double tap, a
 * resubmitted POST) is applied once (SPEC I2). A success redirects back (POST, redirect, GET);
 * a refusal comes back as a translated message next to the field, with the typed text kept.
 */
import { fail, redirect } from '@sveltejs/kit';
import { ID_PATTERN, POST_KINDS, REACTIONS } from '@gt/core';
import type { PostKind, Reaction } from '@gt/core';
import type { ErrorBody } from '@gt/protocol';
import { postErrorText } from '$lib/ui/post-labels';
import type { PostErrorText } from '$lib/ui/post-labels';
import { m } from '@gt/i18n';
import { newCommandId } from '$lib/realtime/command-id';
import { checkSessionId, joinForPage } from '$lib/server/session-load';
import { isPostOrder } from '$lib/session/views';
import type { PostOrder } from '$lib/session/views';
import type { Actions, PageServerLoad } from './$types';

/**
 * Attendee actions speak for the device only: an organiser logged in on the same browser is
 * still an attendee here, and idempotency is scoped to the device (SPEC "Words": actor).
 */
const deviceOnly = (locals: App.Locals) => ({ device: locals.creds.device });

export const load: PageServerLoad = async ({ params, locals, url }) => {
  const initial = await joinForPage(locals.api, deviceOnly(locals), params.sessionId);
  return {
    sessionId: initial.session.id,
    initial,
    // The no-JavaScript forms' command ids: a fresh one per page view.
    commandIds: { post: newCommandId(), react: newCommandId() },
    order: orderOf(url),
    isSent: url.searchParams.has('sent'),
  };
};

const field = (form: FormData, name: string, max: number) =>
  String(form.get(name) ?? '').slice(0, max);
const commandIdOf = (form: FormData) => {
  const id = String(form.get('commandId') ?? '');
  // Not one we made (or none at all): a new one still keeps this single post single.
  return ID_PATTERN.test(id) ? id : newCommandId();
};

/** The list's order from the address (the order switch is a GET form without JavaScript). */
function orderOf(url: URL): PostOrder {
  const order = url.searchParams.get('order');
  return isPostOrder(order) ? order : 'top';
}

/** Where a form sends the browser after it worked: the same page, the same order. */
function backTo(url: URL, extra?: string): string {
  const query = new URLSearchParams();
  const order = orderOf(url);
  if (order !== 'top') query.set('order', order);
  if (extra) query.set(extra, '1');
  const search = query.toString();
  return `${url.pathname}${search ? `?${search}` : ''}`;
}

export interface PostFailure {
  action: 'post';
  /** What was typed, kept for the next try. */
  typed: string;
  kind: PostKind;
  displayName: string;
  field: PostErrorText['field'];
  error: string;
}

export interface OtherFailure {
  action: 'vote' | 'react';
  error: string;
}

/**
 * [T2] "Not so fast", with the seconds the server named: without JavaScript nothing sends the
 * post later by itself, so the person is told how long to wait before sending it again.
 */
function rateLimitText(error: ErrorBody): string | null {
  const wait = error.details?.retryAfterMs;
  if (error.code !== 'rate_limited' || typeof wait !== 'number') return null;
  return m.attendee_error_rate_limited_wait({ seconds: Math.max(1, Math.ceil(wait / 1000)) });
}

const statusOf = (error: ErrorBody) =>
  error.code === 'internal' ? 503 : error.code === 'rate_limited' ? 429 : 400;

export const actions = {
  post: async ({ request, locals, params, url }) => {
    const sessionId = checkSessionId(params.sessionId);
    const form = await request.formData();
    const text = field(form, 'text', 4000);
    const kindRaw = String(form.get('kind') ?? '');
    const kind: PostKind = (POST_KINDS as readonly string[]).includes(kindRaw)
      ? (kindRaw as PostKind)
      : 'question';
    const displayName = field(form, 'displayName', 200);
    const result = await locals.api.command(deviceOnly(locals), 'post:create', {
      sessionId,
      commandId: commandIdOf(form),
      kind,
      text,
      displayName: displayName.trim() ? displayName : null,
    });
    if (!result.ok) {
      const refused = postErrorText(result.error);
      return fail(statusOf(result.error), {
        action: 'post',
        typed: text,
        kind,
        displayName,
        field: refused.field,
        error: rateLimitText(result.error) ?? refused.text,
      } satisfies PostFailure);
    }
    redirect(303, `${backTo(url, 'sent')}#my-posts`);
  },

  vote: async ({ request, locals, params, url }) => {
    const sessionId = checkSessionId(params.sessionId);
    const form = await request.formData();
    const postId = String(form.get('postId') ?? '');
    if (!ID_PATTERN.test(postId))
      return fail(400, { action: 'vote', error: m.form_error_generic() } satisfies OtherFailure);
    const result = await locals.api.command(deviceOnly(locals), 'post:upvote', {
      sessionId,
      commandId: commandIdOf(form),
      postId,
      isOn: form.get('isOn') !== 'false',
    });
    if (!result.ok)
      return fail(statusOf(result.error), {
        action: 'vote',
        error: result.error.code === 'closed' ? m.attendee_error_closed() : m.form_error_generic(),
      } satisfies OtherFailure);
    redirect(303, backTo(url));
  },

  react: async ({ request, locals, params, url }) => {
    const sessionId = checkSessionId(params.sessionId);
    const form = await request.formData();
    const reaction = String(form.get('reaction') ?? '');
    if (!(REACTIONS as readonly string[]).includes(reaction))
      return fail(400, { action: 'react', error: m.form_error_generic() } satisfies OtherFailure);
    const result = await locals.api.command(deviceOnly(locals), 'reaction:send', {
      sessionId,
      commandId: commandIdOf(form),
      reaction: reaction as Reaction,
    });
    if (!result.ok)
      return fail(statusOf(result.error), {
        action: 'react',
        error:
          result.error.details?.reason === 'reactions_paused'
            ? m.attendee_reactions_paused()
            : result.error.code === 'closed'
              ? m.attendee_error_closed()
              : m.form_error_generic(),
      } satisfies OtherFailure);
    redirect(303, backTo(url));
  },
} satisfies Actions;
