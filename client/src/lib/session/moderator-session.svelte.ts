/**
 * The moderator's console: the queue by tab (pending, visible, answered, hidden, live) with
 * counts, search and sort; every moderation command with the version the moderator saw; undo;
 * bulk approve and hide; floor questions through the outbox; session settings.
 *
 * When a colleague got there first the server answers `conflict` with the current post: the
 * connection shows that at once, and `notice` says what happened, so the moderator looks
 * again before acting (SPEC M4).
 */
import { getContext, setContext } from 'svelte';
import { SvelteSet } from 'svelte/reactivity';
import { canApply, checkText } from '@gt/core';
import type { PostKind, TextCheck, WallOverride } from '@gt/core';
import type { CommandRequest, TopicWire } from '@gt/protocol';
import type { OutboxItem } from '../realtime/outbox.js';
import type { ModerationAction, SessionConnectionOptions } from '../realtime/session-connection.js';
import { StaffConnection } from '../realtime/staff-connection.js';
import type { ViewPost } from '../realtime/replica-view.js';
import type { ClientErrorCode } from '../realtime/types.js';
import { ConnectionState } from './connection-state.svelte.js';
import { inverseOf } from './undo.js';
import type { UndoStep } from './undo.js';
import { consoleList, exposureOf, hasExposure, moderationQueue } from './console-views.js';
import type { ConsoleSort, ConsoleTab } from './console-views.js';
import { votesOf } from './views.js';

/** What the console tells the moderator after a refused command. Texts come from i18n by `code`. */
export interface ModerationNotice {
  action: ModerationAction | 'configure' | 'merge';
  /** The post concerned; empty for a settings change. */
  postId: string;
  code: ClientErrorCode;
  /** The server's own words, for when no translation fits. */
  message: string;
  /** On conflict: the post as it is now. */
  current: ViewPost | null;
  /** A bulk action: how many of the selected posts were refused. */
  failedCount?: number;
}

/** What the undo toast offers: the action just done, and how to take it back. */
export interface UndoOffer {
  id: number;
  action: ModerationAction;
  /** How many posts it touched (a bulk action touches several). */
  count: number;
  steps: UndoStep[];
}

type PostRef = Pick<ViewPost, 'id' | 'version'>;
type ModerateOptions = Parameters<StaffConnection['moderate']>[2];

/** How long "Fortryd" stays on offer after an action. */
export const UNDO_WINDOW_MS = 10_000;
const SHORTCUTS_KEY = 'gt:moderator:shortcuts';

export class ModeratorSession extends ConnectionState<StaffConnection> {
  tab = $state<ConsoleTab>('pending');
  search = $state('');
  sort = $state<ConsoleSort>('time');
  /** Filters: a topic's id, a panel member's id ('' for all). */
  topicFilter = $state('');
  panelFilter = $state('');
  /** The topics a post can be tagged with: the session's and its event's (topic:list). */
  topics = $state.raw<readonly TopicWire[]>([]);
  notice = $state.raw<ModerationNotice | null>(null);
  undo = $state.raw<UndoOffer | null>(null);
  /**
   * Single-key shortcuts (WCAG 2.1.4: they can be turned off). Remembered per browser; read
   * in `start()`, because the server renders without storage.
   */
  isShortcutsOn = $state(true);
  /** Posts selected for a bulk action. */
  readonly selected = new SvelteSet<string>();
  /** Posts with a command on its way. */
  readonly #busy = new SvelteSet<string>();
  #undoTimer: ReturnType<typeof setTimeout> | null = null;
  #undoCounter = 0;

  constructor(source: StaffConnection | SessionConnectionOptions) {
    super(source, (options) => new StaffConnection(options));
  }

