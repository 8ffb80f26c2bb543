/**
 * The projector wall: the session's title and join code, the highlighted post in large type,
 * the next few questions and the live reactions. Read-only: a wall holds no device and no
 * staff token, so it only ever receives the public stream (SPEC R2, S6).
 */
import { getContext, setContext } from 'svelte';
import { ConnectionState } from './connection-state.svelte.js';
import { wallView } from './views.js';

export class WallSession extends ConnectionState {
  /** How many questions are listed under the highlighted one. */
  nextCount = $state(3);

  readonly wall = $derived(wallView(this.view, this.nextCount));
  readonly title = $derived(this.wall.title);
  readonly joinCode = $derived(this.wall.joinCode);
  readonly highlighted = $derived(this.wall.highlighted);
  readonly next = $derived(this.wall.next);
  readonly reactions = $derived(this.wall.reactions);
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
