/**
 * The organiser page's "People" and "Your account" forms (SPEC O2-O5), and the refusal texts
 * the login forms share (O6), as plain form posts: each reads its fields, calls the AppApi
 * with the organiser's login, and turns a refusal into a message next to its field with the
 * typed values kept (passwords are never sent back). The server decides who may do what; a
 * refusal of the login itself reads "logged out", as everywhere on the page.
 */
import { fail, redirect } from '@sveltejs/kit';
import type { RequestEvent } from '@sveltejs/kit';
import { MEMBER_ROLES, MIN_PASSWORD_LENGTH } from '@gt/core';
import type { MemberRole } from '@gt/core';
import type { ErrorBody, ErrorCode } from '@gt/protocol';
import { m } from '@gt/i18n';
import { clearStaffCookie } from './cookies';

type Event = Pick<RequestEvent, 'request' | 'locals' | 'cookies' | 'url'>;

const field = (form: FormData, name: string, max: number) =>
  String(form.get(name) ?? '')
    .slice(0, max)
    .trim();
/** A password as typed: spaces count, nothing is trimmed. */
const password = (form: FormData, name: string) => String(form.get(name) ?? '').slice(0, 200);

const isRole = (value: string): value is MemberRole =>
  (MEMBER_ROLES as readonly string[]).includes(value);

/** [O6] The refusal of a login or of an invitation's password, as the form says it. */
export function loginErrorText(error: ErrorBody): string {
  if (error.code === 'rate_limited') {
    const minutes = Number(error.details?.['retryAfterMinutes']);
    return m.login_error_throttled({ minutes: Number.isFinite(minutes) ? minutes : 15 });
  }
  if (error.code === 'forbidden' || error.code === 'invalid_input') return m.login_error_wrong();
  return m.form_error_generic();
}

const STATUS: Partial<Record<ErrorCode, number>> = {
  forbidden: 403,
  conflict: 409,
  rate_limited: 429,
  internal: 503,
};

/** The HTTP status a form's refusal answers with (a lost login 403, a busy server 503). */
export const statusOf = (error: ErrorBody) => STATUS[error.code] ?? 400;

/**
 * The address the login throttle keys on (hashed on the server, never kept). adapter-node
 * reads it from the connection, or from the proxy's header when configured to.
 */
export function clientAddress(getClientAddress: () => string): string | undefined {
  try {
    return getClientAddress();
  } catch {
    return undefined;
  }
}

export async function invite({ request, locals, url }: Event) {
  const form = await request.formData();
  const email = field(form, 'email', 320);
  const roleRaw = field(form, 'role', 20);
  const role = isRole(roleRaw) ? roleRaw : 'organiser';
  const failure = (status: number, error: string) =>
    fail(status, { action: 'invite' as const, email, role, error });
  const result = await locals.api.inviteMember(locals.creds, { email, role });
  if (!result.ok) {
    const { code } = result.error;
    if (code === 'forbidden') return failure(403, m.login_expired());
    if (code === 'invalid_input') return failure(400, m.invite_error_email());
    if (code === 'conflict') return failure(409, m.invite_error_member({ email }));
    return failure(statusOf(result.error), m.form_error_generic());
  }
  return {
    action: 'invite' as const,
    invited: { email: result.data.invitation.email, url: `${url.origin}${result.data.path}` },
  };
}

export async function revokeInvitation({ request, locals }: Event) {
  const form = await request.formData();
  const id = field(form, 'invitationId', 64);
  const result = await locals.api.revokeInvitation(locals.creds, id);
  if (!result.ok)
    return fail(statusOf(result.error), {
      action: 'revokeInvitation' as const,
      invitationId: id,
      error: result.error.code === 'forbidden' ? m.login_expired() : m.form_error_generic(),
    });
  return { action: 'revokeInvitation' as const, revokedInvitation: result.data.email };
}

export async function removeMember({ request, locals }: Event) {
  const form = await request.formData();
  const accountId = field(form, 'accountId', 64);
  const email = field(form, 'email', 320);
  const result = await locals.api.removeMember(locals.creds, accountId);
  if (!result.ok) {
    const error =
      result.error.code === 'forbidden'
        ? m.login_expired()
        : result.error.details?.['reason'] === 'last_admin'
          ? m.people_remove_last_admin()
          : m.form_error_generic();
    return fail(statusOf(result.error), { action: 'removeMember' as const, accountId, error });
  }
  return { action: 'removeMember' as const, removed: email };
}

export async function changePassword({ request, locals }: Event) {
  const form = await request.formData();
  const currentPassword = password(form, 'currentPassword');
  const newPassword = password(form, 'newPassword');
  const failure = (status: number, field: 'currentPassword' | 'newPassword', error: string) =>
    fail(status, { action: 'changePassword' as const, field, error });
  if (newPassword.length < MIN_PASSWORD_LENGTH)
    return failure(400, 'newPassword', m.password_error_short({ min: MIN_PASSWORD_LENGTH }));
  const result = await locals.api.changePassword(locals.creds, { currentPassword, newPassword });
  if (!result.ok) {
    if (result.error.code === 'forbidden')
      return failure(403, 'currentPassword', m.login_expired());
    if (result.error.details?.['field'] === 'currentPassword')
      return failure(400, 'currentPassword', m.password_error_current());
    if (result.error.details?.['field'] === 'newPassword')
      return failure(400, 'newPassword', m.password_error_short({ min: MIN_PASSWORD_LENGTH }));
    return failure(statusOf(result.error), 'newPassword', m.form_error_generic());
  }
  return { action: 'changePassword' as const, isPasswordChanged: true };
}

/** [O4] Every login of the account ends, this one too: back to the login form. */
export async function signOutEverywhere({ locals, cookies, url }: Event) {
  await locals.api.signOutEverywhere(locals.creds);
  clearStaffCookie(cookies, url);
  redirect(303, url.pathname);
}
