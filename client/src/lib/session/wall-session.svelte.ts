/**
 * The projector wall: the session's title, panel and join code, the highlighted post in large
 * type, the questions the wall mode lists, the live reactions and, when the session shows it,
 * how many are connected. Read-only: a wall holds no device and no staff token, so it only
 * ever receives the public stream (SPEC R2, S6).
 */
import { getContext, setContext } from 'svelte';
import { ConnectionState } from './connection-state.svelte.js';
import { freezeOf, frozenWallView, wallView } from './wall-views.js';
import type { FrozenWall } from './wall-views.js';

export class WallSession extends ConnectionState {
  /** How many questions are listed under the highlighted one. */
  nextCount = $state(3);
  /** What the wall showed when the moderator froze it; null while it is not frozen. */
  #frozen: FrozenWall | null = null;

  readonly #live = $derived(
    wallView(this.view, {
      nextCount: this.nextCount,
      // The server's list in 'top' and 'fresh' mode (SPEC FV2): every wall of the session lists
      // the same posts, and the wall time the server counts is the time they were really up.
      rotation: this.view.wall?.postIds ?? null,
    }),
  );
  /**
   * What is on the wall: the live view, or while frozen the posts it showed when the freeze
   * began (those that are still public). The freeze is remembered here, not on the server:
   * a wall opened during a freeze starts from what the room sees at that moment.
   */
  readonly wall = $derived.by(() => {
    const live = this.#live;
    if (live.override !== 'freeze') {
      this.#frozen = null;
      return live;
    }
    this.#frozen ??= freezeOf(live);
    return frozenWallView(live, this.#frozen, this.view.posts);
  });
  readonly title = $derived(this.wall.title);
  readonly joinCode = $derived(this.wall.joinCode);
  readonly highlighted = $derived(this.wall.highlighted);
  readonly next = $derived(this.wall.next);
  readonly mode = $derived(this.wall.mode);
  readonly override = $derived(this.wall.override);
  readonly reactions = $derived(this.wall.reactions);
  /** The wall speaks the session's wall language, whatever the projector's browser prefers. */
  readonly locale = $derived(this.session?.settings.wallLanguage ?? 'da');
  readonly panel = $derived(this.session?.settings.panel ?? []);
  /** The panel member the highlighted post is directed to, if any (and still on the panel). */
  readonly directedTo = $derived(
    this.panel.find((member) => member.id === this.highlighted?.directedTo) ?? null,
  );
  /** The speaker queue's next number (SPEC WL8); null when nobody is waiting. */
  readonly queueNext = $derived(this.view.queue?.next ?? null);
  /** Connected attendees, when the session shows the count (null: it does not). */
  readonly participants = $derived(
    this.session?.settings.showParticipantCount ? (this.counts.participants ?? null) : null,
  );
}

const KEY = Symbol('wall-session');

export function setWallSession(session: WallSession): WallSession {
  return setContext(KEY, session);
}

export function getWallSession(): WallSession {
  const session = getContext<WallSession | undefined>(KEY);
  if (!session) throw new Error('getWallSession() needs a page that called setWallSession()');
  return session;
}
