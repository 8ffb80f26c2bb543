/**
 * The receipt (SPEC F3, F5; DESIGN "receipt"): the status of the posts a device wrote, in
 * every talk, and its follow-ups, each withdrawn with one tap. It shows the receipt of the
 * link opened in this browser (the cookie `/r/<token>` set), else this device's own; either
 * way it offers the personal link and its QR code, drawn here as an inline SVG so the token
 * never travels in an image URL of its own. E-mail addresses and phone numbers are shown
 * masked (lib/mask-contact.ts), so a forwarded or photographed link does not hand them on.
 *
 * `?/withdraw` and `?/forget` are plain form posts that work without JavaScript; a withdrawal
 * carries a command id made at rendering, so sending it twice withdraws once.
 */
import { error, fail, redirect } from '@sveltejs/kit';
import { ID_PATTERN } from '@gt/core';
import { m } from '@gt/i18n';
import { maskEmail, maskPhone } from '$lib/mask-contact';
import { newCommandId } from '$lib/realtime/command-id';
import { qrPath } from '$lib/server/qr-path';
import { RECEIPT_COOKIE, clearReceiptCookie, receiptCredentials } from '$lib/server/receipt-access';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, cookies, url }) => {
  let creds = receiptCredentials(cookies, locals.creds.device);
  let result = await locals.api.getReceipt(creds);
  if (!result.ok && result.error.code === 'forbidden' && creds.receipt) {
    // A link that no longer verifies (another server key): forget it, show this device's own.
    clearReceiptCookie(cookies, url);
    creds = { device: locals.creds.device };
    result = await locals.api.getReceipt(creds);
  }
  if (!result.ok && result.error.code !== 'forbidden') {
    console.error(`receipt during rendering failed: ${result.error.message}`);
    error(503, m.join_error_unavailable());
  }
  const receipt = result.ok ? result.data : { posts: [], followUps: [] };

  let linkPath: string | null = null;
  if (creds.receipt) linkPath = `/r/${creds.receipt}`;
  else if (creds.device) {
    const made = await locals.api.command(creds, 'receipt:link', {});
    if (made.ok) linkPath = made.data.path;
  }
  const link = linkPath ? new URL(linkPath, url.origin).href : null;

  return {
    posts: [...receipt.posts].sort((a, b) => b.post.createdAt - a.post.createdAt),
    // The page shows contact details masked: a forwarded link must not hand them on (F7).
    followUps: receipt.followUps.map(({ followUp, topicTitle }) => ({
      followUp: {
        ...followUp,
        email: followUp.email === null ? null : maskEmail(followUp.email),
        phone: followUp.phone === null ? null : maskPhone(followUp.phone),
      },
      topicTitle,
      commandId: newCommandId(),
    })),
    isViaLink: Boolean(creds.receipt),
    link,
    qr: link ? qrPath(link) : null,
    isLinkInvalid: url.searchParams.get('link') === 'invalid',
    isWithdrawn: url.searchParams.has('withdrawn'),
  };
};

export interface WithdrawFailure {
  action: 'withdraw';
  followUpId: string;
  error: string;
}

export const actions = {
  withdraw: async ({ request, locals, cookies }) => {
    const form = await request.formData();
    const followUpId = String(form.get('followUpId') ?? '');
    const commandIdRaw = String(form.get('commandId') ?? '');
    const failure = (status: number) =>
      fail(status, {
        action: 'withdraw',
        followUpId,
        error: m.receipt_withdraw_error(),
      } satisfies WithdrawFailure);
    if (!ID_PATTERN.test(followUpId)) return failure(400);
    const result = await locals.api.command(
      receiptCredentials(cookies, locals.creds.device),
      'followup:withdraw',
      {
        commandId: ID_PATTERN.test(commandIdRaw) ? commandIdRaw : newCommandId(),
        followUpId,
      },
    );
    if (!result.ok) return failure(result.error.code === 'internal' ? 503 : 400);
    redirect(303, '/receipt?withdrawn=1#follow-ups');
  },

  /** Stop showing the link's receipt in this browser (a borrowed or shared device). */
  forget: async ({ cookies, url }) => {
    if (cookies.get(RECEIPT_COOKIE)) clearReceiptCookie(cookies, url);
    redirect(303, '/receipt');
  },
} satisfies Actions;
