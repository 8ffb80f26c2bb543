/**
 * [O3] An invitation taken up on the organiser page: `/invite/<token>` keeps the link's token
 * in an HttpOnly cookie only `/organiser` receives; the page shows what the invitation is for
 * (or why it no longer opens anything) and its `?/acceptInvitation` action sets the password,
 * logs the invitee in and forgets the token. A link that no longer stands is forgotten once
 * its reason has been shown.
 */
import { fail, redirect } from '@sveltejs/kit';
import type { Cookies, RequestEvent } from '@sveltejs/kit';
import { MIN_PASSWORD_LENGTH } from '@gt/core';
import type { AppApi } from '@gt/protocol';
import { m } from '@gt/i18n';
import { setStaffCookie } from './cookies';
import { clientAddress, loginErrorText, statusOf } from './people-forms';
import type { OpenedInvitation } from '$lib/ui/organiser/opened-invitation';

export const INVITATION_COOKIE = 'gt_invite';
/** The server's tokens are 32 characters; anything much longer is not one of ours. */
export const MAX_INVITATION_TOKEN_LENGTH = 200;
/** Long enough to read the page and choose a password; the link itself lasts 7 days. */
const COOKIE_SECONDS = 3600;

const options = (url: URL) =>
  ({
    path: '/organiser',
    httpOnly: true,
    sameSite: 'lax',
    secure: url.protocol === 'https:',
  }) as const;

export function setInvitationCookie(cookies: Cookies, url: URL, token: string): void {
  cookies.set(INVITATION_COOKIE, token, { ...options(url), maxAge: COOKIE_SECONDS });
}

function clearInvitationCookie(cookies: Cookies, url: URL): void {
  cookies.delete(INVITATION_COOKIE, options(url));
}

const CLOSED_TEXTS = {
  accepted: () => m.invite_page_used(),
  revoked: () => m.invite_page_revoked(),
  expired: () => m.invite_page_expired(),
} as const;

/** The invitation opened in this browser, or null when none was. */
export async function openedInvitation(
  api: AppApi,
  cookies: Cookies,
  url: URL,
): Promise<OpenedInvitation | null> {
  const token = cookies.get(INVITATION_COOKIE);
  if (!token) return null;
  const found = await api.findInvitation(token);
  if (found.ok && found.data.state === 'pending') return { isOpen: true, invitation: found.data };
  // Said once: the next visit is the ordinary page again.
  clearInvitationCookie(cookies, url);
  if (!found.ok) return { isOpen: false, reason: m.invite_page_not_found() };
  return { isOpen: false, reason: CLOSED_TEXTS[found.data.state as keyof typeof CLOSED_TEXTS]() };
}

type Event = Pick<RequestEvent, 'request' | 'locals' | 'cookies' | 'url' | 'getClientAddress'>;

export async function acceptInvitation({ request, locals, cookies, url, getClientAddress }: Event) {
  const token = cookies.get(INVITATION_COOKIE) ?? '';
  const password = String((await request.formData()).get('password') ?? '').slice(0, 200);
  const failure = (status: number, error: string) =>
    fail(status, { action: 'acceptInvitation' as const, error });
  const found = await locals.api.findInvitation(token);
  const hasAccount = found.ok && found.data.hasAccount;
  if (found.ok && !hasAccount && password.length < MIN_PASSWORD_LENGTH)
    return failure(400, m.password_error_short({ min: MIN_PASSWORD_LENGTH }));
  const result = await locals.api.acceptInvitation(
    { token, password },
    { address: clientAddress(getClientAddress) },
  );
  if (!result.ok) {
    const { code } = result.error;
    // A link that went meanwhile: the page says why on its next load.
    if (code === 'invalid_state' || code === 'not_found') redirect(303, url.pathname);
    if (code === 'forbidden') return failure(400, m.invite_page_wrong_password());
    if (code === 'invalid_input')
      return failure(400, m.password_error_short({ min: MIN_PASSWORD_LENGTH }));
    return failure(statusOf(result.error), loginErrorText(result.error));
  }
  clearInvitationCookie(cookies, url);
  setStaffCookie(cookies, url, result.data.staffToken);
  redirect(303, url.pathname);
}
