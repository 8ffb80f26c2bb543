/**
 * The receipt link (`/r/<token>`, made by `receipt:link`) is a bearer link: whoever holds it
 * reads the device's posts and follow-ups and can withdraw them. On first open its token is
 * checked, kept in an HttpOnly cookie that only the receipt page receives, and the browser is
 * sent on to `/receipt` (DESIGN "Secrets": exchanged for a cookie, then the URL is cleaned),
 * so the token leaves the address bar, the history and screenshots at once.
 */
import type { Cookies } from '@sveltejs/kit';
import type { Credentials } from '@gt/protocol';

export const RECEIPT_COOKIE = 'gt_receipt';
/** A token is a few hundred characters; anything much longer is not one of ours. */
export const MAX_RECEIPT_TOKEN_LENGTH = 1000;
const YEAR_SECONDS = 365 * 24 * 3600;

const options = (url: URL) =>
  ({
    // Only the receipt page and its form actions ever send it.
    path: '/receipt',
    httpOnly: true,
    sameSite: 'lax',
    secure: url.protocol === 'https:',
  }) as const;

export function setReceiptCookie(cookies: Cookies, url: URL, token: string): void {
  cookies.set(RECEIPT_COOKIE, token, { ...options(url), maxAge: YEAR_SECONDS });
}

export function clearReceiptCookie(cookies: Cookies, url: URL): void {
  cookies.delete(RECEIPT_COOKIE, options(url));
}

/**
 * Whose receipt this browser shows: the link's device when a link was opened here (even on a
 * phone with posts of its own, the person asked for that receipt), else this device's own.
 */
export function receiptCredentials(cookies: Cookies, device: string | undefined): Credentials {
  const link = cookies.get(RECEIPT_COOKIE);
  return link ? { receipt: link } : { device };
}