  readonly list = $derived(
    consoleList(this.view.posts, this.view.counts, {
      tab: this.tab,
      search: this.search,
      sort: this.sort,
      topicId: this.topicFilter,
      panelMemberId: this.panelFilter,
    }),
  );
  readonly shown = $derived(this.list.posts);
  readonly queue = $derived(moderationQueue(this.view.posts, this.view.counts));
  readonly highlighted = $derived(this.queue.highlighted);
  /** The staff link was not accepted (revoked, or for another session): read-only. */
  readonly isStaff = $derived(this.view.you?.staff != null);
  readonly canSortByVotes = $derived(this.view.counts.votes !== undefined);
  readonly canSortByExposure = $derived(hasExposure(this.view.counts));
  /** Selected posts that still exist, in the order shown. */
  readonly selection = $derived(this.view.posts.filter((p) => this.selected.has(p.id)));
  readonly settings = $derived(this.view.session?.settings ?? null);
  readonly maxLength = $derived(this.view.session?.settings.maxLength ?? 0);
  /** The moderation log held, newest first (live; older pages on request). */
  readonly log = $derived(this.view.log);
  readonly wallOverride = $derived<WallOverride>(
    this.view.session?.settings.wallOverride ?? 'none',
  );
  /** [Q4] The speaker queue (numbers, and for staff the tickets with names); null before the join. */
  readonly micQueue = $derived(this.view.queue);
  readonly micTickets = $derived(
    this.view.queue && 'tickets' in this.view.queue ? this.view.queue.tickets : [],
  );
  /** Floor questions not yet acknowledged, or refused. */
  readonly floorOutbox = $derived(
    this.view.outbox.filter((item) => item.name === 'post:create-from-room'),
  );

  override start(): () => void {
    try {
      this.isShortcutsOn = localStorage.getItem(SHORTCUTS_KEY) !== 'off';
    } catch {
      // Storage blocked: shortcuts stay on for this visit.
    }
    const stop = super.start();
    return () => {
      if (this.#undoTimer) clearTimeout(this.#undoTimer);
      stop();
    };
  }

  setShortcuts(isOn: boolean): void {
    this.isShortcutsOn = isOn;
    try {
      localStorage.setItem(SHORTCUTS_KEY, isOn ? 'on' : 'off');
    } catch {
      // Not remembered, but in force for this visit.
    }
  }

  /** A command for this post is on its way (disable its buttons). */
  isBusy(postId: string): boolean {
    return this.#busy.has(postId);
  }

  votesFor(postId: string): number | null {
    return votesOf(this.view.counts, postId);
  }

  exposureFor(postId: string): number | null {
    return exposureOf(this.view.counts, postId);
  }

  /** The post as the connection has it now (acknowledgements included): its current version. */
  post(postId: string): ViewPost | undefined {
    return this.connection.view.posts.find((p) => p.id === postId);
  }

  approve = (post: PostRef) => this.#act('approve', post);
  hide = (post: PostRef, reason: string) => this.#act('hide', post, { reason });
  restore = (post: PostRef) => this.#act('restore', post);
  answer = (post: PostRef) => this.#act('answer', post);
  highlight = (post: PostRef) => this.#act('highlight', post);
  unhighlight = (post: PostRef) => this.#act('unhighlight', post);
  pin = (post: PostRef) => this.#act('pin', post);
  unpin = (post: PostRef) => this.#act('unpin', post);
  edit = (post: PostRef, text: string) => this.#act('edit', post, { text });
  reopen = (post: PostRef) => this.#act('reopen', post);
  tag = (post: PostRef, topicId: string | null) => this.#act('tag', post, { topicId });
  direct = (post: PostRef, panelMemberId: string | null) =>
    this.#act('direct', post, { panelMemberId });
  /** [M14] A panel member promised to follow the post up (null: the promise is taken back). */
  promiseFollowUp = (post: PostRef, panelMemberId: string | null) =>
    this.#act('promise-follow-up', post, { panelMemberId });

  /** Turn the post into a topic of this session (and tag it); the new topic joins the list. */
  async toTopic(post: PostRef): Promise<boolean> {
    const before = this.post(post.id);
    this.#busy.add(post.id);
    try {
      const result = await this.connection.send('post:to-topic', {
        postId: post.id,
        version: post.version,
      });
      if (!result.ok) {
        this.notice = {
          action: 'to-topic',
          postId: post.id,
          code: result.error.code,
          message: result.error.message,
          current: null,
        };
        return false;
      }
      this.topics = [
        ...this.topics.filter((t) => t.id !== result.data.topic.id),
        result.data.topic,
      ];
      if (before) this.#offerUndo('to-topic', 1, inverseOf('to-topic', before, null));
      return true;
    } finally {
      this.#busy.delete(post.id);
    }
  }
  unapprove = (post: PostRef) => this.#act('unapprove', post);

  toggleSelected(postId: string): void {
    if (this.selected.has(postId)) this.selected.delete(postId);
    else this.selected.add(postId);
  }

  clearSelection(): void {
    this.selected.clear();
  }

  /** Approve every selected pending post; one undo offer for them all. */
  bulkApprove(): Promise<number> {
    return this.#bulk(
      'approve',
      this.selection.filter((p) => canApply(p, 'approve')),
    );
  }

