/**
 * The application: every command of the protocol table, the organiser operations, and the
 * rule "store, then acknowledge, then publish". Both transports (Socket.IO handlers and the
 * in-process AppApi for SvelteKit) come through `execute`, which validates, authorises and
 * never throws.
 */
import { randomInt } from 'node:crypto';
import {
  asId,
  editText,
  createWordFilter,
  checkFollowUp,
  CONSENT_VERSION,
  DEFAULT_RETENTION_DAYS,
  deleteAfter,
  followUpView,
  topicView,
  withdraw,
  checkName,
  checkText,
  DEFAULT_SETTINGS,
  fullView,
  highlightChanges,
  mergeChanges,
  isPublic,
  may,
  moderate,
  newPost,
  postAppends,
  privateStream,
  sessionAppends,
  sessionView,
  streamPosts,
  applySettings,
  normaliseName,
  TOPIC_TITLE_FROM_POST_MAX,
  topicTitleFromText,
  callNext,
  cancelMic,
  emptyQueue,
  moveTicket,
  openTicketOf,
  queueAppends,
  queueStaffView,
  queueSummary,
  requestMic,
  ticketView,
  checkPanel,
  describeSettingsChange,
  logEntryView,
  MAX_REASON_LENGTH,
} from '@gt/core';
import type {
  DeviceId,
  TextCheck,
  PostKind,
  ModerationResult,
  Post,
  PostView,
  WordFilter,
  ModeratorLink,
  FollowUp,
  FollowUpId,
  Topic,
  TopicId,
  EventId,
  ModerationAction,
  LogAction,
  LogEntry,
  NewLogEntry,
  OrgId,
  PanelCheck,
  QueueResult,
  SpeakerQueue,
  PostId,
  PostTransition,
  Session,
  SessionId,
  SessionPrincipal,
  StreamKey,
  StreamName,
} from '@gt/core';
import {
  commands,
  createEventRequestSchema,
  createSessionRequestSchema,
  createTopicRequestSchema,
  createModeratorLinkRequestSchema,
  DEFAULT_LOG_PAGE,
  fail,
  isCommandName,
  loginRequestSchema,
  ok,
} from '@gt/protocol';
import type {
  AppApi,
  CommandAck,
  CommandName,
  CommandPayload,
  CommandRequest,
  CreateEventRequest,
  CreateSessionAck,
  CreateSessionRequest,
  CreateTopicRequest,
  CreateModeratorLinkAck,
  CreateModeratorLinkRequest,
  ModeratorLinkWire,
  Receipt,
  TopicWire,
  Credentials,
  EventView,
  JoinAck,
  LoginAck,
  LoginRequest,
  Result,
  SessionWire,
} from '@gt/protocol';
import type { Logger } from 'pino';
import type { AppendedEntry, Commit, CommandRef, Store } from '../store/store.js';
import type { OrganiserAuth } from './organiser-auth.js';
import type { ReactionBuffer } from './reactions.js';
import type { RateLimits } from './rate-limits.js';
import { newId } from './tokens.js';
import { exposureScores } from './wall-rotation.js';
import type { Claims, TokenSigner } from './tokens.js';

/** Where committed stream entries and count changes go; the realtime layer implements it. */
export interface Publisher {
  publish(entries: AppendedEntry[]): void;
  countsChanged(sessionId: string): void;
  /** Close every socket that authenticated with this moderator link, on every node. */
  linkRevoked(linkId: string): void;
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

export interface CommandContext {
  principal: Principal;
  session: Session | null;
  you: SessionPrincipal;
}

type Handler<K extends CommandName> = (
  ctx: CommandContext,
  payload: CommandPayload<K>,
) => Promise<Result<CommandAck<K>>>;
type Handlers = { [K in CommandName]: Handler<K> };

/** How many catch-up entries one answer carries; more than that and a snapshot is cheaper. */
const CATCHUP_LIMIT = 500;
/**
 * [S8] The most entries a join resumes with. A join answers many clients at once (everyone
 * after a restart), so it switches to a snapshot sooner than a catch-up does.
 */
const RESUME_LIMIT = 200;
const STREAM_NAMES: readonly StreamName[] = ['public', 'staff', 'private'];
const ORGANISER_TOKEN_HOURS = 12;
/** How often a change is decided again when only the posts it takes along moved (M4). */
const SIDE_CONFLICT_ATTEMPTS = 5;

export interface TalksDeps {
  store: Store;
  rateLimits: RateLimits;
  /** Holds posts with offensive words for the moderator (default: the built-in list). */
  wordFilter?: WordFilter;
  signer: TokenSigner;
  organiserAuth: Pick<OrganiserAuth, 'check'>;
  reactions: ReactionBuffer;
  logger: Logger;
  now?: () => number;
}

export class TalksService implements AppApi {
  #publisher: Publisher = {
    publish: () => undefined,
    countsChanged: () => undefined,
    linkRevoked: () => undefined,
    logged: () => undefined,
    participants: () => Promise.resolve(0),
  };
  readonly #now: () => number;
  readonly #wordFilter: WordFilter;

  constructor(private readonly deps: TalksDeps) {
    this.#now = deps.now ?? Date.now;
    this.#wordFilter = deps.wordFilter ?? createWordFilter();
  }

  /** The realtime layer plugs in after construction: it needs the service too. */
  setPublisher(publisher: Publisher): void {
    this.#publisher = publisher;
  }

  // Identity -------------------------------------------------------------------------------

  /** [T2] The hourly HMAC of a client address that rate limits key on. */
  addressKey(address: string): string {
    return this.deps.rateLimits.addressKey(address);
  }

  registerDevice(): { deviceId: DeviceId; deviceToken: string } {
    const deviceId = asId<DeviceId>(newId('dev'));
    return { deviceId, deviceToken: this.deps.signer.sign({ k: 'd', id: deviceId }) };
  }

  principalFrom(creds: Credentials): Principal {
    const device = this.deps.signer.verify(creds.device);
    const staff = this.deps.signer.verify(creds.staff);
    const receipt = this.deps.signer.verify(creds.receipt);
    return {
      deviceId: device?.k === 'd' ? asId<DeviceId>(device.id) : null,
      staff: staff?.k === 'm' || staff?.k === 'o' ? staff : null,
      receiptDevice: receipt?.k === 'r' ? asId<DeviceId>(receipt.d) : null,
    };
  }

