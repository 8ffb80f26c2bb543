/**
 * The names of the wire contract and the facts about them a browser needs at runtime, with
 * no zod: this module is the `@gt/protocol/names` subpath, which pages import for values
 * (the package's root re-exports the zod schemas, and one value import from it would add
 * ~37 KB gzipped to every phone's first load). The command and update tables (commands.ts,
 * updates.ts) are checked against these lists by the compiler, so they cannot drift apart.
 * Keep this file free of value imports (names.test.ts bundles it and looks for zod).
 */

/** Bumped on any incompatible change to the tables; checked at the handshake. */
export const PROTOCOL_VERSION = 1;

/** Every command, in the order of the command table. */
export const COMMAND_NAMES = [
  'device:register',
  'session:join',
  'session:leave',
  'stream:catchup',
  'post:create',
  'post:upvote',
  'reaction:send',
  'topic:list',
  'followup:create',
  'followup:withdraw',
  'receipt:link',
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
  'exposure:report',
  'log:list',
  'poll:create',
  'poll:update',
  'poll:open',
  'poll:close',
  'poll:reopen',
  'poll:show-results',
  'poll:hide-results',
  'poll:hide-word',
  'poll:answer',
  'poll:my-answers',
] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

/**
 * Commands that change state carry a client-made `commandId`: a repeat is answered from the
 * first result and has no second effect. The command table's `isIdempotent` must agree.
 */
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
] as const satisfies readonly CommandName[];
export type IdempotentCommand = (typeof IDEMPOTENT_COMMANDS)[number];

/**
 * Commands whose payload names no session: a client must not add a `sessionId` to them
 * (payloads are strict). The command table's request schemas must agree.
 */
export const SESSIONLESS_COMMANDS = [
  'device:register',
  'followup:withdraw',
  'receipt:link',
] as const satisfies readonly CommandName[];
export type SessionlessCommand = (typeof SESSIONLESS_COMMANDS)[number];

/** The updates that carry a stream's sequence number (everything but the unsequenced ones). */
export const SEQUENCED_UPDATES = [
  'post:created',
  'post:updated',
  'post:withdrawn',
  'session:updated',
  'queue:updated',
  'mic:ticket',
  'poll:updated',
  'poll:answered',
] as const;
export type SequencedUpdateName = (typeof SEQUENCED_UPDATES)[number];

/** Messages of the connect_error the server refuses a handshake with. */
export const HANDSHAKE_ERRORS = [
  'protocol_mismatch',
  'invalid_handshake',
  'origin_not_allowed',
] as const;

// Plain searches, not Sets built when the module loads: a page that imports one list must
// not carry the others (module-level calls defeat tree-shaking; the attendee page's budget).
export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && (COMMAND_NAMES as readonly string[]).includes(name);
}

export function isIdempotentCommand(name: string): name is IdempotentCommand {
  return (IDEMPOTENT_COMMANDS as readonly string[]).includes(name);
}

export function isSessionlessCommand(name: string): name is SessionlessCommand {
  return (SESSIONLESS_COMMANDS as readonly string[]).includes(name);
}
