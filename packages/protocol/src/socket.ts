/**
 * Socket.IO's typed event maps, derived from the command and update tables so the type a
 * handler sees and the schema that validated its payload cannot drift apart.
 */
import type { CommandAck, CommandRequest } from './commands.js';
import type { CommandName } from './names.js';
import type { Result } from './result.js';
import type { UpdateName, UpdatePayload } from './updates.js';
import { z } from 'zod';

/** What a client sends in Socket.IO's `auth` option when it connects. */
export const handshakeSchema = z.object({
  /** Must equal PROTOCOL_VERSION, or the connection is refused with `protocol_mismatch`. */
  v: z.number().int(),
  /** A device token from `device:register` (or the device cookie). */
  device: z.string().max(512).optional(),
  /** A moderator link token or an organiser login token. */
  staff: z.string().max(1024).optional(),
});
export type Handshake = z.infer<typeof handshakeSchema>;

export type ClientToServerEvents = {
  [K in CommandName]: (
    payload: CommandRequest<K>,
    ack: (result: Result<CommandAck<K>>) => void,
  ) => void;
};

export type ServerToClientEvents = {
  [K in UpdateName]: (payload: UpdatePayload<K>) => void;
};
