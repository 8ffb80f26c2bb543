/**
 * The organiser's page: log in (the token lands in the HttpOnly gt_staff cookie), create
 * events and talks with their defaults (moderation, hidden vote counts, the reaction set), and
 * for every talk its code, join and wall links, QR code, the console (the organiser's login
 * opens it) and its moderator links: labels, revoke, issue a new one. A link's address is
 * shown once, in the answer to the action that made it; the page never lists tokens. Admins
 * also see the people of the organisation, and every member their own account
 * ($lib/server/people-forms.ts); an invitation link opened in this browser shows first
 * ($lib/server/invitation-access.ts). Every action is a plain form post, enhanced when JavaScript
 * runs.
 */
import { fail, redirect } from '@sveltejs/kit';
import { REACTIONS } from '@gt/core';
import type { Reaction } from '@gt/core';
import type {
  AppApi,
  CreateSessionAck,
  Credentials,
  EventView,
  ModeratorLinkWire,
  SessionWire,
} from '@gt/protocol';
import { m } from '@gt/i18n';
import { clearStaffCookie, setStaffCookie } from '$lib/server/cookies';
import { acceptInvitation, openedInvitation } from '$lib/server/invitation-access';
import {
  changePassword,
  clientAddress,
  invite,
  loginErrorText,
  removeMember,
  revokeInvitation,
  signOutEverywhere,
  statusOf,
} from '$lib/server/people-forms';
import type { Actions, PageServerLoad } from './$types';

const text = (form: FormData, name: string, max = 400) =>
  String(form.get(name) ?? '')
    .slice(0, max)
    .trim();

/** The longest label a moderator link may have (the API's limit). */
const MAX_LINK_LABEL = 80;

/** A talk as the organiser's list shows it: where to find it, and who may moderate it. */
export interface TalkRow {
  id: string;
  title: string;
  joinCode: string;
  joinUrl: string;
  wallUrl: string;
  consoleUrl: string;
  /** The moderator links, oldest first, without their tokens. */
  links: ModeratorLinkWire[];
}

export interface EventRow extends EventView {
  /** Null for an older event whose talks the page does not list until asked (`?event=`). */
  talks: TalkRow[] | null;
}

/**
 * How many of the newest events list their talks at once. Each talk costs the page a lookup
 * of its moderator links and a QR image; a municipality's year of events would make the page
 * slow to open. Older events list theirs when chosen (`?event=<id>`).
 */
const EXPANDED_EVENTS = 3;

function addresses(session: SessionWire, origin: string) {
  const id = encodeURIComponent(session.id);
  return {
    joinUrl: `${origin}/j/${session.joinCode}`,
    wallUrl: `${origin}/wall/${id}`,
    consoleUrl: `${origin}/moderator/${id}`,
  };
}

async function talksOf(
  api: AppApi,
  creds: Credentials,
  event: EventView,
  origin: string,
): Promise<TalkRow[]> {
  const sessions = await api.listSessions(creds, event.id);
  if (!sessions.ok) return [];
  return Promise.all(
    sessions.data.map(async (session) => {
      const links = await api.listModeratorLinks(creds, session.id);
      return {
        id: session.id,
        title: session.title,
        joinCode: session.joinCode,
        ...addresses(session, origin),
        // The list hands standing links' tokens out again; this page shows a link's address
        // only once, when it is made, so they stay on the server.
        links: links.ok ? links.data.map(({ moderatorToken: _token, ...link }) => link) : [],
      };
    }),
  );
}

