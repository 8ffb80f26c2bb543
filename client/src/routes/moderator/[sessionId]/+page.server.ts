/**
 * The moderator console. The load turns a moderator link's `?token=` into an HttpOnly cookie
 * and redirects to the clean address (lib/server/moderator-access.ts), then joins the session
 * as staff for the first paint. The browser's socket needs the same token: it comes in the
 * page data (it is this moderator's own credential; it never appears in the URL again).
 *
 * `?/moderate` is every moderation button as a plain form post, for a console whose script
 * has not loaded: with the post's version (a stale one is a conflict, SPEC M4) and a command
 * id made at rendering (a double submit acts once). `?/floor` types in a question from the
 * room and `?/configure` changes the session's settings, the same way. `?tab=` names the
 * console's tab, so a form post comes back to the tab it was sent from. `?/poll` is every poll
 * command of the console's poll panel (SPEC PL1-PL8), the same way.
 */
import { error, fail, redirect } from '@sveltejs/kit';
import { ID_PATTERN } from '@gt/core';
import { m } from '@gt/i18n';
import { newCommandId } from '$lib/realtime/command-id';
import type { ModerationAction } from '$lib/realtime/session-connection';
import {
  clearModeratorCookie,
  joinAsStaff,
  moderatorCookieName,
  setModeratorCookie,
  staffCredential,
} from '$lib/server/moderator-access';
import { submitFloor } from '$lib/server/floor-form';
import { checkSessionId } from '$lib/server/session-load';
import { isConsoleTab } from '$lib/session/console-views';
import type { ConsoleTab } from '$lib/session/console-views';
import { moderationNoticeText, hideReasonText } from '$lib/ui/moderator/moderation-texts';
import { panelErrorOf, settingsFromForm, valuesOf } from '$lib/ui/moderator/settings-form';
import type { SettingsError } from '$lib/ui/moderator/settings-form';
import { draftFromForm } from '$lib/ui/polls/poll-form';
import { pollRefusalText } from '$lib/ui/polls/poll-texts';
import type { Actions, PageServerLoad } from './$types';

/** A token is a few hundred characters; anything much longer is not one of ours. */
const MAX_TOKEN_LENGTH = 2000;

const ACTIONS = [
  'approve',
  'hide',
  'restore',
  'answer',
  'highlight',
  'unhighlight',
  'pin',
  'unpin',
  'edit',
  'reopen',
  'unapprove',
  'promise-follow-up',
] as const satisfies readonly ModerationAction[];

function tabOf(value: unknown): ConsoleTab {
  return isConsoleTab(value) ? value : 'pending';
}

/** Back to the console's address (never with a token), on the tab the form came from. */
function consoleAddress(url: URL, tab: ConsoleTab): string {
  return tab === 'pending' ? url.pathname : `${url.pathname}?tab=${tab}`;
}

export const load: PageServerLoad = async ({ params, url, cookies, locals }) => {
  const sessionId = checkSessionId(params.sessionId);

  const linkToken = url.searchParams.get('token');
  if (linkToken !== null) {
    // Keep the token only if it opens this console; either way, the address loses it.
    const checked =
      linkToken.length <= MAX_TOKEN_LENGTH
        ? await joinAsStaff(locals.api, sessionId, [linkToken])
        : null;
    if (checked?.kind === 'staff') setModeratorCookie(cookies, url, sessionId, linkToken);
    redirect(303, consoleAddress(url, tabOf(url.searchParams.get('tab'))));
  }

  const linkCookie = cookies.get(moderatorCookieName(sessionId));
  const joined = await joinAsStaff(locals.api, sessionId, [linkCookie, locals.creds.staff]);
  if (joined.kind === 'not_found') error(404, m.error_not_found());
  if (joined.kind === 'unavailable') {
    console.error(`session:join as staff during rendering failed: ${joined.message}`);
    error(503, m.join_error_unavailable());
  }
  if (joined.kind === 'none') {
    // A revoked link's cookie is worth nothing: forget it.
    if (linkCookie) clearModeratorCookie(cookies, url, sessionId);
    error(403, m.moderator_no_access());
  }
  // The topics a post can be tagged with; the console works without them if this fails.
  const listed = await locals.api.command({}, 'topic:list', { sessionId });
  return {
    sessionId,
    staffToken: joined.staffToken,
    initial: joined.ack,
    tab: tabOf(url.searchParams.get('tab')),
    topics: listed.ok ? listed.data.topics : [],
  };
};

const POLL_ACTIONS = ['open', 'close', 'reopen', 'show-results', 'hide-results'] as const;

/** A refused poll form: the poll it concerned ('' a new one), what was typed, and why. */
export interface PollFailure {
  pollId: string;
  values?: Record<string, string>;
  error: string;
}

export interface ModerateFailure {
  postId: string;
  error: string;
}