  /** Hide every selected post that is not hidden yet, with one reason. */
  bulkHide(reason: string): Promise<number> {
    return this.#bulk(
      'hide',
      this.selection.filter((p) => canApply(p, 'hide')),
      reason,
    );
  }

  /**
   * [M13] Merge the other selected posts into `targetId` (one of the selection). No undo: a
   * merge moves votes, which no compensating command puts back. A refusal is a notice on the
   * target; the selection stays then.
   */
  async mergeSelection(targetId: string): Promise<boolean> {
    const target = this.selection.find((p) => p.id === targetId);
    const sources = this.selection.filter((p) => p.id !== targetId);
    if (!target || sources.length === 0) return false;
    const result = await this.connection.merge(target, sources);
    if (result.ok) {
      this.selected.clear();
      if (this.notice?.postId === target.id) this.notice = null;
      return true;
    }
    this.notice = {
      action: 'merge',
      postId: target.id,
      code: result.error.code,
      message: result.error.message,
      current:
        result.error.code === 'conflict'
          ? (this.connection.view.posts.find((p) => p.id === target.id) ?? null)
          : null,
    };
    return false;
  }

  /** Take back the offered action (compensating commands, logged like any other). */
  async undoLast(): Promise<boolean> {
    const offer = this.undo;
    if (!offer) return false;
    this.#clearUndo();
    let isAllDone = true;
    for (const step of offer.steps) {
      const post = this.post(step.postId);
      if (!post) continue;
      const result = await this.#send(step.action, post, step);
      isAllDone &&= result;
    }
    return isAllDone;
  }

  dismissUndo(): void {
    this.#clearUndo();
  }

  dismissNotice(): void {
    this.notice = null;
  }

  // From the room -----------------------------------------------------------------------------

  /** The same rule the server applies (graphemes after normalising), for the counter. */
  checkDraft(text: string): TextCheck {
    return checkText(text, this.maxLength);
  }

  postFromRoom(input: { kind: PostKind; text: string; displayName: string | null }): OutboxItem {
    return this.connection.postFromRoom(input);
  }

  dismissFloor(commandId: string): void {
    this.connection.dismiss(commandId);
  }

  // Settings ----------------------------------------------------------------------------------

  configure(settings: CommandRequest<'session:configure'>['settings']) {
    return this.connection.configure(settings);
  }

  /**
   * The emergency keys: freeze the wall, or show only the join QR; the same key again lets it
   * go. The wish is absolute ("frozen", "as normal"), so a colleague's settings change in
   * between is no reason to refuse: one retry with the version the conflict brought.
   */
  async toggleWallOverride(target: Exclude<WallOverride, 'none'>): Promise<boolean> {
    const wallOverride: WallOverride = this.wallOverride === target ? 'none' : target;
    let result = await this.connection.configure({ wallOverride });
    if (!result.ok && result.error.code === 'conflict')
      result = await this.connection.configure({ wallOverride });
    if (!result.ok)
      this.notice = {
        action: 'configure',
        postId: '',
        code: result.error.code,
        message: result.error.message,
        current: null,
      };
    return result.ok;
  }

  /** [Q3] The speaker at the microphone is done: the first in line is called. */
  async callNextSpeaker(): Promise<boolean> {
    return this.#queueCommand(await this.connection.send('mic:call-next', {}));
  }

  /** [Q3] Move a waiting ticket to a place in the line (1 = next). */
  async moveSpeaker(ticketId: string, position: number): Promise<boolean> {
    return this.#queueCommand(await this.connection.send('mic:move', { ticketId, position }));
  }

  #queueCommand(
    result: { ok: true } | { ok: false; error: { code: ClientErrorCode; message: string } },
  ): boolean {
    if (!result.ok)
      this.notice = {
        action: 'configure',
        postId: '',
        code: result.error.code,
        message: result.error.message,
        current: null,
      };
    return result.ok;
  }

  /** Page back in the log. */
  async loadOlderLog(): Promise<void> {
    const oldest = this.log.at(-1);
    await this.connection.loadLog(oldest ? { before: oldest.seq } : {});
  }

  // ------------------------------------------------------------------------------------------

  async #act(
    action: ModerationAction,
    post: PostRef,
    options: ModerateOptions = {},
  ): Promise<boolean> {
    const before = this.post(post.id);
    const previousHighlight = action === 'highlight' ? this.highlighted : null;
    const isDone = await this.#send(action, post, options);
    if (isDone && before) {
      const steps = inverseOf(action, before, previousHighlight);
      if (steps.length > 0) this.#offerUndo(action, 1, steps);
    }
    return isDone;
  }

  async #bulk(
    action: 'approve' | 'hide',
    posts: readonly ViewPost[],
    reason?: string,
  ): Promise<number> {
    const results = await Promise.all(
      posts.map(async (post) => ({
        post,
        isDone: await this.#send(action, post, { reason }, { isQuiet: true }),
      })),
    );
    const done = results.filter((r) => r.isDone).map((r) => r.post);
    const failed = results.length - done.length;
    for (const post of done) this.selected.delete(post.id);
    if (failed > 0) {
      const first = results.find((r) => !r.isDone)!.post;
      this.notice = {
        action,
        postId: first.id,
        code: 'conflict',
        message: '',
        current: null,
        failedCount: failed,
      };
    }
    const steps = done.flatMap((post) => inverseOf(action, post, null));
    if (steps.length > 0) this.#offerUndo(action, done.length, steps);
    return done.length;
  }

  /** Resolves true when the server accepted the command. */
  async #send(
    action: ModerationAction,
    post: PostRef,
    options: ModerateOptions,
    { isQuiet = false } = {},
  ): Promise<boolean> {
    this.#busy.add(post.id);
    try {
      const result = await this.connection.moderate(action, post, options);
      if (result.ok) {
        if (this.notice?.postId === post.id) this.notice = null;
        return true;
      }
      if (!isQuiet)
        this.notice = {
          action,
          postId: post.id,
          code: result.error.code,
          message: result.error.message,
          current:
            result.error.code === 'conflict'
              ? (this.connection.view.posts.find((p) => p.id === post.id) ?? null)
              : null,
        };
      return false;
    } finally {
      this.#busy.delete(post.id);
    }
  }

  #offerUndo(action: ModerationAction, count: number, steps: UndoStep[]): void {
    this.#clearUndo();
    this.undo = { id: ++this.#undoCounter, action, count, steps };
    this.#undoTimer = setTimeout(() => {
      this.#undoTimer = null;
      this.undo = null;
    }, UNDO_WINDOW_MS);
  }

  #clearUndo(): void {
    if (this.#undoTimer) clearTimeout(this.#undoTimer);
    this.#undoTimer = null;
    this.undo = null;
  }
}

const KEY = Symbol('moderator-session');

export function setModeratorSession(session: ModeratorSession): ModeratorSession {
  return setContext(KEY, session);
}

export function getModeratorSession(): ModeratorSession {
  const session = getContext<ModeratorSession | undefined>(KEY);
  if (!session)
    throw new Error('getModeratorSession() needs a page that called setModeratorSession()');
  return session;
}
