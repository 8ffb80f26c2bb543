/**
 * [FV2]-[FV4] The wall's rotation over a real store (SQLite and Redis) with a clock the test
 * moves: which posts the wall lists, the wall time they gain, what stops the rotation, and
 * that one node at a time turns a session's wall.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { applySettings, moderate, postAppends } from '@gt/core';
import type { Post, Session, SessionSettings } from '@gt/core';
import type { Store, WallSet } from '../store/store.js';
import { STORE_KINDS, makeTestStore } from '../testing/test-app.js';
import type { TestStore } from '../testing/test-app.js';
import {
  appendsForNew,
  makeCommand,
  makeEvent,
  makeOrg,
  makePost,
  makeSession,
} from '../store/testing/factories.js';
import { WallRotation, exposureScores } from './wall-rotation.js';

/** The posts' ids, typed for destructuring (the tests make as many posts as they name). */
const idsOf = (posts: Post[]) =>
  posts.map((p) => p.id as string) as [string, string, string, string, string, string, string];

describe.each(STORE_KINDS)('wall rotation on %s', (kind) => {
  let testStore: TestStore;
  let store: Store;
  let clock: number;
  let announced: { sessionId: string; wall: WallSet }[];

  const rotation = (nodeId = 'node-a') =>
    new WallRotation({
      store,
      nodeId,
      logger: pino({ level: 'silent' }),
      now: () => clock,
      announce: (sessionId, wall) => announced.push({ sessionId, wall }),
      exposureChanged: () => undefined,
    });

  beforeEach(async () => {
    testStore = await makeTestStore(kind);
    store = testStore.store;
    clock = Date.UTC(2026, 5, 13, 18, 0, 0);
    announced = [];
  });
  afterEach(async () => {
    await testStore.cleanup();
  });

  async function sessionWith(settings: Partial<SessionSettings>, count: number) {
    const org = makeOrg();
    await store.saveOrganisation(org);
    const event = makeEvent(org.id);
    await store.createEvent(event);
    const base = makeSession(event);
    const session = { ...base, settings: { ...base.settings, ...settings } };
    await store.createSession(session);
    const posts: Post[] = [];
    for (let i = 0; i < count; i++) {
      const post = makePost(session, { createdAt: clock - (count - i) * 60_000 });
      await store.insertPost(makeCommand(), post, appendsForNew(post), null);
      posts.push(post);
    }
    return { session, posts };
  }

  async function change(post: Post, next: Post) {
    const commit = await store.updatePosts(
      makeCommand('org'),
      post.sessionId,
      [{ post: next, expectedVersion: post.version }],
      postAppends(post, next),
      null,
    );
    expect(commit.kind).toBe('committed');
    return next;
  }

  async function configure(session: Session, settings: Partial<SessionSettings>) {
    const current = (await store.getSession(session.id))!;
    const next = applySettings(current, settings);
    await store.updateSession(makeCommand('org'), next, current.version, [], null);
  }

  const lastWall = () => announced.at(-1)?.wall.postIds;

  it('[FV2] [K5] fresh voices: oldest never-shown first, a new set every rotationSeconds, the highlighted post never listed but timed', async () => {
    const { session, posts } = await sessionWith({ wallMode: 'fresh', rotationSeconds: 8 }, 7);
    const [a, b, c, d, e, f, g] = idsOf(posts);
    const highlighted = moderate(posts[6]!, { type: 'highlight' }, clock);
    if (!highlighted.ok) throw new Error(highlighted.message);
    await change(posts[6]!, highlighted.post);
    const wall = rotation();

    await wall.tick([session.id]);
    expect(lastWall()).toEqual([a, b, c]);
    expect(await store.getWall(session.id)).toEqual({ postIds: [a, b, c], at: clock });
    clock += 5_000;
    await wall.tick([session.id]);
    expect(announced).toHaveLength(1);
    clock += 3_000;
    await wall.tick([session.id]);
    expect(lastWall()).toEqual([d, e, f]);
    const exposure = await store.getExposure(session.id);
    for (const id of [a, b, c, g]) expect(exposure[id]!.wallSeconds).toBeCloseTo(8, 5);
    expect(exposure[d]).toBeUndefined();
    expect(exposureScores(exposure)).toMatchObject({ [a]: 8, [g]: 8 });
    // The listed posts never include the highlighted one.
    expect(announced.flatMap((x) => x.wall.postIds)).not.toContain(g);
  });

  it('[FV2] [K5] a listed post that is hidden leaves at once and its slot is filled, without a new turn', async () => {
    const { session, posts } = await sessionWith({ wallMode: 'fresh', rotationSeconds: 20 }, 5);
    const [a, b, c, d] = idsOf(posts);
    const wall = rotation();
    await wall.tick([session.id]);
    expect(lastWall()).toEqual([a, b, c]);
    const hidden = moderate(posts[1]!, { type: 'hide', reason: 'x' }, clock);
    if (!hidden.ok) throw new Error(hidden.message);
    await change(posts[1]!, hidden.post);
    clock += 2_000;
    wall.postsChanged(session.id);
    await wall.tick([session.id]);
    expect(lastWall()).toEqual([a, c, d]);
    expect(await store.getWall(session.id)).toEqual({ postIds: [a, c, d], at: clock });
  });

  it('[FV2] top votes: the most-voted listed, re-sorted at each turn', async () => {
    const { session, posts } = await sessionWith({ wallMode: 'top', rotationSeconds: 4 }, 5);
    const [a, b, c, d] = idsOf(posts);
    const vote = (postId: string, device: string) =>
      store.setVote(
        makeCommand(device),
        { sessionId: session.id, postId: postId as Post['id'], deviceId: device, isOn: true },
        null,
      );
    await vote(d, 'dev_1');
    await vote(d, 'dev_2');
    await vote(c, 'dev_1');
    const wall = rotation();
    await wall.tick([session.id]);
    expect(lastWall()).toEqual([d, c, a]);
    await vote(b, 'dev_1');
    await vote(b, 'dev_2');
    await vote(b, 'dev_3');
    clock += 4_000;
    await wall.tick([session.id]);
    expect(lastWall()).toEqual([b, d, c]);
    expect((await store.getExposure(session.id))[a]!.wallSeconds).toBeCloseTo(4, 5);
  });

  const pin = async (post: Post) => {
    const pinned = moderate(post, { type: 'pin' }, clock);
    if (!pinned.ok) throw new Error(pinned.message);
    return change(post, pinned.post);
  };
  const vote = (sessionId: string, postId: string, device: string) =>
    store.setVote(
      makeCommand(device),
      {
        sessionId: sessionId as Post['sessionId'],
        postId: postId as Post['id'],
        deviceId: device,
        isOn: true,
      },
      null,
    );

  it('[FV3] [WL6] a pinned post on the wall earns wall-seconds: first in "top" whatever the votes, in "fresh" it keeps its slot while the others turn', async () => {
    for (const wallMode of ['top', 'fresh'] as const) {
      const { session, posts } = await sessionWith({ wallMode, rotationSeconds: 4 }, 6);
      const [a, b, c, d, e, f] = idsOf(posts);
      for (const [id, devices] of [
        [d, 3],
        [e, 2],
        [f, 1],
      ] as const)
        for (let i = 0; i < devices; i++) await vote(session.id, id, `dev_${i}`);
      await pin(posts[1]!);
      announced = [];
      const wall = rotation();
      await wall.tick([session.id]);
      expect(lastWall(), wallMode).toEqual(wallMode === 'top' ? [b, d, e] : [b, a, c]);
      clock += 4_000;
      await wall.tick([session.id]);
      expect(lastWall(), wallMode).toEqual([b, d, e]);
      clock += 4_000;
      await wall.tick([session.id]);
      const exposure = await store.getExposure(session.id);
      expect(exposure[b]?.wallSeconds, wallMode).toBeCloseTo(8, 5);
      expect(exposureScores(exposure)[b], wallMode).toBe(8);
    }
  });

  it('[WL6] [K5] a post pinned between turns goes first at once, and the wall of a session that hides its votes is not ranked by them', async () => {
    const { session, posts } = await sessionWith(
      { wallMode: 'top', rotationSeconds: 20, hideVotes: true },
      5,
    );
    const [a, b, c, , e] = idsOf(posts);
    await vote(session.id, e, 'dev_1');
    const wall = rotation();
    await wall.tick([session.id]);
    expect(lastWall()).toEqual([a, b, c]);
    await pin(posts[4]!);
    clock += 2_000;
    wall.postsChanged(session.id);
    await wall.tick([session.id]);
    expect(lastWall()).toEqual([e, a, b]);
    expect(await store.getWall(session.id)).toEqual({ postIds: [e, a, b], at: clock });
  });

  it('[FV2] freezing the wall, showing only the QR, or a mode without rotation stops the turns and the wall time', async () => {
    const { session, posts } = await sessionWith({ wallMode: 'fresh', rotationSeconds: 4 }, 6);
    const wall = rotation();
    await wall.tick([session.id]);
    expect(announced).toHaveLength(1);
    for (const settings of [
      { wallOverride: 'freeze' },
      { wallOverride: 'qr' },
      { wallOverride: 'none', wallMode: 'pinned' },
    ] as Partial<SessionSettings>[]) {
      await configure(session, settings);
      clock += 10_000;
      await wall.tick([session.id]);
      expect(announced, JSON.stringify(settings)).toHaveLength(1);
    }
    expect((await store.getExposure(session.id))[posts[0]!.id]).toBeUndefined();
    await configure(session, { wallMode: 'fresh' });
    clock += 1_000;
    await wall.tick([session.id]);
    expect(announced).toHaveLength(2);
  });

  it('[FV4] one node at a time turns a session wall', async () => {
    const { session } = await sessionWith({ wallMode: 'fresh', rotationSeconds: 4 }, 6);
    const a = rotation('node-a');
    const b = rotation('node-b');
    await a.tick([session.id]);
    await b.tick([session.id]);
    clock += 4_000;
    await b.tick([session.id]);
    await a.tick([session.id]);
    // SQLite serves one node, which holds the claim by definition; with Redis only node A turns.
    if (kind === 'redis') expect(announced).toHaveLength(2);
    const exposure = await store.getExposure(session.id);
    const seconds = Object.values(exposure).reduce((sum, e) => sum + e.wallSeconds, 0);
    if (kind === 'redis') expect(seconds).toBeCloseTo(12, 5);
  });
});
