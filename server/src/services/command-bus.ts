/**
 * The command bus: the one place that lists every command's handler (spread from the feature
 * services into one table the compiler checks against the protocol), and the one path every
 * command takes: parse → principal in the session → may → idempotency → rate limit → handler
 * (which finishes: store, acknowledge, publish). It never throws: the unexpected becomes
 * `internal`.
 */
import { may } from '@gt/core';
import type { Session, SessionPrincipal } from '@gt/core';
import { commands, fail, isCommandName, ok } from '@gt/protocol';
import type { CommandAck, CommandName, CommandPayload, Result } from '@gt/protocol';
import type { CommandStore, SessionStore } from '../store/store.js';
import type { CommandContext, Handler, Handlers, Principal, Shared } from './context.js';
import type { Principals } from './principals.js';
import type { RateLimits } from './rate-limits.js';
import type { createFollowUps } from './follow-ups.service.js';
import type { moderationHandlers } from './moderation.service.js';
import type { createPolls } from './polls.service.js';
import type { postHandlers } from './posts.service.js';
import type { sessionSettingsHandlers } from './session-settings.service.js';
import type { speakerQueueHandlers } from './speaker-queue.service.js';
import type { createStreams } from './streams.service.js';

export interface CommandBusDeps {
  store: SessionStore & CommandStore;
  shared: Shared;
  principals: Principals;
  rateLimits: Pick<RateLimits, 'take'>;
  handlers: Handlers;
}

/** A session and the principal's standing in it, when the transport has loaded them already. */
export interface Loaded {
  session: Session;
  you: SessionPrincipal;
}

export class CommandBus {
  constructor(private readonly deps: CommandBusDeps) {}

  /**
   * Validate, authorise and run one command. `loaded` saves reading the session and the
   * principal's standing again when the transport already did (a socket's join).
   */
  async execute<K extends CommandName>(
    principal: Principal,
    name: K,
    raw: unknown,
    loaded?: Loaded,
  ): Promise<Result<CommandAck<K>>> {
    if (!isCommandName(name)) return fail('invalid_input', 'unknown command');
    const spec = commands[name];
    const parsed = spec.request.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return fail(
        'invalid_input',
        `invalid ${name}: ${issue ? `${issue.path.join('.') || 'payload'} ${issue.message}` : 'bad payload'}`,
      );
    }
    const payload = parsed.data as CommandPayload<K>;
    const { store, shared, principals, rateLimits } = this.deps;
    try {
      let session: Session | null = null;
      let you: SessionPrincipal = { deviceId: principal.deviceId, staff: null };
      if (spec.capability !== null) {
        const sessionId = (payload as { sessionId: string }).sessionId;
        if (loaded?.session.id === sessionId) ({ session, you } = loaded);
        else {
          session = await store.getSession(sessionId);
          if (!session) return fail('not_found', 'no such session');
          you = await principals.inSession(principal, session);
        }
        if (!may(you, spec.capability))
          return fail('forbidden', `${name} needs ${spec.capability} rights in this session`);
      }
      const ctx: CommandContext = { principal, session, you };
      if (spec.isIdempotent) {
        const ref = shared.commandRef(ctx, payload, name);
        if (!ref) return fail('forbidden', `${name} needs a device`);
        const stored = await store.getCommandResult<CommandAck<K>>(ref);
        if (stored !== null) return ok(stored);
      }
      // Replays above are free (an outbox resending after a reconnect); new actions count.
      if (spec.capability !== null && !you.staff) {
        const limit = await rateLimits.take(
          spec.capability,
          principal.deviceId,
          principal.addressKey ?? null,
        );
        if (!limit.ok) {
          const seconds = Math.max(1, Math.ceil(limit.retryAfterMs / 1000));
          return fail('rate_limited', `too many in a short time; try again in ${seconds} s`, {
            retryAfterMs: limit.retryAfterMs,
          });
        }
      }
      const handler = this.deps.handlers[name] as Handler<K>;
      return await handler(ctx, payload);
    } catch (error) {
      shared.logger.error({ err: error, command: name }, 'command failed');
      return fail('internal', 'something went wrong on the server; please try again');
    }
  }
}

/** Each feature's part of the command table, as its module declares it. */
export interface FeatureTables {
  streams: ReturnType<typeof createStreams>['handlers'];
  posts: ReturnType<typeof postHandlers>;
  moderation: ReturnType<typeof moderationHandlers>;
  followUps: ReturnType<typeof createFollowUps>['handlers'];
  speakerQueue: ReturnType<typeof speakerQueueHandlers>;
  sessionSettings: ReturnType<typeof sessionSettingsHandlers>;
  polls: ReturnType<typeof createPolls>['handlers'];
}

/**
 * The full command table from the features' parts. `satisfies Handlers` is the compiler's
 * check that every command of the protocol has a handler (command-bus.types.test.ts shows a
 * command without one fails to compile). A spread would let a later feature silently take
 * over a command an earlier one handles, so a command claimed twice stops the start instead.
 */
export function commandTable(features: FeatureTables) {
  const claimedBy = new Map<string, string>();
  for (const [feature, table] of Object.entries(features))
    for (const name of Object.keys(table)) {
      const other = claimedBy.get(name);
      if (other) throw new Error(`${name} is handled by both ${other} and ${feature}`);
      claimedBy.set(name, feature);
    }
  return {
    ...features.streams,
    ...features.posts,
    ...features.moderation,
    ...features.followUps,
    ...features.speakerQueue,
    ...features.sessionSettings,
    ...features.polls,
  } satisfies Handlers;
}
