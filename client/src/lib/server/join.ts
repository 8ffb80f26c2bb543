/**
 * Joining by code: the front page's form, the QR code's short link /j/123456, and the form on
 * /j/[code] when a code was unknown all go through `resolveJoinCode`.
 *
 * It is the one place a typed or scanned code becomes an address. Today a code is a
 * session's; the organiser issue adds stages, whose printed code must open whatever session
 * is live on that stage at that moment: that lookup belongs here (ask for a stage by code
 * when no session has it, then for the stage's live session), and every way in follows.
 */
import { error, fail, redirect } from '@sveltejs/kit';
import type { RequestEvent } from '@sveltejs/kit';
import type { AppApi } from '@gt/protocol';
import { m } from '@gt/i18n';
import { isJoinCode, normaliseJoinCode } from '$lib/join-code';

export interface JoinFailure {
  code: string;
  error: string;
}

export type JoinResolution =
  | { ok: true; path: string }
  | { ok: false; reason: 'format' | 'not_found' | 'unavailable'; code: string };

/** Where a code leads (spaces and full-width digits forgiven), or why it leads nowhere. */
export async function resolveJoinCode(
  api: Pick<AppApi, 'findSessionByCode'>,
  typed: string,
): Promise<JoinResolution> {
  const code = normaliseJoinCode(typed);
  if (!isJoinCode(code)) return { ok: false, reason: 'format', code };
  const found = await api.findSessionByCode(code);
  if (found.ok) return { ok: true, path: `/s/${encodeURIComponent(found.data.id)}` };
  return {
    ok: false,
    reason: found.error.code === 'not_found' ? 'not_found' : 'unavailable',
    code,
  };
}

/** The translated reason, next to the field; `shown` is the code as the person typed it. */
function joinErrorText(reason: 'format' | 'not_found' | 'unavailable', shown: string): string {
  if (reason === 'format') return m.join_error_format();
  if (reason === 'not_found') return m.join_error_not_found({ code: shown });
  return m.join_error_unavailable();
}

/** /j/[code]: go to the talk, or show the join form with the reason. */
export async function joinByLink(api: AppApi, raw: string): Promise<JoinFailure> {
  const resolved = await resolveJoinCode(api, raw);
  if (resolved.ok) redirect(303, resolved.path);
  if (resolved.reason === 'unavailable') error(503, m.join_error_unavailable());
  const shown = resolved.reason === 'format' ? raw : resolved.code;
  return { code: shown, error: joinErrorText(resolved.reason, shown) };
}

/**
 * The join form's action, used by the front page and by /j/[code] when a code was unknown.
 * Without JavaScript it is a plain form post; either way a bad code comes back as a
 * translated error with the typed text kept.
 */
export async function joinAction({ request, locals }: RequestEvent) {
  const typed = String((await request.formData()).get('code') ?? '').slice(0, 40);
  const resolved = await resolveJoinCode(locals.api, typed);
  if (resolved.ok) redirect(303, resolved.path);
  const status = resolved.reason === 'format' ? 400 : resolved.reason === 'not_found' ? 404 : 503;
  return fail(status, {
    code: typed,
    error: joinErrorText(resolved.reason, typed.trim()),
  } satisfies JoinFailure);
}
