/**
 * What the live screens' loads share: joining the session through AppApi during server-side
 * rendering, so the first paint needs no socket and the state class starts from the same
 * snapshot the socket would give (its `initial`).
 */
import { error } from '@sveltejs/kit';
import { ID_PATTERN } from '@gt/core';
import type { Credentials, JoinAck } from '@gt/protocol';
import { m } from '@gt/i18n';

/** A session id as the server makes them; anything else is a 404 without asking it. */
export function checkSessionId(sessionId: string): string {
  if (!ID_PATTERN.test(sessionId)) error(404, m.error_not_found());
  return sessionId;
}

/**
 * `session:join` with these credentials: the ack, or the page's error (404 for a session that
 * does not exist, 503 when the application did not answer).
 */
export async function joinForPage(
  api: App.Locals['api'],
  creds: Credentials,
  sessionId: string,
): Promise<JoinAck> {
  const joined = await api.command(creds, 'session:join', { sessionId: checkSessionId(sessionId) });
  if (joined.ok) return joined.data;
  if (joined.error.code === 'not_found') error(404, m.error_not_found());
  if (joined.error.code === 'forbidden') error(403, m.error_heading());
  console.error(`session:join during rendering failed: ${joined.error.message}`);
  error(503, m.join_error_unavailable());
}
