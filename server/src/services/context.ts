/**
 * What every feature service shares: who is acting (Principal, CommandContext), where committed
 * changes go (Publisher), and the one rule "store, then acknowledge, then publish" (`finish`),
 * with the idempotency scope of a command and the moderation log's entries.
 */
import { fullView, sessionView } from '@gt/core';
import type {
  DeviceId,
  LogAction,
  LogEntry,
  NewLogEntry,
  Session,
  SessionPrincipal,
} from '@gt/core';
import { fail, ok } from '@gt/protocol';
import type { CommandAck, CommandName, CommandPayload, Result } from '@gt/protocol';
import type { Logger } from 'pino';
import type { AppendedEntry, Commit, CommandRef, LinkStore } from '../store/store.js';
import { newId } from './tokens.js';
import type { Claims, TokenSigner } from './tokens.js';

/** Where committed stream entries and count changes go; the realtime layer implements it. */
export interface Publisher {
  publish(entries: AppendedEntry[]): void;
  countsChanged(sessionId: string): void;
  /** [PL10] A poll's answers or visibility changed: its results go out, coalesced like counts. */
  pollResultsChanged(sessionId: string, pollId: string): void;
  /** Close every socket that authenticated with this moderator link, on every node. */
  linkRevoked(linkId: string): void;
  /** [O4] Close every socket of the account's login into the organisation, on every node. */
  loginEnded(orgId: string, accountId: string): void;
  /** [ML2] Moderation log entries just committed: to the session's staff on every node. */
  logged(entries: LogEntry[]): void;
  /** [SC5] Attendee devices connected to the session now, on every node. */
  participants(sessionId: string): Promise<number>;
}

/** Who is acting, before a session is known: verified token claims only. */
export interface Principal {
  deviceId: DeviceId | null;
  staff: Extract<Claims, { k: 'm' | 'o' }> | null;
  /** The device a receipt link speaks for: its own posts and follow-ups, read and withdraw only. */
  receiptDevice: DeviceId | null;
  /** The hourly HMAC of the network address (never the address itself), for rate limits. */
  addressKey?: string | null;
}

/** A command's actor and session, loaded once by the command bus. */
export interface CommandContext {
  principal: Principal;
  /** Null only for the commands the table marks as session-less. */
  session: Session | null;
  you: SessionPrincipal;
}

export type Handler<K extends CommandName> = (
  ctx: CommandContext,
  payload: CommandPayload<K>,
) => Promise<Result<CommandAck<K>>>;
/** The full command table: the compiler demands a handler for every command. */
export type Handlers = { [K in CommandName]: Handler<K> };

const NO_PUBLISHER: Publisher = {
  publish: () => undefined,
  countsChanged: () => undefined,
  pollResultsChanged: () => undefined,
  linkRevoked: () => undefined,
  loginEnded: () => undefined,
  logged: () => undefined,
  participants: () => Promise.resolve(0),
};

export interface SharedDeps {
  /** Only the moderator links: the log names a link by its label. */
  store: LinkStore;
  signer: TokenSigner;
  logger: Logger;
  now?: () => number;
}

/** The parts every feature service uses; one instance per application. */
export class Shared {
  #publisher: Publisher = NO_PUBLISHER;
  readonly now: () => number;
  readonly signer: TokenSigner;
  readonly logger: Logger;
  readonly #store: SharedDeps['store'];

  constructor(deps: SharedDeps) {
    this.now = deps.now ?? Date.now;
    this.signer = deps.signer;
    this.logger = deps.logger;
    this.#store = deps.store;
  }

  get publisher(): Publisher {
    return this.#publisher;
  }

  /** The realtime layer plugs in after construction: it needs the application too. */
  setPublisher(publisher: Publisher): void {
    this.#publisher = publisher;
  }

  /**
   * The idempotency scope of a command: staff act as themselves, attendees as their device (a
   * receipt link speaks for its device). Null when nobody is identified: such a principal can
   * change nothing, so it has no commands to repeat.
   */
  commandRef(ctx: CommandContext, payload: unknown, name?: CommandName): CommandRef | null {
    const commandId = (payload as { commandId: string }).commandId;
    if (name === 'followup:create' || name === 'followup:withdraw') {
      // [F3] A sign-up's idempotency record is filed under the follow key, never under the
      // device: otherwise the store would hold a row tying the device (and so its posts) to
      // the sign-up.
      const device = ctx.principal.deviceId ?? ctx.principal.receiptDevice;
      return device ? { actor: `follow:${this.signer.followKey(device)}`, commandId } : null;
    }
    const staff = ctx.principal.staff;
    if (ctx.you.staff && staff)
      return { actor: staff.k === 'm' ? `link:${staff.l}` : `org:${staff.u}`, commandId };
    const device = ctx.principal.deviceId ?? ctx.principal.receiptDevice;
    return device ? { actor: `dev:${device}`, commandId } : null;
  }

  finish<A>(commit: Commit<A>): Result<A> {
    if (commit.kind === 'committed') {
      // Store, acknowledge, then publish. The acknowledgement is sent when this result has
      // travelled up the handler's chain of promises, all of it microtasks; Node runs a
      // nextTick queued from a microtask only once the microtask queue is empty, so the
      // updates follow the acknowledgement in the same turn of the event loop (a setImmediate
      // would wait for the next turn, behind every message that arrived meanwhile; a
      // queueMicrotask would overtake the acknowledgement: realtime.int.test.ts [I3]).
      const { entries, log } = commit;
      process.nextTick(() => {
        this.#publisher.publish(entries);
        if (log) this.#publisher.logged(log);
      });
      return ok(commit.ack);
    }
    if (commit.kind === 'replay') return ok(commit.ack);
    const current = commit.currentPosts[0];
    return fail('conflict', 'someone else changed this first; here is the current state', {
      ...(current ? { current: fullView(current) } : {}),
      ...(commit.currentSession ? { currentSession: sessionView(commit.currentSession) } : {}),
    });
  }

  /**
   * [ML1] Who acted, as the log names them: the moderator link's label, or the organiser's
   * login name. Null when the command was not sent by staff of this session.
   */
  async #actorName(ctx: CommandContext): Promise<string | null> {
    const staff = ctx.principal.staff;
    if (!ctx.you.staff || !staff) return null;
    if (staff.k === 'o') return staff.u;
    return (await this.#store.getModeratorLink(staff.l))?.label ?? 'Ordstyrer';
  }

  async logEntry(
    ctx: CommandContext,
    action: LogAction,
    postId: string | null,
    detail: string | null,
  ): Promise<NewLogEntry> {
    return {
      id: newId('log'),
      sessionId: ctx.session!.id,
      at: this.now(),
      actor: (await this.#actorName(ctx)) ?? 'Ordstyrer',
      action,
      postId,
      detail,
    };
  }
}
