/**
 * The few runtime values of the wire contract the browser needs, declared here rather than
 * imported: `@gt/protocol`'s entry point re-exports its zod schemas, and importing any value
 * from it would put zod into the attendee page's bundle. Types still come from the package
 * (type-only imports cost nothing at runtime), and the annotations below make the compiler
 * reject a value that drifts from the package; protocol-constants.test.ts checks the values.
 */
import type {
  CommandName,
  Commands,
  ErrorCode,
  PROTOCOL_VERSION as WIRE_PROTOCOL_VERSION,
  SequencedUpdateName,
} from '@gt/protocol';

/** Sent as `auth.v` at the handshake; the server refuses any other value. */
export const PROTOCOL_VERSION: typeof WIRE_PROTOCOL_VERSION = 1;

/** Commands that carry a client-made `commandId`, so a repeat has no second effect. */
export type IdempotentCommand = {
  [K in CommandName]: Commands[K]['isIdempotent'] extends true ? K : never;
}[CommandName];

export const IDEMPOTENT_COMMANDS = [
  'post:create',
  'post:upvote',
  'reaction:send',
  'followup:create',
  'followup:withdraw',
  'post:create-from-room',
  'post:edit',
  'post:approve',
  'post:hide',
  'post:restore',
  'post:answer',
  'post:highlight',
  'post:unhighlight',
  'post:pin',
  'post:unpin',
  'post:reopen',
  'post:unapprove',
  'post:tag',
  'post:direct',
  'post:promise-follow-up',
  'post:to-topic',
  'post:merge',
  'session:configure',
  'mic:request',
  'mic:cancel',
  'mic:call-next',
  'mic:move',
  'poll:create',
  'poll:update',
  'poll:open',
  'poll:close',
  'poll:reopen',
  'poll:show-results',
  'poll:hide-results',
  'poll:hide-word',
  'poll:answer',
] as const satisfies readonly IdempotentCommand[];

// Every idempotent command of the table is listed above (the `satisfies` checks the other way):
// a command added to the protocol with `isIdempotent: true` must be added here too, or `send`
// would leave out its commandId. The compiler's message names what is missing.
type Missing = Exclude<IdempotentCommand, (typeof IDEMPOTENT_COMMANDS)[number]>;
const everyIdempotentCommandListed: [Missing] extends [never]
  ? true
  : `add ${Missing} to IDEMPOTENT_COMMANDS` = true;
void everyIdempotentCommandListed;

/** Commands whose payload names no session (`send` must not add one: payloads are strict). */
export const SESSIONLESS_COMMANDS = [
  'device:register',
  'followup:withdraw',
  'receipt:link',
] as const satisfies readonly CommandName[];

/**
 * Errors that will not go away by sending the same command again: the outbox keeps such an
 * item as failed, with the server's message, instead of retrying it forever. `rate_limited`
 * and `internal` are worth another try later.
 */
export const FINAL_ERROR_CODES = [
  'invalid_input',
  'forbidden',
  'not_found',
  'conflict',
  'invalid_state',
  'closed',
] as const satisfies readonly ErrorCode[];

/** Handshake refusals that another attempt cannot fix (the page must be reloaded). */
export const FATAL_HANDSHAKE_ERRORS = ['protocol_mismatch', 'invalid_handshake'] as const;

export function isIdempotentCommand(name: string): name is IdempotentCommand {
  return (IDEMPOTENT_COMMANDS as readonly string[]).includes(name);
}

export function isFinalErrorCode(code: string): boolean {
  return (FINAL_ERROR_CODES as readonly string[]).includes(code);
}

/** The updates that carry a stream's sequence number (everything but `counts`). */
export const SEQUENCED_UPDATE_NAMES = [
  'post:created',
  'post:updated',
  'post:withdrawn',
  'session:updated',
  'queue:updated',
  'mic:ticket',
  'poll:updated',
  'poll:answered',
] as const satisfies readonly SequencedUpdateName[];
type MissingUpdate = Exclude<SequencedUpdateName, (typeof SEQUENCED_UPDATE_NAMES)[number]>;
const everySequencedUpdateListed: [MissingUpdate] extends [never]
  ? true
  : `add ${MissingUpdate} to SEQUENCED_UPDATE_NAMES` = true;
void everySequencedUpdateListed;
