/**
 * The cookies that carry credentials in server-side rendering. Both are HttpOnly: page
 * scripts never read them. (The socket gets the device token from the layout data instead.)
 */
import type { Cookies } from '@sveltejs/kit';

/** The device's pseudonymous token (votes, "my posts"). */
export const DEVICE_COOKIE = 'gt_device';
/** The organiser's login token. */
export const STAFF_COOKIE = 'gt_staff';

const YEAR_SECONDS = 365 * 24 * 3600;
/** Matches the organiser token's own lifetime (server/src/services: ORGANISER_TOKEN_HOURS). */
const STAFF_SECONDS = 12 * 3600;

// `secure` is explicit: SvelteKit's default (secure except on http://localhost) would make the
// browser drop the cookie on a plain-http address such as a laptop on the venue's network.
const base = (url: URL) =>
  ({ path: '/', httpOnly: true, sameSite: 'lax', secure: url.protocol === 'https:' }) as const;

export function setDeviceCookie(cookies: Cookies, url: URL, token: string): void {
  cookies.set(DEVICE_COOKIE, token, { ...base(url), maxAge: YEAR_SECONDS });
}

export function setStaffCookie(cookies: Cookies, url: URL, token: string): void {
  cookies.set(STAFF_COOKIE, token, { ...base(url), maxAge: STAFF_SECONDS });
}

export function clearStaffCookie(cookies: Cookies, url: URL): void {
  cookies.delete(STAFF_COOKIE, base(url));
}
