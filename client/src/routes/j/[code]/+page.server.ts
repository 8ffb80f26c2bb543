/**
 * /j/123456: the short address the QR code encodes (short, so the code's modules stay large
 * and scan from the back of a tent). It resolves the code and sends the phone to the session;
 * an unknown code shows the join form with the error.
 */
import { error, redirect } from '@sveltejs/kit';
import { m } from '@gt/i18n';
import { isJoinCode, normaliseJoinCode } from '$lib/join-code';
import { joinAction } from '$lib/server/join';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, locals }) => {
  const code = normaliseJoinCode(params.code);
  if (!isJoinCode(code)) return { code: params.code, error: m.join_error_format() };
  const found = await locals.api.findSessionByCode(code);
  if (found.ok) redirect(303, `/s/${encodeURIComponent(found.data.id)}`);
  if (found.error.code !== 'not_found') error(503, m.join_error_unavailable());
  return { code, error: m.join_error_not_found({ code }) };
};

export const actions = { join: joinAction } satisfies Actions;
