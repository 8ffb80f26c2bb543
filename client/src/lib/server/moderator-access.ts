/**
 * Who may open a moderator console, and how the moderator link's token is kept.
 *
 * A moderator link is `/moderator/<session>?token=…` (the organiser page builds it). On the
 * first open the token is checked, kept in an HttpOnly cookie scoped to that console's path,
 * and the browser is sent on to the same address without the token (DESIGN "Secrets": bearer
 * links are exchanged for a cookie, then the URL is cleaned), so it stays out of the history,
 * of bookmarks and of screenshots. An organiser's own login (gt_staff) also opens the console.
 */
import type { Cookies } from '@sveltejs/kit';
import type { AppApi, Credentials, JoinAck } from '@gt/protocol';

/** One cookie per session: a moderator may hold links to several talks at once. */
export const moderatorCookieName = (sessionId: string) => `gt_mod_${sessionId}`;

/**
 * Moderator links stay valid until revoked (revoking also makes this cookie worthless), so
 * the cookie lasts for an event's few days rather than a year.
 */
const MODERATOR_SECONDS = 14 * 24 * 3600;

const options = (url: URL, sessionId: string) =>
  ({
    // Only the console (and its form actions and data requests) ever sends it.
    path: `/moderator/${sessionId}`,
    httpOnly: true,
    sameSite: 'lax',
    secure: url.protocol === 'https:',
  }) as const;

export function setModeratorCookie(cookies: Cookies, url: URL, sessionId: string, token: string) {
  cookies.set(moderatorCookieName(sessionId), token, {
    ...options(url, sessionId),
    maxAge: MODERATOR_SECONDS,
  });
}

export function clearModeratorCookie(cookies: Cookies, url: URL, sessionId: string) {
  cookies.delete(moderatorCookieName(sessionId), options(url, sessionId));
}

/** The staff credential a console's form post carries: the link's cookie, else the organiser's login. */
export function staffCredential(
  cookies: Cookies,
  sessionId: string,
  organiserToken: string | undefined,
): string | undefined {
  return cookies.get(moderatorCookieName(sessionId)) ?? organiserToken;
}

export type StaffJoin =
  /** `staffToken` is the token that was accepted: the console's socket presents it too. */
  | { kind: 'staff'; staffToken: string; ack: JoinAck }
  | { kind: 'not_found' }
  | { kind: 'unavailable'; message: string }
  /** No token was given, or none makes its holder staff of this session. */
  | { kind: 'none' };

/**
 * Join as staff with the first token the server accepts for this session: the moderator
 * link's cookie, then the organiser's login. A revoked link, a link to another talk or an
 * organiser of another organisation is not staff here.
 */
export async function joinAsStaff(
  api: AppApi,
  sessionId: string,
  tokens: readonly (string | undefined)[],
): Promise<StaffJoin> {
  for (const token of tokens) {
    if (!token) continue;
    const creds: Credentials = { staff: token };
    const joined = await api.command(creds, 'session:join', { sessionId });
    if (!joined.ok) {
      if (joined.error.code === 'not_found') return { kind: 'not_found' };
      if (joined.error.code === 'forbidden') continue;
      return { kind: 'unavailable', message: joined.error.message };
    }
    if (joined.data.you.staff) return { kind: 'staff', staffToken: token, ack: joined.data };
  }
  return { kind: 'none' };
}
