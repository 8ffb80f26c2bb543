/**
 * The attendee's phone: the room's posts (top or new), their own posts with status and
 * reason, their votes, the counts, and what is still in the outbox. Posting, voting and
 * reacting go through the outbox, so they survive a bad network and a reload.
 */
import { getContext, setContext } from 'svelte';
import { checkText } from '@gt/core';
import type { PostKind, Reaction, TextCheck } from '@gt/core';
import type { OutboxItem } from '../realtime/outbox.js';
import type { ClientError } from '../realtime/types.js';
import { ConnectionState } from './connection-state.svelte.js';
import type { ReportedPosts } from './first-screen.js';
import {
  hintCandidates,
  holdBack,
  ownPosts,
  pendingVotes,
  publicPosts,
  sortPosts,
  votesOf,
} from './views.js';
import type { PostOrder } from './views.js';

export class AttendeeSession extends ConnectionState {
  #order = $state<PostOrder>('top');
  /** The list as the reader last saw it arranged (ids in order); see `holdBack`. */
  #frozen = $state.raw<readonly string[]>([]);
  /** Bumped whenever the list is arranged anew: its first screenful is then looked at again. */
  arrangement = $state(0);
  #reported: ReportedPosts | null = null;
  /** The post form's last post (its command id), whose fate the form reports next to the field. */
  #lastPostId = $state<string | null>(null);
  /**
   * What is in the post field. Kept here rather than in the form: the screen keeps the form
   * on the page while it holds text, even after the talk closes, so typing is never lost.
   */
  draft = $state('');

  /** Posts everyone sees, in the chosen order, as they are right now. */
  readonly #sorted = $derived(
    sortPosts(publicPosts(this.view.posts), this.#order, this.view.counts),
  );
  readonly #list = $derived(holdBack(this.#sorted, this.#frozen));
  /** What the list shows: it does not move under the reader's thumb. */
  readonly posts = $derived(this.#list.shown);
  /** Posts that arrived since, waiting for the reader to ask ("3 new"). */
  readonly heldCount = $derived(this.#list.held.length);
  /** This device's posts (sent, sending or failed), newest first. */
  readonly myPosts = $derived(ownPosts(this.view.posts, this.view.outbox));
  /** What the duplicate hint may offer (one array per change of the posts, so it indexes once). */
  readonly hintCandidates = $derived(hintCandidates(this.view.posts));
  /** Posts this device has upvoted, including votes not yet acknowledged. */
  readonly myVotes = $derived(this.view.myVotes);
  /** Posts whose upvote (or its withdrawal) waits in the outbox: shown as "sending". */
  readonly pendingVotes = $derived(pendingVotes(this.view.outbox));
  readonly failed = $derived(this.view.outbox.filter((item) => item.state === 'failed'));
  readonly isOpen = $derived(this.view.session?.settings.isOpen ?? false);
  /** "Top" needs vote counts; a session that hides them offers only "new". */
  readonly canSortByVotes = $derived(this.view.counts.votes !== undefined);
  readonly reactions = $derived(this.view.session?.settings.reactions ?? []);
  /** The moderator paused reactions (SPEC SC4): the bar stays, its buttons rest. */
  readonly areReactionsPaused = $derived(this.view.session?.settings.reactionsPaused ?? false);
  readonly maxLength = $derived(this.view.session?.settings.maxLength ?? 0);
  /**
   * The form's last post was refused for good (the talk closed meanwhile, say): why. Its text
   * stays in the outbox, shown under "your posts" as not sent, until the person removes it.
   */
  readonly postRefusal = $derived.by((): ClientError | null => {
    const item = this.view.outbox.find((i) => i.commandId === this.#lastPostId);
    return item?.state === 'failed' ? (item.error ?? { code: 'internal', message: '' }) : null;
  });
  /**
   * [T2] When the server will take this device's waiting posts again (it said "not so fast"),
   * or null. They go out by themselves then; the form says so next to the field.
   */
  readonly postsWaitUntil = $derived.by((): number | null => {
    const times = this.view.outbox.flatMap((i) =>
      i.name === 'post:create' && i.state === 'sending' && i.retryAt !== undefined
        ? [i.retryAt]
        : [],
    );
    return times.length > 0 ? Math.max(...times) : null;
  });

  constructor(...args: ConstructorParameters<typeof ConnectionState>) {
    super(...args);
    this.#freeze();
  }

  get order(): PostOrder {
    return this.#order;
  }

  /** Sort the list another way: everything that waited is shown, in the new order. */
  sortBy(order: PostOrder): void {
    this.#order = order;
    this.#freeze();
  }

  /** Show the posts that arrived since the list was last arranged ("3 new"). */
  showNew(): void {
    this.#freeze();
  }

  #freeze(): void {
    this.#frozen = this.#sorted.map((post) => post.id);
    this.arrangement += 1;
  }

  /**
   * [K3] Posts of the list's first screenful were seen: report the ones this phone has not
   * reported before (the server counts each once per device anyway). A report that fails
   * (offline) is simply made again the next time they are seen.
   */
  async reportSeen(ids: readonly string[]): Promise<void> {
    if (typeof localStorage === 'undefined') return;
    const { MAX_REPORTED, ReportedPosts } = await import('./first-screen.js');
    this.#reported ??= new ReportedPosts(this.connection.sessionId, localStorage);
    const fresh = this.#reported.unreported(ids).slice(0, MAX_REPORTED);
    if (fresh.length === 0) return;
    const result = await this.connection.send('exposure:report', { postIds: fresh });
    if (result.ok) this.#reported.add(fresh);
  }

  /** [Q4] The speaker queue as the room sees it (numbers only), and this phone's ticket. */
  get queue() {
    return this.view.queue;
  }
  get micTicket() {
    return this.view.micTicket;
  }

  /** [Q1] "I'd rather say it myself": take a number in the line for the microphone. */
  requestMic() {
    return this.connection.requestMic();
  }

  /** [Q2] Give the number up. */
  cancelMic(ticketId: string) {
    return this.connection.cancelMic(ticketId);
  }

  /** The same rule the server applies (grapheme count after normalising), for the counter. */
  checkDraft(text: string): TextCheck {
    return checkText(text, this.maxLength);
  }

  post(text: string, options: { kind?: PostKind; displayName?: string | null } = {}): OutboxItem {
    const item = this.connection.post({
      kind: options.kind ?? 'question',
      text,
      displayName: options.displayName ?? null,
    });
    this.#lastPostId = item.commandId;
    return item;
  }

  /** Upvote, or take the vote back when this device has already voted. */
  toggleVote(postId: string): OutboxItem {
    return this.connection.upvote(postId, !this.myVotes.has(postId));
  }

  react(reaction: Reaction): OutboxItem {
    return this.connection.react(reaction);
  }

  /** null when the session hides vote counts. */
  votesFor(postId: string): number | null {
    return votesOf(this.view.counts, postId);
  }

  dismiss(commandId: string): void {
    this.connection.dismiss(commandId);
  }

  retryFailed(): void {
    this.connection.retryFailed();
  }
}

const KEY = Symbol('attendee-session');

export function setAttendeeSession(session: AttendeeSession): AttendeeSession {
  return setContext(KEY, session);
}

export function getAttendeeSession(): AttendeeSession {
  const session = getContext<AttendeeSession | undefined>(KEY);
  if (!session)
    throw new Error('getAttendeeSession() needs a page that called setAttendeeSession()');
  return session;
}
