/**
 * The application: the feature services joined into one command bus and one AppApi. Both
 * transports (Socket.IO handlers and the in-process AppApi for SvelteKit) come through here;
 * nothing in this file decides anything, it only wires.
 */
import { createWordFilter } from '@gt/core';
import type { DeviceId, Session, SessionPrincipal, WordFilter } from '@gt/core';
import type {
  AppApi,
  CommandAck,
  CommandName,
  CommandRequest,
  Credentials,
  JoinAck,
  Result,
} from '@gt/protocol';
import type { Logger } from 'pino';
import type { Store } from '../store/store.js';
import { CommandBus, commandTable } from './command-bus.js';
import type { Loaded } from './command-bus.js';
import { Shared } from './context.js';
import type { Principal, Publisher } from './context.js';
import { createFollowUps } from './follow-ups.service.js';
import { moderationHandlers } from './moderation.service.js';
import type { OrganiserAuth } from './organiser-auth.js';
import { createOrganiser } from './organiser.service.js';
import { LoginThrottle } from './login-throttle.js';
import type { LoginLimits } from './login-throttle.js';
import { createMembers } from './members.service.js';
import { PostChanges } from './post-change.js';
import { createPolls } from './polls.service.js';
import { postHandlers } from './posts.service.js';
import { Principals } from './principals.js';
import type { RateLimits } from './rate-limits.js';
import type { ReactionBuffer } from './reactions.js';
import { sessionSettingsHandlers } from './session-settings.service.js';
import { speakerQueueHandlers } from './speaker-queue.service.js';
import { createStreams } from './streams.service.js';
import type { TokenSigner } from './tokens.js';

export type { Principal, Publisher } from './context.js';

export interface ApplicationDeps {
  store: Store;
  rateLimits: RateLimits;
  /** Holds posts with offensive words for the moderator (default: the built-in list). */
  wordFilter?: WordFilter;
  signer: TokenSigner;
  organiserAuth: Pick<OrganiserAuth, 'check'>;
  reactions: ReactionBuffer;
  /** [O6] The login throttle's limits (default LOGIN_LIMITS). */
  loginLimits?: LoginLimits;
  logger: Logger;
  now?: () => number;
}

export class Application implements AppApi {
  readonly #shared: Shared;
  readonly #principals: Principals;
  readonly #bus: CommandBus;
  readonly #streams: ReturnType<typeof createStreams>;
  readonly #followUps: ReturnType<typeof createFollowUps>;
  readonly #organiser: ReturnType<typeof createOrganiser>;
  readonly #polls: ReturnType<typeof createPolls>;
  readonly #members: ReturnType<typeof createMembers>;
  readonly #store: Store;

