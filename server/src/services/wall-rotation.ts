/**
 * The wall's rotation on the server (DESIGN "Fair visibility"; SPEC K5, FV2-FV4, WL6). For each
 * session with sockets joined on this node whose wall mode is 'fresh' or 'top', and whose
 * wall is not frozen or showing only the QR code, one node (the holder of the store's claim)
 * turns the wall every `rotationSeconds` with core's `turnWall`: the pinned posts first, then
 * fresh voices or the most voted, the highlighted post excluded. The seconds the listed posts
 * and the highlighted post were up are added to their exposure in the store; a changed list is
 * saved (walls that join later show the same) and announced as `wall:rotation`. Every wall
 * shows that list through core's `wallList`, so the rule lives in core alone.
 *
 * Between turns nothing is read, except for a session whose public posts changed on this
 * node: a listed post that was hidden, answered or highlighted leaves at once and its slot is
 * filled, and a newly pinned post goes first (K5, WL6). A change made on another node is seen
 * at the next turn.
 */
import {
  WALL_SLOTS,
  createRotation,
  createWallState,
  exposureScore,
  isRotatingWallMode,
  isWallDue,
  turnWall,
} from '@gt/core';
import type { Exposure, RotatingWallMode, WallState } from '@gt/core';
import type { Logger } from 'pino';
import type {
  CountStore,
  ExposureStore,
  PostStore,
  SessionStore,
  WallSet,
} from '../store/store.js';

/** How often sessions are looked at; a turn happens when it is due. */
export const WALL_TICK_MS = 1_000;
/** A node that stops ticking (crashed, cut off) leaves the rotation to another after this. */
const CLAIM_TTL_MS = 5_000;

export interface WallRotationDeps {
  store: ExposureStore & CountStore & PostStore & SessionStore;
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
  mode: RotatingWallMode;
  wall: WallState;
}

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
      !mode ||
      !isRotatingWallMode(mode) ||
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
    const known = this.#states.get(sessionId);
    const state: SessionRotation =
      known?.mode === mode ? known : { mode, wall: createWallState(createRotation(config)) };
    // A new state is due at once; a known one when its interval is up or its posts changed.
    const isDue = isWallDue({ ...state.wall.rotation, config }, now);
    if (!isDue && !this.#changed.has(sessionId)) return;
    this.#changed.delete(sessionId);

    const [posts, stored, counts] = await Promise.all([
      this.deps.store.listPosts(sessionId),
      this.deps.store.getExposure(sessionId),
      this.deps.store.getCounts(sessionId),
    ]);
    const before = new Map(Object.entries(stored));
    // The store's exposure includes the phones' impressions and earlier turns (of any node).
    const rotation = {
      ...state.wall.rotation,
      config,
      exposure: before,
      firstShownAt: shownBefore(state.wall.rotation.firstShownAt, before),
    };
    // [WL6] The wall ranks by the votes the room sees: none when the session hides them.
    const votes = session.settings.hideVotes ? {} : counts.votes;
    const turn = turnWall({ ...state.wall, rotation }, { mode, posts, votes, now });

    const added = addedWallSeconds(before, turn.state.rotation.exposure);
    if (Object.keys(added).length > 0) {
      await this.deps.store.addWallSeconds(sessionId, added);
      this.deps.exposureChanged(sessionId);
    }
    this.#states.set(sessionId, { mode, wall: turn.state });
    const shown = turn.state.rotation.shown;
    if (!known || !sameList(known.wall.rotation.shown, shown)) {
      const wall = { postIds: [...shown], at: now };
      await this.deps.store.saveWall(sessionId, wall);
      this.deps.announce(sessionId, wall);
    }
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