export const actions = {
  moderate: async ({ request, params, cookies, locals, url }) => {
    const sessionId = checkSessionId(params.sessionId);
    const form = await request.formData();
    const action = String(form.get('action') ?? '') as ModerationAction;
    const postId = String(form.get('postId') ?? '');
    const version = Number(form.get('version'));
    const commandIdRaw = String(form.get('commandId') ?? '');
    const commandId = ID_PATTERN.test(commandIdRaw) ? commandIdRaw : newCommandId();
    const tab = tabOf(form.get('tab'));
    if (
      !(ACTIONS as readonly string[]).includes(action) ||
      !ID_PATTERN.test(postId) ||
      !Number.isInteger(version)
    )
      return fail(400, { postId, error: m.form_error_generic() } satisfies ModerateFailure);

    const staff = staffCredential(cookies, sessionId, locals.creds.staff);
    if (!staff)
      return fail(403, { postId, error: m.moderator_no_access() } satisfies ModerateFailure);
    const payload = { sessionId, commandId, postId, version };
    const result =
      action === 'hide'
        ? await locals.api.command({ staff }, 'post:hide', {
            ...payload,
            reason: hideReasonText(
              String(form.get('reasonPreset') ?? ''),
              String(form.get('reasonText') ?? ''),
            ),
          })
        : action === 'edit'
          ? await locals.api.command({ staff }, 'post:edit', {
              ...payload,
              text: String(form.get('text') ?? ''),
            })
          : action === 'promise-follow-up'
            ? await locals.api.command({ staff }, 'post:promise-follow-up', {
                ...payload,
                panelMemberId: String(form.get('panelMemberId') ?? '') || null,
              })
            : await locals.api.command({ staff }, `post:${action}`, payload);
    if (!result.ok)
      return fail(result.error.code === 'forbidden' ? 403 : 409, {
        postId,
        error: moderationNoticeText(result.error.code),
      } satisfies ModerateFailure);
    redirect(303, consoleAddress(url, tab));
  },

  floor: async ({ request, params, cookies, locals, url }) => {
    const sessionId = checkSessionId(params.sessionId);
    const form = await request.formData();
    const staff = staffCredential(cookies, sessionId, locals.creds.staff);
    if (!staff) error(403, m.moderator_no_access());
    const outcome = await submitFloor(locals.api, staff, sessionId, form);
    if (!outcome.ok) return fail(outcome.status, outcome.failure);
    redirect(303, consoleAddress(url, tabOf(form.get('tab'))));
  },

  configure: async ({ request, params, cookies, locals, url }) => {
    const sessionId = checkSessionId(params.sessionId);
    const form = await request.formData();
    const version = Number(form.get('version'));
    const commandIdRaw = String(form.get('commandId') ?? '');
    const commandId = ID_PATTERN.test(commandIdRaw) ? commandIdRaw : newCommandId();
    const staff = staffCredential(cookies, sessionId, locals.creds.staff);
    if (!staff) error(403, m.moderator_no_access());
    const values = valuesOf(form, { wallMode: 'top', wallLanguage: 'da' });
    const refuse = (status: number, settingsError: SettingsError) =>
      fail(status, { settingsError, settingsValues: values });
    if (!Number.isInteger(version) || version < 1)
      return refuse(400, { field: 'form', text: m.form_error_generic() });
    const read = settingsFromForm(form, {
      wallMode: 'top',
      wallLanguage: 'da',
    });
    if (!read.ok) return refuse(400, read.error);
    const result = await locals.api.command({ staff }, 'session:configure', {
      sessionId,
      commandId,
      version,
      settings: read.settings,
    });
    if (!result.ok) {
      const details = result.error.details ?? {};
      if (result.error.code === 'invalid_input' && typeof details.field === 'string')
        return refuse(
          400,
          panelErrorOf(
            details.field,
            String(details.reason ?? ''),
            typeof details.max === 'number' ? details.max : undefined,
          ),
        );
      return refuse(result.error.code === 'conflict' ? 409 : 400, {
        field: 'form',
        text:
          result.error.code === 'conflict'
            ? m.moderator_notice_settings_conflict()
            : moderationNoticeText(result.error.code),
      });
    }
    redirect(303, consoleAddress(url, tabOf(form.get('tab'))));
  },

  poll: async ({ request, params, cookies, locals, url }) => {
    const sessionId = checkSessionId(params.sessionId);
    const form = await request.formData();
    const action = String(form.get('pollAction') ?? '');
    const pollIdRaw = String(form.get('pollId') ?? '');
    const commandIdRaw = String(form.get('commandId') ?? '');
    const commandId = ID_PATTERN.test(commandIdRaw) ? commandIdRaw : newCommandId();
    const isDraft = action === 'create' || action === 'update';
    const isWord = action === 'hide-word' || action === 'show-word';
    const values = isDraft
      ? Object.fromEntries([...form].flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : [])))
      : undefined;
    const refuse = (status: number, error: string) =>
      fail(status, { poll: { pollId: pollIdRaw, values, error } satisfies PollFailure });
    const draft = isDraft ? draftFromForm(form) : null;
    const pollId = ID_PATTERN.test(pollIdRaw) ? pollIdRaw : null;
    if (
      (isDraft && !draft) ||
      (action !== 'create' && !pollId) ||
      (!isDraft && !isWord && !(POLL_ACTIONS as readonly string[]).includes(action))
    )
      return refuse(400, m.form_error_generic());
    const staff = staffCredential(cookies, sessionId, locals.creds.staff);
    if (!staff) return refuse(403, m.moderator_no_access());
    const base = { sessionId, commandId };
    const result =
      action === 'create'
        ? await locals.api.command({ staff }, 'poll:create', { ...base, ...draft! })
        : action === 'update'
          ? await locals.api.command({ staff }, 'poll:update', {
              ...base,
              pollId: pollId!,
              ...draft!,
            })
          : isWord
            ? await locals.api.command({ staff }, 'poll:hide-word', {
                ...base,
                pollId: pollId!,
                word: String(form.get('word') ?? ''),
                isHidden: action === 'hide-word',
              })
            : await locals.api.command(
                { staff },
                `poll:${action as (typeof POLL_ACTIONS)[number]}`,
                {
                  ...base,
                  pollId: pollId!,
                },
              );
    if (!result.ok)
      return refuse(
        result.error.code === 'forbidden' ? 403 : result.error.code === 'invalid_input' ? 400 : 409,
        pollRefusalText(result.error.code, result.error.details),
      );
    redirect(303, consoleAddress(url, tabOf(form.get('tab'))));
  },
} satisfies Actions;