  constructor(deps: ApplicationDeps) {
    const { store, rateLimits, signer, logger, reactions } = deps;
    this.#store = store;
    const shared = new Shared({ store, signer, logger, ...(deps.now ? { now: deps.now } : {}) });
    const principals = new Principals({ store, signer, rateLimits });
    const changes = new PostChanges(store, shared);
    this.#shared = shared;
    this.#principals = principals;
    const wordFilter = deps.wordFilter ?? createWordFilter();
    this.#polls = createPolls({ store, shared, wordFilter });
    this.#streams = createStreams({
      store,
      shared,
      principals,
      reactions,
      pollResults: this.#polls.resultsFor,
    });
    this.#followUps = createFollowUps({ store, shared, principals });
    this.#organiser = createOrganiser({ store, shared, principals });
    this.#members = createMembers({
      store,
      shared,
      principals,
      organiserAuth: deps.organiserAuth,
      throttle: new LoginThrottle(deps.loginLimits),
    });
    const handlers = commandTable({
      streams: this.#streams.handlers,
      posts: postHandlers({
        store,
        shared,
        changes,
        wordFilter,
      }),
      moderation: moderationHandlers(store, changes),
      followUps: this.#followUps.handlers,
      speakerQueue: speakerQueueHandlers({ store, shared }),
      sessionSettings: sessionSettingsHandlers({ store, shared, reactions, rateLimits }),
      polls: this.#polls.handlers,
    });
    this.#bus = new CommandBus({ store, shared, principals, rateLimits, handlers });
  }

  /** The realtime layer plugs in after construction: it needs the application too. */
  setPublisher(publisher: Publisher): void {
    this.#shared.setPublisher(publisher);
  }

  // Identity ---------------------------------------------------------------------------------

  /** [T2] The hourly HMAC of a client address that rate limits key on. */
  addressKey(address: string): string {
    return this.#principals.addressKey(address);
  }

  registerDevice(): { deviceId: DeviceId; deviceToken: string } {
    return this.#principals.registerDevice();
  }

  principalFrom(creds: Credentials): Principal {
    return this.#principals.from(creds);
  }

  sessionPrincipal(principal: Principal, session: Session): Promise<SessionPrincipal> {
    return this.#principals.inSession(principal, session);
  }

  // Commands -----------------------------------------------------------------------------------

  /** Validate, authorise and run one command. Never throws: the unexpected becomes `internal`. */
  execute<K extends CommandName>(
    principal: Principal,
    name: K,
    raw: unknown,
    loaded?: Loaded,
  ): Promise<Result<CommandAck<K>>> {
    return this.#bus.execute(principal, name, raw, loaded);
  }

  /** AppApi: the same path for SvelteKit's server code. */
  command<K extends CommandName>(
    creds: Credentials,
    name: K,
    payload: CommandRequest<K>,
  ): Promise<Result<CommandAck<K>>> {
    return this.execute(this.principalFrom(creds), name, payload);
  }

  // Reads for the realtime layer ------------------------------------------------------------------

  getSession(id: string): Promise<Session | null> {
    return this.#store.getSession(id);
  }

  /** [V2] Absolute counts; vote counts only for staff when the session hides them. */
  countsFor(session: Session, isStaff: boolean): Promise<JoinAck['counts']> {
    return this.#streams.countsFor(session, isStaff);
  }

  /** The counts as staff and as everyone else see them, read once (streams.service.ts). */
  countsViews(session: Session): ReturnType<ReturnType<typeof createStreams>['countsViews']> {
    return this.#streams.countsViews(session);
  }

  /** [PL10] One poll's results for staff and, when they may see them, the public (polls.service.ts). */
  pollResultsViews(
    sessionId: string,
    pollId: string,
  ): ReturnType<ReturnType<typeof createPolls>['resultsViews']> {
    return this.#polls.resultsViews(sessionId, pollId);
  }

  /** [F8] Delete follow-ups due within `aheadMs` (follow-ups.service.ts). */
  deleteDueFollowUps(aheadMs: number): Promise<number> {
    return this.#followUps.deleteDueFollowUps(aheadMs);
  }

  // AppApi: topics and receipts, then the organiser's operations ---------------------------------

  createTopic: AppApi['createTopic'] = (creds, request) =>
    this.#followUps.api.createTopic(creds, request);
  getReceipt: AppApi['getReceipt'] = (creds) => this.#followUps.api.getReceipt(creds);
  createEvent: AppApi['createEvent'] = (creds, request) =>
    this.#organiser.createEvent(creds, request);
  listEvents: AppApi['listEvents'] = (creds) => this.#organiser.listEvents(creds);
  createSession: AppApi['createSession'] = (creds, request) =>
    this.#organiser.createSession(creds, request);
  listSessions: AppApi['listSessions'] = (creds, eventId) =>
    this.#organiser.listSessions(creds, eventId);
  createModeratorLink: AppApi['createModeratorLink'] = (creds, request) =>
    this.#organiser.createModeratorLink(creds, request);
  listModeratorLinks: AppApi['listModeratorLinks'] = (creds, sessionId) =>
    this.#organiser.listModeratorLinks(creds, sessionId);
  revokeModeratorLink: AppApi['revokeModeratorLink'] = (creds, linkId) =>
    this.#organiser.revokeModeratorLink(creds, linkId);
  findSessionByCode: AppApi['findSessionByCode'] = (code) =>
    this.#organiser.findSessionByCode(code);

  // AppApi: the people of the organisation (members.service.ts) ------------------------------------

  login: AppApi['login'] = (request, client) => this.#members.login(request, client);
  getMyAccount: AppApi['getMyAccount'] = (creds) => this.#members.getMyAccount(creds);
  listPeople: AppApi['listPeople'] = (creds) => this.#members.listPeople(creds);
  inviteMember: AppApi['inviteMember'] = (creds, request) =>
    this.#members.inviteMember(creds, request);
  revokeInvitation: AppApi['revokeInvitation'] = (creds, id) =>
    this.#members.revokeInvitation(creds, id);
  removeMember: AppApi['removeMember'] = (creds, accountId) =>
    this.#members.removeMember(creds, accountId);
  findInvitation: AppApi['findInvitation'] = (token) => this.#members.findInvitation(token);
  acceptInvitation: AppApi['acceptInvitation'] = (request, client) =>
    this.#members.acceptInvitation(request, client);
  changePassword: AppApi['changePassword'] = (creds, request) =>
    this.#members.changePassword(creds, request);
  signOutEverywhere: AppApi['signOutEverywhere'] = (creds) =>
    this.#members.signOutEverywhere(creds);
}
