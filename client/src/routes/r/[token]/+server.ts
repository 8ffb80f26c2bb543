/**
 * Opening a receipt link: keep a working token in the receipt cookie and go on to `/receipt`,
 * the address without it (lib/server/receipt-access.ts). A link that does not work leaves
 * no cookie and says so there.
 */
import { redirect } from '@sveltejs/kit';
import { MAX_RECEIPT_TOKEN_LENGTH, setReceiptCookie } from '$lib/server/receipt-access';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params, locals, cookies, url }) => {
  const token = params.token;
  if (token.length <= MAX_RECEIPT_TOKEN_LENGTH) {
    const checked = await locals.api.getReceipt({ receipt: token });
    if (checked.ok) {
      setReceiptCookie(cookies, url, token);
      redirect(303, '/receipt');
    }
    if (checked.error.code !== 'forbidden') {
      console.error(`receipt link check failed: ${checked.error.message}`);
    }
  }
  redirect(303, '/receipt?link=invalid');
};