export const load: PageServerLoad = async ({ locals, cookies, url }) => {
  // [O3] An invitation link opened in this browser comes first, logged in or not.
  const invitation = await openedInvitation(locals.api, cookies, url);
  if (!locals.creds.staff) return { isLoggedIn: false as const, isExpired: false, invitation };
  const [events, me] = await Promise.all([
    locals.api.listEvents(locals.creds),
    locals.api.getMyAccount(locals.creds),
  ]);
  if (!events.ok || !me.ok) {
    // An expired or revoked login, or a member removed [O4]: forget it and ask again.
    const isExpired = !events.ok && events.error.code === 'forbidden';
    if (isExpired) clearStaffCookie(cookies, url);
    return { isLoggedIn: false as const, isExpired, invitation };
  }
  // [O2] Only admins see the people; the server refuses everyone else anyway.
  const people = me.data.role === 'admin' ? await locals.api.listPeople(locals.creds) : null;
  const sorted = events.data.toSorted((a, b) => b.createdAt - a.createdAt);
  const expanded = new Set(sorted.slice(0, EXPANDED_EVENTS).map((event) => event.id));
  const chosen = url.searchParams.get('event');
  if (chosen) expanded.add(chosen);
  return {
    isLoggedIn: true as const,
    invitation,
    me: me.data,
    people: people?.ok ? people.data : null,
    events: await Promise.all(
      sorted.map(async (event): Promise<EventRow> => ({
        ...event,
        talks: expanded.has(event.id)
          ? await talksOf(locals.api, locals.creds, event, url.origin)
          : null,
      })),
    ),
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

const moderatorUrl = (origin: string, sessionId: string, token: string) =>
  `${origin}/moderator/${encodeURIComponent(sessionId)}?token=${encodeURIComponent(token)}`;

function describe(created: CreateSessionAck, origin: string): CreatedSession {
  const { session, moderatorToken } = created;
  const { joinUrl, wallUrl } = addresses(session, origin);
  return {
    title: session.title,
    joinCode: session.joinCode,
    joinUrl,
    wallUrl,
    moderatorUrl: moderatorUrl(origin, session.id, moderatorToken),
  };
}

/** The reactions ticked on the form, in the catalogue's order (unknown values are dropped). */
function reactionsOf(form: FormData): Reaction[] {
  const ticked = new Set(form.getAll('reactions').map(String));
  return REACTIONS.filter((reaction) => ticked.has(reaction));
}

const staffOnly = (creds: Credentials) => Boolean(creds.staff);

export const actions = {
  login: async ({ request, locals, cookies, url, getClientAddress }) => {
    const form = await request.formData();
    const email = text(form, 'email', 320);
    const password = String(form.get('password') ?? '').slice(0, 200);
    if (!email || !password)
      return fail(400, { action: 'login' as const, email, error: m.login_error_missing() });
    const result = await locals.api.login(
      { email, password },
      { address: clientAddress(getClientAddress) },
    );
    if (!result.ok)
      return fail(result.error.code === 'forbidden' ? 400 : statusOf(result.error), {
        action: 'login' as const,
        email,
        error: loginErrorText(result.error),
      });
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
    // Unticked boxes are not sent at all, with or without JavaScript.
    const hideVotes = form.get('hideVotes') === 'on';
    const reactions = reactionsOf(form);
    const failure = (status: number, error: string) =>
      fail(status, {
        action: 'createSession' as const,
        eventId,
        title,
        moderation,
        hideVotes,
        reactions,
        error,
      });
    if (!staffOnly(locals.creds)) return failure(403, m.login_expired());
    if (!eventId) return failure(400, m.form_error_event());
    if (!title || title.length > 200) return failure(400, m.form_error_title());
    const result = await locals.api.createSession(locals.creds, {
      eventId,
      title,
      settings: { moderation, hideVotes, reactions },
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

  /** [T5] Another moderator link for a talk; its address is in this answer only. */
  issueLink: async ({ request, locals, url }) => {
    const form = await request.formData();
    const sessionId = text(form, 'sessionId', 64);
    const label = text(form, 'label', 200);
    const failure = (status: number, error: string) =>
      fail(status, { action: 'issueLink' as const, sessionId, label, error });
    if (!staffOnly(locals.creds)) return failure(403, m.login_expired());
    if (!label || label.length > MAX_LINK_LABEL) return failure(400, m.form_error_link_label());
    const result = await locals.api.createModeratorLink(locals.creds, { sessionId, label });
    if (!result.ok)
      return failure(
        result.error.code === 'forbidden' ? 403 : 400,
        result.error.code === 'forbidden' ? m.login_expired() : m.form_error_generic(),
      );
    return {
      action: 'issueLink' as const,
      issued: {
        sessionId,
        label: result.data.link.label,
        url: moderatorUrl(url.origin, sessionId, result.data.moderatorToken),
      },
    };
  },

  /** [T5] Revoke a moderator link: it grants nothing from now on, and its open consoles lose it. */
  revokeLink: async ({ request, locals }) => {
    const form = await request.formData();
    const linkId = text(form, 'linkId', 64);
    const failure = (status: number, error: string) =>
      fail(status, { action: 'revokeLink' as const, linkId, error });
    if (!staffOnly(locals.creds)) return failure(403, m.login_expired());
    const result = await locals.api.revokeModeratorLink(locals.creds, linkId);
    if (!result.ok)
      return failure(
        result.error.code === 'forbidden' ? 403 : 400,
        result.error.code === 'forbidden' ? m.login_expired() : m.form_error_generic(),
      );
    return {
      action: 'revokeLink' as const,
      revoked: { sessionId: result.data.sessionId, label: result.data.label },
    };
  },

  // The people of the organisation and the organiser's own account (SPEC O2-O5).
  acceptInvitation,
  invite,
  revokeInvitation,
  removeMember,
  changePassword,
  signOutEverywhere,
} satisfies Actions;
