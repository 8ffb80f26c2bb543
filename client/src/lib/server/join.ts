/**
 * The join form's action, used by the front page and by /j/[code] when a code was unknown.
 * Without JavaScript it is a plain form post; either way a bad code comes back as a
 * translated error with the typed text kept.
 */
import { fail, redirect } from '@sveltejs/kit';
import type { RequestEvent } from '@sveltejs/kit';
import { m } from '@gt/i18n';
import { isJoinCode, normaliseJoinCode } from '$lib/join-code';

export interface JoinFailure {
  code: string;
  error: string;
}

export async function joinAction({ request, locals }: RequestEvent) {
  const typed = String((await request.formData()).get('code') ?? '').slice(0, 40);
  const code = normaliseJoinCode(typed);
  if (!isJoinCode(code))
    return fail(400, { code: typed, error: m.join_error_format() } satisfies JoinFailure);
  const found = await locals.api.findSessionByCode(code);
  if (!found.ok) {
    const error =
      found.error.code === 'not_found'
        ? m.join_error_not_found({ code: typed.trim() })
        : m.join_error_unavailable();
    return fail(found.error.code === 'not_found' ? 404 : 503, {
      code: typed,
      error,
    } satisfies JoinFailure);
  }
  redirect(303, `/s/${encodeURIComponent(found.data.id)}`);
}
