/**
 * The connection of a staff screen (the moderator console, the outreach tablet): everything
 * SessionConnection does, plus the moderation commands, settings and the moderation log.
 * A module of its own so that the attendee page and the wall, which never moderate, do not
 * load this code (client/e2e/attendee-budget.e2e.ts holds the attendee page to 60 KB).
 */
import type { CommandAck, CommandRequest } from '@gt/protocol';
import { PollBoard } from './poll-board.js';
import { SessionConnection, isPostWire } from './session-connection.js';
import type { ClientSocket, ModerationAction, SendPayload } from './session-connection.js';
import type { ClientResult, JoinAck, PostWire, SessionWire } from './types.js';

/** The poll commands staff send, each answered with the poll as it is now. */
export type PollCommandName =
  | 'poll:create'
  | 'poll:update'
  | 'poll:open'
  | 'poll:close'
  | 'poll:reopen'
  | 'poll:show-results'
  | 'poll:hide-results'
  | 'poll:hide-word';

/** What a moderation command may take besides the post and its version. */
export interface ModerateOptions {
  reason?: string;
  text?: string;
  topicId?: string | null;
  panelMemberId?: string | null;
  title?: string;
}

/**
 * The fields each moderation action's command takes besides the post and its version, from
 * the options given: one row per action, each checked against its command's payload.
 */
const COMMAND_FIELDS: {
  [A in ModerationAction]: (
    options: ModerateOptions,
  ) => Omit<SendPayload<`post:${A}`>, 'postId' | 'version' | 'commandId'>;
} = {
  approve: () => ({}),
  hide: (o) => ({ reason: o.reason ?? '' }),
  restore: () => ({}),
  answer: () => ({}),
  highlight: () => ({}),
  unhighlight: () => ({}),
  pin: () => ({}),
  unpin: () => ({}),
  edit: (o) => ({ text: o.text ?? '' }),
  reopen: () => ({}),
  unapprove: () => ({}),
  tag: (o) => ({ topicId: o.topicId ?? null }),
  direct: (o) => ({ panelMemberId: o.panelMemberId ?? null }),
  'promise-follow-up': (o) => ({ panelMemberId: o.panelMemberId ?? null }),
  'to-topic': (o) => (o.title ? { title: o.title } : {}),
};

/**
 * Each connection's poll board, outside the class: the base constructor adopts the page's
 * first join (through `tap`) before a subclass's own fields exist.
 */
const BOARDS = new WeakMap<StaffConnection, PollBoard>();

export class StaffConnection extends SessionConnection {
  /** [PL9, PL10] Every poll of the session, drafts included, with live results. */
  get polls(): PollBoard {
    let board = BOARDS.get(this);
    if (!board) BOARDS.set(this, (board = new PollBoard('staff')));
    return board;
  }

  protected override onJoined(): void {
    if (this.view.you?.staff) void this.loadLog();
  }

  protected override tap(from: ClientSocket | JoinAck): void {
    if ('streams' in from) {
      this.polls.adoptJoin(from);
      return;
    }
    const socket = from;
    socket.on('poll:updated', (update) => {
      if (update.sessionId === this.sessionId && update.stream === this.polls.stream)
        this.polls.adoptPoll(update.poll);
    });
    socket.on('poll:results', ({ sessionId, ...results }) => {
      if (sessionId === this.sessionId) this.polls.adoptResults(results);
    });
  }

  /** A poll command; the poll is shown from the acknowledgement at once. */
  async poll<K extends PollCommandName>(
    name: K,
    payload: SendPayload<K>,
  ): Promise<ClientResult<CommandAck<K>>> {
    const result = await this.send(name, payload);
    if (result.ok) this.polls.adoptPoll(result.data.poll);
    return result;
  }

  /**
   * A moderation command with the version the moderator saw. On success the post is updated
   * at once from the acknowledgement; on `conflict` from the current state the server sends
   * back (`error.details.current`), so the next click acts on the right version.
   */
  moderate(
    action: ModerationAction,
    post: { id: string; version: number },
    options: ModerateOptions = {},
  ): Promise<ClientResult<{ post: PostWire }>> {
    const name = `post:${action}` as const;
    const payload = { postId: post.id, version: post.version, ...COMMAND_FIELDS[action](options) };
    return this.#sorted(this.send(name, payload as SendPayload<typeof name>));
  }

  /**
   * [M13] Merge the sources into the target at the versions held. The target is updated from
   * the acknowledgement; the hidden sources arrive on the staff stream.
   */
  merge(
    target: { id: string; version: number },
    sources: readonly { id: string; version: number }[],
  ): Promise<ClientResult<{ post: PostWire }>> {
    return this.#sorted(
      this.send('post:merge', {
        targetId: target.id,
        targetVersion: target.version,
        sourceIds: sources.map((p) => p.id),
        sourceVersions: sources.map((p) => p.version),
      }),
    );
  }

  async #sorted(
    sent: Promise<ClientResult<{ post: PostWire }>>,
  ): Promise<ClientResult<{ post: PostWire }>> {
    const result = await sent;
    if (result.ok) this.noteAcknowledged(result.data.post);
    else if (result.error.code === 'conflict') {
      const current = result.error.details?.current;
      if (isPostWire(current)) this.noteAcknowledged(current);
    }
    return result;
  }

  /** Change session settings, with the settings version held; a conflict refreshes it. */
  async configure(
    settings: CommandRequest<'session:configure'>['settings'],
  ): Promise<ClientResult<CommandAck<'session:configure'>>> {
    const version = this.view.session?.version;
    if (version === undefined)
      return { ok: false, error: { code: 'offline', message: 'not joined yet' } };
    const result = await this.send('session:configure', { version, settings });
    const session = result.ok
      ? result.data.session
      : (result.error.details?.currentSession as SessionWire | undefined);
    if (session) this.adoptSession(session);
    return result;
  }

  /**
   * Staff: list a page of the moderation log (newest first; `before` a seq to page back) and
   * add it to `view.log`.
   */
  async loadLog(
    options: { before?: number; limit?: number } = {},
  ): Promise<ClientResult<CommandAck<'log:list'>>> {
    const result = await this.send('log:list', options);
    if (result.ok) this.addLog(result.data.entries);
    return result;
  }
}
