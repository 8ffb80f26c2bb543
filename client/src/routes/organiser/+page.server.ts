/**
 * The organiser's page: log in (the token lands in the HttpOnly gt_staff cookie), create
 * events and talks, and get each new talk's code, join link, QR code and moderator link.
 * Every action is a plain form post, enhanced when JavaScript runs.
 */
import { fail, redirect } from '@sveltejs/kit';
import type { CreateSessionAck, Credentials } from '@gt/protocol';
import { m } from '@gt/i18n';
import { clearStaffCookie, setStaffCookie } from '$lib/server/cookies';
import type { Actions, PageServerLoad } from './$types';

const text = (form: FormData, name: string, max = 400) =>
  String(form.get(name) ?? '')
    .slice(0, max)
    .trim();

export const load: PageServerLoad = async ({ locals, cookies, url }) => {
  if (!locals.creds.staff) return { isLoggedIn: false as const, isExpired: false };
  const events = await locals.api.listEvents(locals.creds);
  if (!events.ok) {
    // An expired or revoked login: forget it and ask again.
    if (events.error.code === 'forbidden') clearStaffCookie(cookies, url);
    return { isLoggedIn: false as const, isExpired: events.error.code === 'forbidden' };
  }
  return {
    isLoggedIn: true as const,
    events: events.data.toSorted((a, b) => b.createdAt - a.createdAt),
  };
};

/** What the page shows about a talk just created; the moderator link exists only now. */
export interface CreatedSession {
  title: string;
  joinCode: string;
  joinUrl: string;
  wallUrl: string;
  moderatorUrl: string;
}

function describe(created: CreateSessionAck, origin: string): CreatedSession {
  const { session, moderatorToken } = created;
  const id = encodeURIComponent(session.id);
  return {
    title: session.title,
    joinCode: session.joinCode,
    joinUrl: `${origin}/j/${session.joinCode}`,
    wallUrl: `${origin}/wall/${id}`,
    moderatorUrl: `${origin}/moderator/${id}?token=${encodeURIComponent(moderatorToken)}`,
  };
}

const staffOnly = (creds: Credentials) => Boolean(creds.staff);

export const actions = {
  login: async ({ request, locals, cookies, url }) => {
    const form = await request.formData();
    const email = text(form, 'email', 320);
    const password = String(form.get('password') ?? '').slice(0, 200);
    if (!email || !password)
      return fail(400, { action: 'login' as const, email, error: m.login_error_missing() });
    const result = await locals.api.login({ email, password });
    if (!result.ok) {
      const error =
        result.error.code === 'forbidden' || result.error.code === 'invalid_input'
          ? m.login_error_wrong()
          : m.form_error_generic();
      return fail(result.error.code === 'internal' ? 503 : 400, {
        action: 'login' as const,
        email,
        error,
      });
    }
    setStaffCookie(cookies, url, result.data.staffToken);
    // Post/redirect/get: the next request carries the new cookie (this one's load would not
    // see it), and a reload does not post the password again.
    redirect(303, url.pathname);
  },

  logout: async ({ cookies, url }) => {
    clearStaffCookie(cookies, url);
    redirect(303, url.pathname);
  },

  createEvent: async ({ request, locals }) => {
    if (!staffOnly(locals.creds))
      return fail(403, { action: 'createEvent' as const, title: '', error: m.login_expired() });
    const title = text(await request.formData(), 'title');
    if (!title || title.length > 200)
      return fail(400, { action: 'createEvent' as const, title, error: m.form_error_title() });
    const result = await locals.api.createEvent(locals.creds, { title });
    if (!result.ok)
      return fail(result.error.code === 'forbidden' ? 403 : 400, {
        action: 'createEvent' as const,
        title,
        error: result.error.code === 'forbidden' ? m.login_expired() : m.form_error_generic(),
      });
    return { action: 'createEvent' as const, createdEvent: result.data.title };
  },

  createSession: async ({ request, locals, url }) => {
    const form = await request.formData();
    const eventId = text(form, 'eventId', 64);
    const title = text(form, 'title');
    const moderation = form.get('moderation') === 'post' ? 'post' : 'pre';
    const failure = (status: number, error: string) =>
      fail(status, { action: 'createSession' as const, eventId, title, moderation, error });
    if (!staffOnly(locals.creds)) return failure(403, m.login_expired());
    if (!eventId) return failure(400, m.form_error_event());
    if (!title || title.length > 200) return failure(400, m.form_error_title());
    const result = await locals.api.createSession(locals.creds, {
      eventId,
      title,
      settings: { moderation },
    });
    if (!result.ok)
      return failure(
        result.error.code === 'forbidden' ? 403 : 400,
        result.error.code === 'forbidden'
          ? m.login_expired()
          : result.error.code === 'not_found'
            ? m.form_error_event()
            : m.form_error_generic(),
      );
    return { action: 'createSession' as const, created: describe(result.data, url.origin) };
  },
} satisfies Actions;