  /**
   * [R1] A principal's standing in one session. A moderator link counts only while its
   * record exists and is not revoked [T5]: the signature alone proves it was issued, not that
   * it still stands.
   */
  async sessionPrincipal(principal: Principal, session: Session): Promise<SessionPrincipal> {
    const staff = principal.staff;
    let role: SessionPrincipal['staff'] = null;
    if (staff?.k === 'o' && staff.org === session.orgId) role = 'organiser';
    else if (staff?.k === 'm' && staff.s === session.id) {
      const link = await this.deps.store.getModeratorLink(staff.l);
      if (link && link.revokedAt === null && link.sessionId === session.id) role = 'moderator';
    }
    return { deviceId: principal.deviceId, staff: role };
  }

  // Commands ---------------------------------------------------------------------------------

  /** Validate, authorise and run one command. Never throws: the unexpected becomes `internal`. */
  async execute<K extends CommandName>(
    principal: Principal,
    name: K,
    raw: unknown,
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
    try {
      let session: Session | null = null;
      let you: SessionPrincipal = { deviceId: principal.deviceId, staff: null };
      if (spec.capability !== null) {
        session = await this.deps.store.getSession((payload as { sessionId: string }).sessionId);
        if (!session) return fail('not_found', 'no such session');
        you = await this.sessionPrincipal(principal, session);
        if (!may(you, spec.capability))
          return fail('forbidden', `${name} needs ${spec.capability} rights in this session`);
      }
      const ctx: CommandContext = { principal, session, you };
      if (spec.isIdempotent) {
        const ref = this.#commandRef(ctx, payload, name);
        if (!ref) return fail('forbidden', `${name} needs a device`);
        const stored = await this.deps.store.getCommandResult<CommandAck<K>>(ref);
        if (stored !== null) return ok(stored);
      }
      // Replays above are free (an outbox resending after a reconnect); new actions count.
      if (spec.capability !== null && !you.staff) {
        const limit = await this.deps.rateLimits.take(
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
      const handler = this.#handlers[name] as Handler<K>;
      return await handler(ctx, payload);
    } catch (error) {
      this.deps.logger.error({ err: error, command: name }, 'command failed');
      return fail('internal', 'something went wrong on the server; please try again');
    }
  }

  /** AppApi: the same path for SvelteKit's server code. */
  command<K extends CommandName>(
    creds: Credentials,
    name: K,
    payload: CommandRequest<K>,
  ): Promise<Result<CommandAck<K>>> {
    return this.execute(this.principalFrom(creds), name, payload);
  }

  /**
   * The idempotency scope of a command: staff act as themselves, attendees as their device (a
   * receipt link speaks for its device). Null when nobody is identified: such a principal can
   * change nothing, so it has no commands to repeat.
   */
  #commandRef(ctx: CommandContext, payload: unknown, name?: CommandName): CommandRef | null {
    const commandId = (payload as { commandId: string }).commandId;
    if (name === 'followup:create' || name === 'followup:withdraw') {
      // [F3] A sign-up's idempotency record is filed under the follow key, never under the
      // device: otherwise the store would hold a row tying the device (and so its posts) to
      // the sign-up.
      const device = ctx.principal.deviceId ?? ctx.principal.receiptDevice;
      return device ? { actor: `follow:${this.deps.signer.followKey(device)}`, commandId } : null;
    }
    const staff = ctx.principal.staff;
    if (ctx.you.staff && staff)
      return { actor: staff.k === 'm' ? `link:${staff.l}` : `org:${staff.u}`, commandId };
    const device = ctx.principal.deviceId ?? ctx.principal.receiptDevice;
    return device ? { actor: `dev:${device}`, commandId } : null;
  }

  #finish<A>(commit: Commit<A>): Result<A> {
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

  readonly #handlers: Handlers = {
    'device:register': async () => ok(this.registerDevice()),

    'session:join': async (ctx, p) => ok(await this.#join(ctx.session!, ctx.you, p.resume)),

    'session:leave': async () => ok({}),

    'stream:catchup': async (ctx, p) => {
      const session = ctx.session!;
      const key = this.#streamKey(ctx.you, p.stream);
      if (!key) return fail('forbidden', `you may not read the ${p.stream} stream`);
      const read = await this.deps.store.readStream(session.id, key, p.afterSeq, CATCHUP_LIMIT);
      if (read.isComplete && read.entries.length < CATCHUP_LIMIT) {
        return ok({ kind: 'entries' as const, stream: p.stream, entries: read.entries });
      }
      const snap = await this.deps.store.snapshot(session.id, [key]);
      // Read after the heads: a queue newer than them is only confirmed by the entries after.
      const queue = (await this.deps.store.getQueue(session.id)) ?? emptyQueue(session.id);
      return ok({
        kind: 'snapshot' as const,
        stream: p.stream,
        snapshot: {
          seq: snap.heads[key] ?? 0,
          posts: streamPosts(key, snap.posts),
          ...this.#queueSnapshot(key, queue),
        },
      });
    },

    'post:create': async (ctx, p) => {
      if (!ctx.session!.settings.isOpen)
        return fail('closed', 'this session is not taking posts now');
      return this.#insertPost(ctx, p, { isFromRoom: false });
    },

    'post:upvote': async (ctx, p) => {
      const session = ctx.session!;
      if (!session.settings.isOpen) return fail('closed', 'this session is not taking votes now');
      const post = await this.deps.store.getPost(session.id, p.postId);
      // A post the attendee cannot see does not exist for them.
      if (!post || (post.status !== 'visible' && post.status !== 'answered'))
        return fail('not_found', 'no such post');
      const ack = { postId: post.id as string, isOn: p.isOn };
      const result = this.#finish(
        await this.deps.store.setVote(
          this.#commandRef(ctx, p)!,
          { sessionId: session.id, postId: post.id, deviceId: ctx.you.deviceId!, isOn: p.isOn },
          ack,
        ),
      );
      if (result.ok) this.#publisher.countsChanged(session.id);
      return result;
    },

    'reaction:send': async (ctx, p) => {
      const session = ctx.session!;
      if (!session.settings.isOpen)
        return fail('closed', 'this session is not taking reactions now');
      // [SC4] A moderator can pause reactions (a heated moment) without closing the session.
      if (session.settings.reactionsPaused)
        return fail('closed', 'reactions are paused for the moment', {
          reason: 'reactions_paused',
        });
      if (!session.settings.reactions.includes(p.reaction))
        return fail('invalid_input', 'this reaction is not offered in this session');
      const ref = this.#commandRef(ctx, p)!;
      if (this.deps.reactions.add(session.id, p.reaction, `${ref.actor}:${ref.commandId}`))
        this.#publisher.countsChanged(session.id);
      return ok({});
    },

    'topic:list': async (ctx) => {
      const session = ctx.session!;
      const [topics, organisation] = await Promise.all([
        this.deps.store.listTopics(session.eventId),
        this.deps.store.getOrganisation(session.orgId),
      ]);
      return ok({
        // [F1] The consent text names who will contact the person: the contact and this.
        organisationName: organisation?.name ?? '',
        topics: topics
          .filter((t) => t.sessionId === null || t.sessionId === session.id)
          .map(topicView),
      });
    },

    'followup:create': async (ctx, p) => {
      const session = ctx.session!;
      const topic = await this.deps.store.getTopic(p.topicId);
      if (
        !topic ||
        topic.eventId !== session.eventId ||
        (topic.sessionId !== null && topic.sessionId !== session.id)
      ) {
        return fail('not_found', 'no such topic in this session');
      }
      // [F3] The person must have seen the consent text in force now.
      if (p.consentVersion !== CONSENT_VERSION) {
        return fail('invalid_input', 'the consent text has changed; please read it again', {
          field: 'consent',
          reason: 'consent_outdated',
        });
      }
      const checked = checkFollowUp({
        name: p.name,
        email: p.email,
        phone: p.phone,
        hasConsented: p.hasConsented,
        ageBasis: p.ageBasis,
      });
      if (!checked.ok) return fail('invalid_input', checked.reason, { field: checked.field });
      const now = this.#now();
      const followUp: FollowUp = {
        id: asId<FollowUpId>(newId('fol')),
        topicId: topic.id,
        orgId: topic.orgId,
        eventId: topic.eventId,
        followKey: this.deps.signer.followKey(ctx.you.deviceId!),
        name: checked.name,
        email: checked.email,
        phone: checked.phone,
        ageBasis: p.ageBasis,
        consentVersion: CONSENT_VERSION,
        consentedAt: now,
        deleteAfter: deleteAfter(topic, now),
        withdrawnAt: null,
      };
      return this.#finish(
        // [F5] The acknowledgement is kept for replays; it carries no name or contact
        // details, so withdrawing leaves none behind in the store.
        await this.deps.store.insertFollowUp(
          this.#commandRef(ctx, p, 'followup:create')!,
          followUp,
          {
            followUp: {
              id: followUp.id,
              topicId: followUp.topicId,
              consentVersion: followUp.consentVersion,
              consentedAt: followUp.consentedAt,
              deleteAfter: followUp.deleteAfter,
            },
          },
        ),
      );
    },

