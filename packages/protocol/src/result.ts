/**
 * Every command is acknowledged with a result: data, or an error from a closed list of codes
 * that clients can translate and react to. `details` carries machine-readable context, such
 * as the current post on a conflict or the length limit on a too-long text.
 */
export const ERROR_CODES = [
  /** The message did not match the command's schema, or the text breaks a rule. */
  'invalid_input',
  /** The principal may not do this in this session. */
  'forbidden',
  'not_found',
  /** The command carried a stale version; `details.current` holds the present state. */
  'conflict',
  /** The action does not apply to the post's status (approve a visible post). */
  'invalid_state',
  /** The session takes no posts, votes or reactions now. */
  'closed',
  'rate_limited',
  /** The server could not do it; it has been logged. */
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

export type Result<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };

export const ok = <T>(data: T): Result<T> => ({ ok: true, data });
export const fail = (
  code: ErrorCode,
  message: string,
  details?: Record<string, unknown>,
): Result<never> =>
  details
    ? { ok: false, error: { code, message, details } }
    : { ok: false, error: { code, message } };
