/**
 * The wall's rotation on the server (DESIGN "Fair visibility"; SPEC K5, FV2-FV4). For each
 * session with sockets joined on this node whose wall mode is 'fresh' or 'top', and whose
 * wall is not frozen or showing only the QR code, one node (the holder of the store's claim)
 * turns the wall every `rotationSeconds`: core's `nextWallSet` (fresh voices) or the most-voted
 * (top) picks the listed posts, the highlighted post excluded; the seconds the listed posts and
 * the highlighted post were up are added to their exposure in the store; a changed set is
 * saved (walls that join later show the same) and announced as `wall:rotation`.
 *
 * Between turns nothing is read, except for a session whose public posts changed on this
 * node: a listed post that was hidden, answered or highlighted leaves at once and its slot is
 * filled (K5). A change made on another node is seen at the next turn.
 */
import { createRotation, exposureScore, nextWallSet, recordWallTime, sortTop } from '@gt/core';
import type { Exposure, Post, RotationState, Session } from '@gt/core';
import type { Logger } from 'pino';
import type { Store, WallSet } from '../store/store.js';

/** Listed posts besides the highlighted one: readable from ten metres on a 1280×720 wall. */
export const WALL_SLOTS = 3;
/** How often sessions are looked at; a turn happens when it is due. */
export const WALL_TICK_MS = 1_000;
/** A node that stops ticking (crashed, cut off) leaves the rotation to another after this. */
const CLAIM_TTL_MS = 5_000;

export interface WallRotationDeps {
  store: Store;
  /** Unique per process: the owner named in the store's claim. */
  nodeId: string;
  logger: Logger;
  now?: () => number;
  /** Announce the wall's new set to the session's public room. */
  announce(sessionId: string, wall: WallSet): void;
  /** Exposure changed: the coalesced counts should go out. */
  exposureChanged(sessionId: string): void;
}

interface SessionRotation {
  mode: 'fresh' | 'top';
  rotation: RotationState;
  /** The highlighted post and since when its wall time is accounted. */
  highlighted: { id: string; since: number } | null;
}

const isListable = (post: Post) => post.status === 'visible' && !post.isHighlighted;

export class WallRotation {
  readonly #states = new Map<string, SessionRotation>();
  /** Sessions whose public posts changed on this node since their last turn. */
  readonly #changed = new Set<string>();
  readonly #now: () => number;
  #isTicking = false;

  constructor(private readonly deps: WallRotationDeps) {
    this.#now = deps.now ?? Date.now;
  }