    'followup:withdraw': async (ctx, p) => {
      const device = ctx.principal.deviceId ?? ctx.principal.receiptDevice;
      const followUp = await this.deps.store.getFollowUp(p.followUpId);
      // Someone else's follow-up does not exist for you.
      if (!device || !followUp || followUp.followKey !== this.deps.signer.followKey(device)) {
        return fail('not_found', 'no such follow-up of yours');
      }
      const next = withdraw(followUp, this.#now());
      return this.#finish(
        await this.deps.store.updateFollowUp(this.#commandRef(ctx, p, 'followup:withdraw')!, next, {
          followUp: followUpView(next),
        }),
      );
    },

    'receipt:link': async (ctx) => {
      const deviceId = ctx.principal.deviceId;
      if (!deviceId) return fail('forbidden', 'a receipt belongs to a device; register one first');
      const receiptToken = this.deps.signer.sign({ k: 'r', d: deviceId });
      return ok({ receiptToken, path: `/r/${receiptToken}` });
    },

    // [P8] Staff typed it in: it has no device, needs no approval and is not filtered.
    'post:create-from-room': (ctx, p) => this.#insertPost(ctx, p, { isFromRoom: true }),

    'post:edit': async (ctx, p) => {
      const text = checkText(p.text, ctx.session!.settings.maxLength);
      if (!text.ok) return textRefusal(text);
      // [ML1] The log keeps the replaced wording, as the post's history does.
      return this.#change(ctx, p, (post, now) => editText(post, text.text, now), {
        action: 'edit',
        detail: (before) => before.text,
      });
    },

    'post:approve': (ctx, p) => this.#moderate(ctx, p, { type: 'approve' }),
    'post:hide': (ctx, p) => {
      const reason = checkText(p.reason, MAX_REASON_LENGTH);
      if (!reason.ok && reason.reason === 'too_long')
        return Promise.resolve(
          fail('invalid_input', 'the reason is too long', { max: MAX_REASON_LENGTH }),
        );
      return this.#moderate(ctx, p, { type: 'hide', reason: reason.ok ? reason.text : '' });
    },
    'post:restore': (ctx, p) => this.#moderate(ctx, p, { type: 'restore' }),
    'post:answer': (ctx, p) => this.#moderate(ctx, p, { type: 'answer' }),
    'post:highlight': (ctx, p) => this.#moderate(ctx, p, { type: 'highlight' }),
    'post:unhighlight': (ctx, p) => this.#moderate(ctx, p, { type: 'unhighlight' }),
    'post:pin': (ctx, p) => this.#moderate(ctx, p, { type: 'pin' }),
    'post:unpin': (ctx, p) => this.#moderate(ctx, p, { type: 'unpin' }),

    // [M12] The inverses of answer and approve, for the console's undo.
    'post:reopen': (ctx, p) => this.#moderate(ctx, p, { type: 'reopen' }),
    'post:unapprove': (ctx, p) => this.#moderate(ctx, p, { type: 'unapprove' }),

    // [M8] A topic of this session's event (or of this session), or null to untag.
    'post:tag': async (ctx, p) => {
      if (p.topicId !== null && !(await this.#topicOfSession(ctx.session!, p.topicId)))
        return fail('not_found', 'no such topic in this session', { field: 'topicId' });
      return this.#moderate(ctx, p, { type: 'tag', topicId: p.topicId });
    },

    // [M9] A member of the session's panel, or null.
    'post:direct': async (ctx, p) => {
      const member =
        p.panelMemberId === null
          ? null
          : ctx.session!.settings.panel.find((m) => m.id === p.panelMemberId);
      if (p.panelMemberId !== null && !member)
        return fail('not_found', 'no such member of the panel', { field: 'panelMemberId' });
      return this.#moderate(ctx, p, { type: 'direct', panelMemberId: p.panelMemberId });
    },

    // [M14] A member of the session's panel promised to follow the post up, or (null) the
    // promise is taken back. The member's name is kept on the post as the panel has it now.
    'post:promise-follow-up': async (ctx, p) => {
      if (p.panelMemberId === null) return this.#moderate(ctx, p, { type: 'unpromise' });
      const member = ctx.session!.settings.panel.find((m) => m.id === p.panelMemberId);
      if (!member)
        return fail('not_found', 'no such member of the panel', { field: 'panelMemberId' });
      return this.#moderate(ctx, p, {
        type: 'promise',
        panelMemberId: member.id,
        name: member.name,
      });
    },

    // [M11] A new topic of this session from the post (title from its text unless given), and
    // the post tagged with it.
    'post:to-topic': async (ctx, p) => {
      const session = ctx.session!;
      let given: string | null = null;
      if (p.title !== undefined) {
        const title = checkText(p.title, TOPIC_TITLE_FROM_POST_MAX);
        if (!title.ok)
          return fail(
            'invalid_input',
            `the title is ${title.reason === 'empty' ? 'empty' : 'too long'}`,
            {
              field: 'title',
              reason: title.reason,
              max: TOPIC_TITLE_FROM_POST_MAX,
            },
          );
        given = normaliseName(title.text);
      }
      let topic: Topic | null = null;
      const result = await this.#change(
        ctx,
        p,
        async (post, now) => {
          topic = {
            id: asId<TopicId>(newId('top')),
            orgId: session.orgId,
            eventId: session.eventId,
            sessionId: session.id,
            title: given ?? topicTitleFromText(post.text),
            description: post.text,
            // The organiser names the contact person before follow-ups are exported.
            contactName: '',
            contactEmail: null,
            retentionDays: DEFAULT_RETENTION_DAYS,
            createdAt: now,
          };
          const tagged = moderate(post, { type: 'tag', topicId: topic.id }, now);
          // Written only once the change is sure to apply (the version matched).
          if (tagged.ok) await this.deps.store.createTopic(topic);
          return tagged;
        },
        { action: 'to-topic', detail: () => (topic as Topic | null)?.title ?? null },
        (post) => ({ post, topic: topicView(topic!) }),
      );
      return result;
    },

    // [M13] Merge duplicates into a target at the versions the moderator saw: the sources are
    // hidden and point at it, it shows their texts and counts their voices, and their voters
    // vote for it once each; all in one atomic write with the log entry.
    'post:merge': async (ctx, p) => {
      const session = ctx.session!;
      const ids = [p.targetId, ...p.sourceIds];
      const found = await Promise.all(ids.map((id) => this.deps.store.getPost(session.id, id)));
      if (found.some((post) => post === null)) return fail('not_found', 'no such post');
      const [target, ...sources] = found as Post[];
      const expected = [p.targetVersion, ...p.sourceVersions];
      const stale = [target!, ...sources].filter((post, i) => post.version !== expected[i]);
      if (stale.length > 0)
        return fail('conflict', 'someone else changed these posts first', {
          current: fullView(stale[0]!),
          currentPosts: stale.map(fullView),
        });
      const result = mergeChanges(target!, sources, this.#now());
      if (!result.ok) return fail(result.code, result.message);
      const after = result.changes[result.changes.length - 1]!.after;
      const commit = await this.deps.store.mergePosts(
        this.#commandRef(ctx, p)!,
        session.id,
        { targetId: target!.id, sourceIds: sources.map((post) => post.id) },
        result.changes.map((c) => ({ post: c.after, expectedVersion: c.before.version })),
        result.changes.flatMap((c) => postAppends(c.before, c.after)),
        { post: fullView(after) },
        [
          await this.#logEntry(
            ctx,
            'merge',
            target!.id,
            sources.map((post) => post.text.slice(0, 80)).join(' | '),
          ),
        ],
      );
      const finished = this.#finish(commit);
      if (finished.ok && commit.kind === 'committed') this.#publisher.countsChanged(session.id);
      return finished;
    },

    'session:configure': async (ctx, p) => {
      const session = ctx.session!;
      if (p.version !== session.version)
        return fail('conflict', 'the settings changed meanwhile', {
          currentSession: sessionView(session),
        });
      const change = { ...p.settings };
      if (change.panel) {
        const panel = checkPanel(change.panel);
        if (!panel.ok) return panelRefusal(panel);
        change.panel = panel.panel;
      }
      const next = applySettings(session, change);
      const result = this.#finish(
        await this.deps.store.updateSession(
          this.#commandRef(ctx, p)!,
          next,
          session.version,
          sessionAppends(next),
          { session: sessionView(next) },
          [await this.#logEntry(ctx, 'configure', null, describeSettingsChange(change))],
        ),
      );
      // Hiding or showing votes, or the participant count, changes what the counts update carries.
      if (
        result.ok &&
        (p.settings.hideVotes !== undefined || p.settings.showParticipantCount !== undefined)
      )
        this.#publisher.countsChanged(session.id);
      return result;
    },

    // [Q1] One open ticket per device; numbers from 1 per session.
    'mic:request': async (ctx, p) => {
      const name = checkName(p.name);
      if (!name.ok)
        return fail('invalid_input', 'the name is too long', {
          reason: name.reason,
          field: 'name',
          max: name.max,
        });
      const id = newId('mic');
      return this.#queueChange(
        ctx,
        p,
        (queue, now) =>
          requestMic(queue, { id, deviceId: ctx.you.deviceId!, name: name.text, now }),
        (queue, result) => ({ ticket: ticketView(queue, result.ticket!) }),
      );
    },

    'mic:cancel': (ctx, p) =>
      this.#queueChange(
        ctx,
        p,
        (queue, now) => cancelMic(queue, p.ticketId, ctx.you.deviceId!, now),
        (queue, result) => ({ ticket: ticketView(queue, result.ticket!) }),
      ),

    'mic:call-next': (ctx, p) =>
      this.#queueChange(
        ctx,
        p,
        (queue, now) => callNext(queue, now),
        (queue) => ({ queue: queueStaffView(queue) }),
        (_queue, result) => ({
          action: 'mic-call-next',
          detail: result.ticket ? `no. ${result.ticket.number}` : null,
        }),
      ),

    'mic:move': (ctx, p) =>
      this.#queueChange(
        ctx,
        p,
        (queue) => moveTicket(queue, p.ticketId, p.position),
        (queue) => ({ queue: queueStaffView(queue) }),
        (queue, result) => ({
          action: 'mic-move',
          detail: `no. ${result.ticket!.number} to place ${queue.waiting.indexOf(result.ticket!.id) + 1}`,
        }),
      ),

    // [FV1] A phone's first screenful: one impression per (device, public post), once.
    'exposure:report': async (ctx, p) => {
      const session = ctx.session!;
      const device = ctx.you.deviceId;
      if (!device) return fail('forbidden', 'impressions are counted per device; register one');
      const limit = await this.deps.rateLimits.take(
        'exposure',
        device,
        ctx.principal.addressKey ?? null,
      );
      if (!limit.ok)
        return fail('rate_limited', 'too many reports in a short time', {
          retryAfterMs: limit.retryAfterMs,
        });
      const ids = [...new Set(p.postIds)];
      if (ids.length === 0) return ok({ counted: 0 });
      // Only posts the attendee can see count: a made-up or pending id counts nothing.
      const posts = await Promise.all(ids.map((id) => this.deps.store.getPost(session.id, id)));
      const visible = posts.filter((post) => post && isPublic(post)).map((post) => post!.id);
      const counted = await this.deps.store.addImpressions(session.id, device, visible);
      if (counted.length > 0) this.#publisher.countsChanged(session.id);
      return ok({ counted: counted.length });
    },

    'log:list': async (ctx, p) => {
      const entries = await this.deps.store.listLog(
        ctx.session!.id,
        p.before ?? null,
        p.limit ?? DEFAULT_LOG_PAGE,
      );
      return ok({ entries: entries.map(logEntryView) });
    },
  };

  /**
   * [Q6] Change the speaker queue: read it, let core decide, store it at the version read with
   * its stream (and log) entries. Two changes made from one version: the later is a conflict
   * in the store and is made again from the new queue.
   */
  async #queueChange<A>(
    ctx: CommandContext,
    p: { commandId: string },
    decide: (queue: SpeakerQueue, now: number) => QueueResult,
    ack: (queue: SpeakerQueue, result: Extract<QueueResult, { ok: true }>) => A,
    log?: (
      queue: SpeakerQueue,
      result: Extract<QueueResult, { ok: true }>,
    ) => { action: LogAction; detail: string | null },
  ): Promise<Result<A>> {
    const sessionId = ctx.session!.id;
    for (let attempt = 0; attempt < 8; attempt++) {
      const before = (await this.deps.store.getQueue(sessionId)) ?? emptyQueue(sessionId);
      const result = decide(before, this.#now());
      if (!result.ok) return fail(result.code, result.message);
      const entry = log?.(result.queue, result);
      const commit = await this.deps.store.saveQueue(
        this.#commandRef(ctx, p)!,
        result.queue,
        before.version,
        queueAppends(before, result.queue),
        ack(result.queue, result),
        entry ? [await this.#logEntry(ctx, entry.action, null, entry.detail)] : [],
      );
      if (commit.kind !== 'conflict') return this.#finish(commit);
    }
    return fail('conflict', 'the line for the microphone keeps changing; please try again');
  }

  /** A topic people in this session can follow: the event's, or this session's own. */
  async #topicOfSession(session: Session, topicId: string): Promise<Topic | null> {
    const topic = await this.deps.store.getTopic(topicId);
    if (!topic || topic.eventId !== session.eventId) return null;
    return topic.sessionId === null || topic.sessionId === session.id ? topic : null;
  }

  /** [Q5] The speaker queue as a stream's snapshot shows it. */
  #queueSnapshot(
    key: StreamKey,
    queue: SpeakerQueue,
  ): { queue?: ReturnType<typeof queueSummary>; micTicket?: ReturnType<typeof ticketView> | null } {
    if (key === 'public') return { queue: queueSummary(queue) };
    if (key === 'staff') return { queue: queueStaffView(queue) };
    const ticket = openTicketOf(queue, key.slice('private:'.length));
    return { micTicket: ticket ? ticketView(queue, ticket) : null };
  }

  /**
   * [ML1] Who acted, as the log names them: the moderator link's label, or the organiser's
   * login name. Null when the command was not sent by staff of this session.
   */
  async #actorName(ctx: CommandContext): Promise<string | null> {
    const staff = ctx.principal.staff;
    if (!ctx.you.staff || !staff) return null;
    if (staff.k === 'o') return staff.u;
    return (await this.deps.store.getModeratorLink(staff.l))?.label ?? 'Ordstyrer';
  }

  async #logEntry(
    ctx: CommandContext,
    action: LogAction,
    postId: string | null,
    detail: string | null,
  ): Promise<NewLogEntry> {
    return {
      id: newId('log'),
      sessionId: ctx.session!.id,
      at: this.#now(),
      actor: (await this.#actorName(ctx)) ?? 'Ordstyrer',
      action,
      postId,
      detail,
    };
  }

  /** Check the text and name against the session's rules, then store the new post. */
  async #insertPost(
    ctx: CommandContext,
    p: { commandId: string; kind: PostKind; text: string; displayName?: string | null | undefined },
    { isFromRoom }: { isFromRoom: boolean },
  ): Promise<Result<{ post: PostView }>> {
    const session = ctx.session!;
    const text = checkText(p.text, session.settings.maxLength);
    if (!text.ok) return textRefusal(text);
    const name = checkName(p.displayName);
    if (!name.ok) {
      return fail('invalid_input', 'the name is too long', {
        reason: name.reason,
        field: 'displayName',
        max: name.max,
      });
    }
    const post = newPost({
      id: asId<PostId>(newId('pst')),
      sessionId: session.id,
      kind: p.kind,
      text: text.text,
      displayName: name.text,
      authorDevice: isFromRoom ? null : ctx.you.deviceId,
      isFromRoom,
      // Staff typing in a floor question are the moderators: it needs no approval.
      moderation: isFromRoom ? 'post' : session.settings.moderation,
      // [P2] Held for a moderator, never rejected: the author sees "awaiting moderation".
      isHeldByFilter: !isFromRoom && this.#wordFilter.check(text.text).isHeld,
      now: this.#now(),
    });
    const ref = this.#commandRef(ctx, p)!;
    const log = isFromRoom ? [await this.#logEntry(ctx, 'create-from-room', post.id, null)] : [];
    return this.#finish(
      await this.deps.store.insertPost(
        ref,
        post,
        postAppends(null, post),
        { post: fullView(post) },
        log,
      ),
    );
  }

  #moderate(
    ctx: CommandContext,
    p: { commandId: string; postId: string; version: number },
    action: ModerationAction,
  ): Promise<Result<{ post: PostView }>> {
    return this.#change(
      ctx,
      p,
      async (post, now) => {
        if (action.type !== 'highlight') return moderate(post, action, now);
        const result = highlightChanges(post, await this.deps.store.listPosts(post.sessionId), now);
        return result.ok ? { ok: true, changes: result.changes } : result;
      },
      // [ML1] A hide is logged with its reason, a promise with who made it (and taking it
      // back with who had made it).
      {
        action: action.type,
        detail: (before) =>
          action.type === 'hide'
            ? action.reason
            : action.type === 'promise'
              ? action.name
              : action.type === 'unpromise'
                ? (before.followUpPromisedBy?.name ?? null)
                : null,
      },
    );
  }

  /**
   * Apply a change to one post at the version the moderator saw [M4]: load, check the version,
   * let `decide` compute the new state (core rules), store all affected posts at once.
   */
  async #change<A = { post: PostView }>(
    ctx: CommandContext,
    p: { commandId: string; postId: string; version: number },
    decide: (
      post: Post,
      now: number,
    ) =>
      | ModerationResult
      | { ok: true; changes: PostTransition[] }
      | Promise<ModerationResult | { ok: true; changes: PostTransition[] }>,
    log: { action: LogAction; detail?: (before: Post) => string | null },
    ack: (post: PostView) => A = (post) => ({ post }) as A,
  ): Promise<Result<A>> {
    const session = ctx.session!;
    for (let attempt = 1; ; attempt++) {
      const post = await this.deps.store.getPost(session.id, p.postId);
      if (!post) return fail('not_found', 'no such post');
      if (post.version !== p.version)
        return fail('conflict', 'someone else changed this post first', {
          current: fullView(post),
        });
      const result = await decide(post, this.#now());
      if (!result.ok) return fail(result.code, result.message);
      const changes = 'changes' in result ? result.changes : [{ before: post, after: result.post }];
      const target = changes[changes.length - 1]!.after;
      const commit = await this.deps.store.updatePosts(
        this.#commandRef(ctx, p)!,
        session.id,
        changes.map((c) => ({ post: c.after, expectedVersion: c.before.version })),
        changes.flatMap((c) => postAppends(c.before, c.after)),
        ack(fullView(target)),
        [await this.#logEntry(ctx, log.action, post.id, log.detail?.(post) ?? null)],
      );
      // [M4] The moderator vouched for the version of the post they acted on, not for the
      // posts the change takes along (the previous highlight, say). When only those moved
      // meanwhile (two moderators highlighting two posts at once), decide again from the
      // current state: the later highlight wins, as it would on a wall operated by hand.
      const isSideConflict =
        commit.kind === 'conflict' &&
        commit.currentPosts.some((c) => c.id === post.id && c.version === p.version);
      if (!isSideConflict || attempt === SIDE_CONFLICT_ATTEMPTS) {
        if (commit.kind !== 'conflict') return this.#finish(commit);
        const current = commit.currentPosts.find((c) => c.id === post.id) ?? post;
        return fail('conflict', 'someone else changed this post first', {
          current: fullView(current),
        });
      }
    }
  }

  #streamKey(you: SessionPrincipal, stream: StreamName): StreamKey | null {
    if (stream === 'public') return 'public';
    if (stream === 'staff') return you.staff ? 'staff' : null;
    return you.deviceId ? privateStream(you.deviceId) : null;
  }

  /**
   * Subscribe answer: each stream the principal may read, as a snapshot, or [S8] as the
   * entries after the seq the client says it holds when the retained log still has all of
   * them. A phone that rejoins after a blip or a restart then gets a few entries instead of
   * every post of the session again (docs/PERFORMANCE.md, S3).
   */
  async #join(
    session: Session,
    you: SessionPrincipal,
    resume: Partial<Record<StreamName, number>> = {},
  ): Promise<JoinAck> {
    const named = STREAM_NAMES.flatMap((name) => {
      const key = this.#streamKey(you, name);
      return key ? [{ name, key }] : [];
    });
    const hasRotation =
      session.settings.wallMode === 'fresh' || session.settings.wallMode === 'top';
    const [resumed, counts, myVotes, wall] = await Promise.all([
      Promise.all(
        named.map(async ({ name, key }) => {
          const afterSeq = resume[name];
          if (afterSeq === undefined) return null;
          const read = await this.deps.store.readStream(session.id, key, afterSeq, RESUME_LIMIT);
          // Everything after afterSeq, and fewer entries than a snapshot would be worth.
          if (!read.isComplete || read.entries.length >= RESUME_LIMIT) return null;
          return { seq: read.head, posts: [], resumedFrom: afterSeq, entries: read.entries };
        }),
      ),
      this.countsFor(session, you.staff !== null),
      you.deviceId
        ? this.deps.store.listDeviceVotes(session.id, you.deviceId)
        : Promise.resolve([]),
      hasRotation ? this.deps.store.getWall(session.id) : Promise.resolve(null),
    ]);
    const snapshotKeys = named.filter((_, i) => !resumed[i]).map(({ key }) => key);
    const snap = snapshotKeys.length
      ? await this.deps.store.snapshot(session.id, snapshotKeys)
      : null;
    // [Q5] Read after the heads: a queue newer than them is only confirmed by the entries after.
    const queue = snap
      ? ((await this.deps.store.getQueue(session.id)) ?? emptyQueue(session.id))
      : null;
    const streams: Partial<Record<StreamName, JoinAck['streams']['public']>> = {};
    named.forEach(({ name, key }, i) => {
      streams[name] = resumed[i] ?? {
        seq: snap!.heads[key] ?? 0,
        posts: streamPosts(key, snap!.posts),
        ...this.#queueSnapshot(key, queue!),
      };
    });
    // [FV2] A wall that joins shows what the others show; only posts still public.
    const listed = wall
      ? await Promise.all(
          wall.postIds.map(async (id) => {
            const post =
              snap?.posts.find((p) => p.id === id) ??
              (snap ? null : await this.deps.store.getPost(session.id, id));
            return post && isPublic(post) ? id : null;
          }),
        )
      : [];
    return {
      session: sessionView(session),
      you: { deviceId: you.deviceId, staff: you.staff },
      streams: { ...streams, public: streams.public! },
      counts,
      myVotes,
      wall: wall && { postIds: listed.filter((id) => id !== null), at: wall.at },
    };
  }

  /** [V2] Absolute counts; vote counts only for staff when the session hides them. */
  async countsFor(session: Session, isStaff: boolean): Promise<JoinAck['counts']> {
    const both = await this.countsViews(session);
    return isStaff ? both.staff : both.public;
  }

  /**
   * The counts as staff and as everyone else see them, read once: [V2] vote counts only for
   * staff when the session hides them; [SC5] the participant count while the setting is on.
   * `public` is the same object as `staff` when the session shows votes, so the broadcast can
   * send one message to the whole session.
   */
  async countsViews(
    session: Session,
  ): Promise<{ staff: JoinAck['counts']; public: JoinAck['counts'] }> {
    const [stored, exposure, participants] = await Promise.all([
      this.deps.store.getCounts(session.id),
      this.deps.store.getExposure(session.id),
      session.settings.showParticipantCount
        ? this.#publisher.participants(session.id)
        : Promise.resolve(null),
    ]);
    const reactions = { ...stored.reactions };
    for (const [name, n] of Object.entries(this.deps.reactions.pendingFor(session.id)))
      reactions[name] = (reactions[name] ?? 0) + n;
    const base = {
      sessionId: session.id,
      reactions,
      // [FV3] Exposure is no secret: the fresh-voices order on every phone is built from it.
      exposure: exposureScores(exposure),
      ...(participants !== null ? { participants } : {}),
    };
    const withVotes = { ...base, votes: stored.votes };
    return { staff: withVotes, public: session.settings.hideVotes ? base : withVotes };
  }

  getSession(id: string): Promise<Session | null> {
    return this.deps.store.getSession(id);
  }

  // Organiser operations (AppApi) -----------------------------------------------------------

  async login(request: LoginRequest): Promise<Result<LoginAck>> {
    const parsed = loginRequestSchema.safeParse(request);
    if (!parsed.success) return fail('invalid_input', 'e-mail and password are required');
    const account = await this.deps.organiserAuth.check(parsed.data.email, parsed.data.password);
    if (!account) return fail('forbidden', 'wrong e-mail or password');
    const exp = this.#now() + ORGANISER_TOKEN_HOURS * 3600_000;
    const staffToken = this.deps.signer.sign({ k: 'o', org: account.orgId, u: account.email, exp });
    return ok({ staffToken, orgId: account.orgId });
  }

  #organiser(creds: Credentials): { org: OrgId; user: string } | null {
    const staff = this.principalFrom(creds).staff;
    return staff?.k === 'o' ? { org: asId<OrgId>(staff.org), user: staff.u } : null;
  }

  async createEvent(creds: Credentials, request: CreateEventRequest): Promise<Result<EventView>> {
    const organiser = this.#organiser(creds);
    if (!organiser) return fail('forbidden', 'organisers only');
    const parsed = createEventRequestSchema.safeParse(request);
    if (!parsed.success) return fail('invalid_input', 'a title of 1-200 characters is required');
    const event = {
      id: asId<EventId>(newId('evt')),
      orgId: organiser.org,
      title: parsed.data.title.trim(),
      createdAt: this.#now(),
    };
    await this.deps.store.createEvent(event);
    return ok(event);
  }

  async listEvents(creds: Credentials): Promise<Result<EventView[]>> {
    const organiser = this.#organiser(creds);
    if (!organiser) return fail('forbidden', 'organisers only');
    return ok(await this.deps.store.listEvents(organiser.org));
  }

  async createSession(
    creds: Credentials,
    request: CreateSessionRequest,
  ): Promise<Result<CreateSessionAck>> {
    const organiser = this.#organiser(creds);
    if (!organiser) return fail('forbidden', 'organisers only');
    const parsed = createSessionRequestSchema.safeParse(request);
    if (!parsed.success)
      return fail('invalid_input', 'an event id and a title of 1-200 characters are required');
    const event = await this.deps.store.getEvent(parsed.data.eventId);
    if (!event || event.orgId !== organiser.org) return fail('not_found', 'no such event');
    const settings = { ...DEFAULT_SETTINGS, ...parsed.data.settings };
    const panel = checkPanel(settings.panel);
    if (!panel.ok) return panelRefusal(panel);
    settings.panel = panel.panel;
    // Six random digits; retry the rare clash rather than reserve codes up front.
    for (let attempt = 0; attempt < 20; attempt++) {
      const session: Session = {
        id: asId<SessionId>(newId('ses')),
        eventId: event.id,
        orgId: event.orgId,
        title: parsed.data.title.trim(),
        joinCode: randomJoinCode(),
        settings,
        version: 1,
        createdAt: this.#now(),
      };
      if ((await this.deps.store.createSession(session)) === 'created') {
        const { moderatorToken } = await this.#issueLink(session, 'Ordstyrer 1');
        return ok({ session: sessionView(session), moderatorToken });
      }
    }
    return fail('internal', 'could not find a free join code');
  }

  async createTopic(creds: Credentials, request: CreateTopicRequest): Promise<Result<TopicWire>> {
    const organiser = this.#organiser(creds);
    if (!organiser) return fail('forbidden', 'organisers only');
    const parsed = createTopicRequestSchema.safeParse(request);
    if (!parsed.success) return fail('invalid_input', 'a title and a contact person are required');
    const r = parsed.data;
    const event = await this.deps.store.getEvent(r.eventId);
    if (!event || event.orgId !== organiser.org) return fail('not_found', 'no such event');
    if (r.sessionId) {
      const session = await this.deps.store.getSession(r.sessionId);
      if (!session || session.eventId !== event.id)
        return fail('not_found', 'no such session in this event');
    }
    const topic: Topic = {
      id: asId<TopicId>(newId('top')),
      orgId: event.orgId,
      eventId: event.id,
      sessionId: r.sessionId ? asId<SessionId>(r.sessionId) : null,
      title: r.title.trim(),
      description: r.description.trim(),
      contactName: r.contactName.trim(),
      contactEmail: r.contactEmail ?? null,
      retentionDays: r.retentionDays ?? DEFAULT_RETENTION_DAYS,
      createdAt: this.#now(),
    };
    await this.deps.store.createTopic(topic);
    return ok(topicView(topic));
  }

  /**
   * [F8] Delete the follow-ups whose deletion date falls before `now + aheadMs`. The sweep runs
   * every `aheadMs`, so sweeping that far ahead deletes a sign-up a little early rather than
   * late: the consent text promises deletion no later than its date.
   */
  async deleteDueFollowUps(aheadMs: number): Promise<number> {
    return this.deps.store.deleteFollowUpsDueBy(this.#now() + aheadMs);
  }

  /** [F3] A device's receipt: its posts with their status, and its follow-ups. */
  async getReceipt(creds: Credentials): Promise<Result<Receipt>> {
    const principal = this.principalFrom(creds);
    const device = principal.receiptDevice ?? principal.deviceId;
    if (!device) return fail('forbidden', 'open your receipt link, or post from this device first');
    const [posts, followUps] = await Promise.all([
      this.deps.store.listDevicePosts(device),
      this.deps.store.listFollowUpsByKey(this.deps.signer.followKey(device)),
    ]);
    const sessionTitles = new Map<string, string>();
    for (const id of new Set(posts.map((p) => p.sessionId)))
      sessionTitles.set(id, (await this.deps.store.getSession(id))?.title ?? '');
    const topicTitles = new Map<string, string>();
    for (const id of new Set(followUps.map((f) => f.topicId)))
      topicTitles.set(id, (await this.deps.store.getTopic(id))?.title ?? '');
    return ok({
      posts: posts.map((post) => ({
        post: fullView(post),
        sessionTitle: sessionTitles.get(post.sessionId) ?? '',
      })),
      followUps: followUps.map((f) => ({
        followUp: followUpView(f),
        topicTitle: topicTitles.get(f.topicId) ?? '',
      })),
    });
  }

  async #issueLink(
    session: Session,
    label: string,
  ): Promise<{ link: ModeratorLink; moderatorToken: string }> {
    const link: ModeratorLink = {
      id: newId('lnk'),
      sessionId: session.id,
      label,
      createdAt: this.#now(),
      revokedAt: null,
    };
    await this.deps.store.saveModeratorLink(link);
    return { link, moderatorToken: this.deps.signer.sign({ k: 'm', s: session.id, l: link.id }) };
  }

  /** The session, if the caller is an organiser of its organisation. */
  async #organisersSession(creds: Credentials, sessionId: string): Promise<Session | null> {
    const organiser = this.#organiser(creds);
    const session = organiser ? await this.deps.store.getSession(sessionId) : null;
    return session && organiser && session.orgId === organiser.org ? session : null;
  }

  /** [T5] Another moderator link for a session, with a label the moderation log shows. */
  async createModeratorLink(
    creds: Credentials,
    request: CreateModeratorLinkRequest,
  ): Promise<Result<CreateModeratorLinkAck>> {
    const parsed = createModeratorLinkRequestSchema.safeParse(request);
    if (!parsed.success)
      return fail('invalid_input', 'a session id and a label of 1-80 characters are required');
    const session = await this.#organisersSession(creds, parsed.data.sessionId);
    if (!session)
      return fail(this.#organiser(creds) ? 'not_found' : 'forbidden', 'no such session of yours');
    const { link, moderatorToken } = await this.#issueLink(session, parsed.data.label.trim());
    return ok({ link, moderatorToken });
  }

  async listModeratorLinks(
    creds: Credentials,
    sessionId: string,
  ): Promise<Result<(ModeratorLinkWire & { moderatorToken: string | null })[]>> {
    const session = await this.#organisersSession(creds, String(sessionId));
    if (!session)
      return fail(this.#organiser(creds) ? 'not_found' : 'forbidden', 'no such session of yours');
    const links = await this.deps.store.listModeratorLinks(session.id);
    // Signing is deterministic: a standing link's token can be handed out again.
    return ok(
      links.map((link) => ({
        ...link,
        moderatorToken:
          link.revokedAt === null
            ? this.deps.signer.sign({ k: 'm', s: session.id, l: link.id })
            : null,
      })),
    );
  }

  async listSessions(creds: Credentials, eventId: string): Promise<Result<SessionWire[]>> {
    const organiser = this.#organiser(creds);
    if (!organiser) return fail('forbidden', 'organisers only');
    const event = await this.deps.store.getEvent(String(eventId));
    if (!event || event.orgId !== organiser.org) return fail('not_found', 'no such event');
    return ok((await this.deps.store.listSessions(event.id)).map(sessionView));
  }

  /** [T5] Revoke a moderator link: it grants nothing from now on, and its open sockets are closed on every node. */
  async revokeModeratorLink(
    creds: Credentials,
    linkId: string,
  ): Promise<Result<ModeratorLinkWire>> {
    const link = await this.deps.store.getModeratorLink(String(linkId));
    const session = link ? await this.#organisersSession(creds, link.sessionId) : null;
    if (!link || !session)
      return fail(this.#organiser(creds) ? 'not_found' : 'forbidden', 'no such link of yours');
    const revoked = link.revokedAt === null ? { ...link, revokedAt: this.#now() } : link;
    await this.deps.store.saveModeratorLink(revoked);
    this.#publisher.linkRevoked(link.id);
    return ok(revoked);
  }

  async findSessionByCode(code: string): Promise<Result<SessionWire>> {
    const digits = String(code).replace(/\s+/g, '');
    if (!/^[0-9]{6}$/.test(digits)) return fail('invalid_input', 'a join code is six digits');
    const session = await this.deps.store.findSessionByCode(digits);
    return session ? ok(sessionView(session)) : fail('not_found', 'no session has this code');
  }
}

/** [L1] The refusal for a text that breaks the length rule, with what the phone needs to say why. */
function textRefusal(text: Extract<TextCheck, { ok: false }>): Result<never> {
  const message = text.reason === 'empty' ? 'the post is empty' : 'the post is too long';
  return fail('invalid_input', message, {
    reason: text.reason,
    length: text.length,
    max: text.max,
  });
}

/** [SC3] The refusal for a panel that breaks its rules, naming the field for the message next to it. */
function panelRefusal(panel: Extract<PanelCheck, { ok: false }>): Result<never> {
  const message =
    panel.reason === 'too_many'
      ? 'the panel has too many members'
      : panel.reason === 'duplicate_id'
        ? 'two panel members have the same id'
        : panel.reason === 'empty'
          ? 'a panel member needs a name'
          : 'the text is too long';
  return fail('invalid_input', message, {
    field: panel.field,
    reason: panel.reason,
    ...(panel.max !== undefined ? { max: panel.max } : {}),
  });
}

function randomJoinCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}
