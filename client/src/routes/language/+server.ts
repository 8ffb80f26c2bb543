/**
 * POST /language: the language switch's form target. Keeps the choice in Paraglide's cookie
 * (readable by the page's own script, which renders messages after hydration) and sends the
 * browser back where it was. Works without JavaScript.
 */
import { redirect } from '@sveltejs/kit';
import { cookieMaxAge, cookieName, isLocale } from '@gt/i18n/runtime';
import { safeReturnPath } from '$lib/server/return-path';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ request, cookies, url }) => {
  const form = await request.formData();
  const locale = form.get('locale');
  if (typeof locale === 'string' && isLocale(locale)) {
    cookies.set(cookieName, locale, {
      path: '/',
      maxAge: cookieMaxAge,
      httpOnly: false,
      sameSite: 'lax',
      secure: url.protocol === 'https:',
    });
  }
  redirect(303, safeReturnPath(form.get('returnTo')));
};
