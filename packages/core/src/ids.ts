/**
 * Branded identifiers. A bare string crossing a boundary could be any id; the brand makes
 * the compiler reject a PostId where a SessionId is expected. Ids are made by the server
 * (randomness is I/O as far as this package is concerned), so here they are only types and
 * a checked cast for values that arrive already validated.
 */
declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

export type OrgId = Brand<string, 'OrgId'>;
export type EventId = Brand<string, 'EventId'>;
export type SessionId = Brand<string, 'SessionId'>;
export type PostId = Brand<string, 'PostId'>;
export type DeviceId = Brand<string, 'DeviceId'>;
export type CommandId = Brand<string, 'CommandId'>;

/** Shape of every id the server issues: URL-safe, short enough for logs and keys. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

/** A join code is six digits: easy to read aloud in a noisy tent and to type on a keypad. */
export const JOIN_CODE_PATTERN = /^[0-9]{6}$/;

export function asId<T extends string>(value: string): T {
  return value as T;
}
