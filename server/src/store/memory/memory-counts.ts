/**
 * The memory store's counts: votes, reactions, exposure and the wall set (CountStore and
 * ExposureStore without their promises). memory-store.ts runs these inside its writes, so a
 * vote is recorded together with its command.
 */
import type { Exposure } from '@gt/core';
import type { Counts, WallSet } from '../store.js';
import { add, inner, json, parse } from './memory-journal.js';

export class MemoryCounts {
  /** sessionId -> postId -> devices that upvoted it */
  readonly #voters = new Map<string, Map<string, Set<string>>>();
  readonly #reactions = new Map<string, Map<string, number>>();
  readonly #wallSeconds = new Map<string, Map<string, number>>();
  readonly #impressions = new Map<string, Map<string, number>>();
  /** sessionId -> "postId deviceId" pairs already counted */
  readonly #seen = new Map<string, Set<string>>();
  readonly #walls = new Map<string, string>();

  /** Set or clear one device's vote; a repeat changes nothing. */
  setVote(sessionId: string, postId: string, deviceId: string, isOn: boolean): void {
    const voters = inner(this.#voters, sessionId);
    let devices = voters.get(postId);
    if (!devices) voters.set(postId, (devices = new Set()));
    if (isOn) devices.add(deviceId);
    else devices.delete(deviceId);
  }

  /** [M13] Each source's voters vote for the target (once each); the sources keep none. */
  mergeVotes(sessionId: string, targetId: string, sourceIds: string[]): void {
    const voters = inner(this.#voters, sessionId);
    const target = voters.get(targetId) ?? new Set<string>();
    for (const sourceId of sourceIds) {
      for (const device of voters.get(sourceId) ?? []) target.add(device);
      voters.delete(sourceId);
    }
    voters.set(targetId, target);
  }

  listDeviceVotes(sessionId: string, deviceId: string): string[] {
    return [...(this.#voters.get(sessionId) ?? new Map<string, Set<string>>())]
      .filter(([, devices]) => devices.has(deviceId))
      .map(([postId]) => postId)
      .sort();
  }

  addReactions(sessionId: string, deltas: Record<string, number>): void {
    const entries = Object.entries(deltas).filter(([, n]) => n !== 0);
    for (const [name, n] of entries)
      if (!Number.isSafeInteger(n))
        throw new TypeError(`reaction delta for ${name} is not an integer: ${n}`);
    const totals = inner(this.#reactions, sessionId);
    for (const [name, n] of entries) add(totals, name, n);
  }

  getCounts(sessionId: string): Counts {
    const votes: Record<string, number> = {};
    for (const [postId, devices] of this.#voters.get(sessionId) ?? [])
      if (devices.size > 0) votes[postId] = devices.size;
    return { votes, reactions: Object.fromEntries(this.#reactions.get(sessionId) ?? []) };
  }

  addImpressions(sessionId: string, deviceId: string, postIds: string[]): string[] {
    let seen = this.#seen.get(sessionId);
    if (!seen) this.#seen.set(sessionId, (seen = new Set()));
    const counted: string[] = [];
    for (const postId of new Set(postIds)) {
      const pair = `${postId} ${deviceId}`;
      if (seen.has(pair)) continue;
      seen.add(pair);
      add(inner(this.#impressions, sessionId), postId, 1);
      counted.push(postId);
    }
    return counted;
  }

  addWallSeconds(sessionId: string, seconds: Record<string, number>): void {
    const entries = Object.entries(seconds).filter(([, n]) => n > 0);
    for (const [postId, n] of entries)
      if (!Number.isFinite(n))
        throw new TypeError(`wall seconds for ${postId} is not finite: ${n}`);
    const totals = inner(this.#wallSeconds, sessionId);
    for (const [postId, n] of entries) add(totals, postId, n);
  }

  getExposure(sessionId: string): Record<string, Exposure> {
    const wall = this.#wallSeconds.get(sessionId) ?? new Map<string, number>();
    const seen = this.#impressions.get(sessionId) ?? new Map<string, number>();
    const out: Record<string, Exposure> = {};
    for (const postId of new Set([...wall.keys(), ...seen.keys()]))
      out[postId] = { wallSeconds: wall.get(postId) ?? 0, impressions: seen.get(postId) ?? 0 };
    return out;
  }

  saveWall(sessionId: string, wall: WallSet): void {
    this.#walls.set(sessionId, json(wall));
  }

  getWall(sessionId: string): WallSet | null {
    return parse<WallSet>(this.#walls.get(sessionId));
  }
}