  /** Public posts of the session changed here: look again on the next tick. */
  postsChanged(sessionId: string): void {
    if (this.#states.has(sessionId)) this.#changed.add(sessionId);
  }

  /** One pass over the sessions with sockets on this node; a pass still running is not doubled. */
  async tick(sessionIds: Iterable<string>): Promise<void> {
    if (this.#isTicking) return;
    this.#isTicking = true;
    try {
      const active = new Set(sessionIds);
      for (const id of this.#states.keys()) if (!active.has(id)) this.#states.delete(id);
      for (const id of active) {
        try {
          await this.#turn(id);
        } catch (error) {
          this.deps.logger.warn({ err: error, sessionId: id }, 'wall rotation failed');
        }
      }
    } finally {
      this.#isTicking = false;
    }
  }

  async #turn(sessionId: string): Promise<void> {
    const session = await this.deps.store.getSession(sessionId);
    const mode = session?.settings.wallMode;
    // [FV2] Freeze and QR-only stop the rotation; other modes have none.
    if (
      !session ||
      (mode !== 'fresh' && mode !== 'top') ||
      session.settings.wallOverride !== 'none'
    ) {
      this.#states.delete(sessionId);
      return;
    }
    // [FV4] One node per session turns the wall; the others stand by.
    if (!(await this.deps.store.claimWallTick(sessionId, this.deps.nodeId, CLAIM_TTL_MS))) {
      this.#states.delete(sessionId);
      return;
    }
    const now = this.#now();
    const config = { intervalSeconds: session.settings.rotationSeconds, slots: WALL_SLOTS };
    let state = this.#states.get(sessionId);
    if (!state || state.mode !== mode) {
      state = { mode, rotation: createRotation(config), highlighted: null };
    }
    const { rotatedAt } = state.rotation;
    const isDue = rotatedAt === null || now - rotatedAt >= config.intervalSeconds * 1000;
    if (!isDue && !this.#changed.has(sessionId) && this.#states.has(sessionId)) return;
    this.#changed.delete(sessionId);

    const [posts, stored] = await Promise.all([
      this.deps.store.listPosts(sessionId),
      this.deps.store.getExposure(sessionId),
    ]);
    const before = new Map(Object.entries(stored));
    // The store's exposure includes the phones' impressions and earlier turns (of any node).
    let rotation: RotationState = {
      ...state.rotation,
      config,
      exposure: before,
      firstShownAt: shownBefore(state.rotation.firstShownAt, before),
    };
    const highlighted = posts.find((p) => p.isHighlighted && p.status !== 'hidden') ?? null;
    const listable = posts.filter(isListable);
    if (mode === 'fresh') {
      rotation = nextWallSet(rotation, now, listable, {
        exclude: highlighted ? [highlighted.id] : [],
      });
    } else {
      rotation = await this.#topTurn(session, rotation, now, listable, isDue);
    }
    // [K5] The highlighted post's time on the wall counts as exposure too.
    if (highlighted && state.highlighted?.id === highlighted.id)
      rotation = recordWallTime(rotation, [highlighted.id], state.highlighted.since, now);

    const added = addedWallSeconds(before, rotation.exposure);
    if (Object.keys(added).length > 0) {
      await this.deps.store.addWallSeconds(sessionId, added);
      this.deps.exposureChanged(sessionId);
    }
    const previous = this.#states.get(sessionId)?.rotation.shown;
    this.#states.set(sessionId, {
      mode,
      rotation,
      highlighted: highlighted ? { id: highlighted.id, since: now } : null,
    });
    if (!previous || !sameList(previous, rotation.shown)) {
      const wall = { postIds: [...rotation.shown], at: now };
      await this.deps.store.saveWall(sessionId, wall);
      this.deps.announce(sessionId, wall);
    }
  }

  /** Top votes: the most-voted listable posts, re-sorted at every turn; wall time accounted. */
  async #topTurn(
    session: Session,
    state: RotationState,
    now: number,
    listable: Post[],
    isDue: boolean,
  ): Promise<RotationState> {
    let next = state;
    if (state.accruedUntil !== null && state.shown.length > 0 && now > state.accruedUntil)
      next = recordWallTime(next, state.shown, state.accruedUntil, now);
    const listableIds = new Set<string>(listable.map((p) => p.id));
    let shown: string[];
    if (isDue) {
      const { votes } = await this.deps.store.getCounts(session.id);
      shown = sortTop(listable, votes)
        .slice(0, WALL_SLOTS)
        .map((p) => p.id);
    } else {
      // Between turns a post that left goes at once; the next turn fills its place.
      shown = state.shown.filter((id) => listableIds.has(id));
    }
    return { ...next, shown, accruedUntil: now, rotatedAt: isDue ? now : state.rotatedAt };
  }
}

/** Posts on the wall before, as far as this node knows: its own record and the stored seconds. */
function shownBefore(
  known: ReadonlyMap<string, number>,
  exposure: ReadonlyMap<string, Exposure>,
): ReadonlyMap<string, number> {
  const out = new Map(known);
  for (const [id, e] of exposure) if (e.wallSeconds > 0 && !out.has(id)) out.set(id, 0);
  return out;
}

function addedWallSeconds(
  before: ReadonlyMap<string, Exposure>,
  after: ReadonlyMap<string, Exposure>,
): Record<string, number> {
  const added: Record<string, number> = {};
  for (const [id, e] of after) {
    const delta = e.wallSeconds - (before.get(id)?.wallSeconds ?? 0);
    if (delta > 0) added[id] = delta;
  }
  return added;
}

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((id, i) => id === b[i]);

/** [FV3] Exposure as screens show it: the score per post, rounded to whole units. */
export function exposureScores(exposure: Record<string, Exposure>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [id, e] of Object.entries(exposure)) {
    const score = Math.round(exposureScore(e));
    if (score > 0) out[id] = score;
  }
  return out;
}
