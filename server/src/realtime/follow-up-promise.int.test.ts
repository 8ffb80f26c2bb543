/**
 * [M14] "Follow-up promised by a panel member" end to end: real app, real SQLite and Redis,
 * real socket.io-client connections. The promise travels like any moderation change (versioned,
 * logged, to every stream that sees the post) and reaches its author's receipt.
 */
import { describe, expect, it } from 'vitest';
import { asId, newPost, postAppends } from '@gt/core';
import type { DeviceId, Post, PostId, SessionId } from '@gt/core';
import { commandId, STORE_KINDS, useTestApp, waitFor } from '../testing/test-app.js';
import type { TestApp, TestStore } from '../testing/test-app.js';

const ANNE = { id: 'pm_anne0001', name: 'Anne Berg', party: 'Venstre' };
const OLE = { id: 'pm_ole00001', name: 'Ole Sand', party: '' };

type Promised = { panelMemberId: string; name: string; at: number } | null;
const promisedOf = (u: { payload: Record<string, unknown> }) =>
  (u.payload.post as { followUpPromisedBy?: Promised } | undefined)?.followUpPromisedBy;

describe.each(STORE_KINDS)('follow-up promises on %s', (kind) => {
  let testStore: TestStore;
  let t: TestApp;
  useTestApp(kind, (app, store) => ((t = app), (testStore = store)));

  async function setup() {
    const { session, moderatorToken } = await t.createSession({
      moderation: 'post',
      panel: [ANNE, OLE],
    });
    const moderator = await t.client({ staff: moderatorToken });
    const author = await t.attendee();
    const wall = await t.client();
    for (const c of [moderator, author, wall])
      await c.must('session:join', { sessionId: session.id });
    const { post } = await author.must('post:create', {
      sessionId: session.id,
      commandId: commandId(),
      kind: 'question',
      text: 'Hvornår får Ordrup Skole sin nye gymnastiksal?',
    });
    expect(post.followUpPromisedBy).toBeNull();
    const promise = (panelMemberId: string | null, version: number, id = commandId()) =>
      moderator.call('post:promise-follow-up', {
        sessionId: session.id,
        commandId: id,
        postId: post.id,
        version,
        panelMemberId,
      });
    return { session, moderator, author, wall, post, promise };
  }

  it('[M14] [M4] [ML1] a panel member’s promise reaches the author, the room and the receipt; it is versioned, logged and taken back', async () => {
    const { session, moderator, author, wall, post, promise } = await setup();
    const sameCommand = commandId();
    const promised = await promise(ANNE.id, 1, sameCommand);
    expect(promised).toMatchObject({
      ok: true,
      data: {
        post: {
          version: 2,
          followUpPromisedBy: { panelMemberId: ANNE.id, name: ANNE.name },
        },
      },
    });
    // [I2] A repeat of the command is a replay: the same acknowledgement, no second change.
    expect(await promise(ANNE.id, 1, sameCommand)).toEqual(promised);

    await waitFor('the author to be told privately', () =>
      author.updates.some(
        (u) =>
          u.name === 'post:updated' &&
          u.payload.stream === 'private' &&
          promisedOf(u)?.name === ANNE.name,
      ),
    );
    await waitFor('the room to see who promised', () =>
      wall.updates.some(
        (u) =>
          u.name === 'post:updated' &&
          u.payload.stream === 'public' &&
          promisedOf(u)?.panelMemberId === ANNE.id,
      ),
    );
    const receipt = await t.app.service.getReceipt({ device: author.deviceToken });
    if (!receipt.ok) throw new Error(receipt.error.message);
    expect(receipt.data.posts.map((p) => p.post.followUpPromisedBy?.name)).toEqual([ANNE.name]);

    // A stale version is a conflict with the current post; nobody off the panel can promise.
    expect(await promise(OLE.id, 1)).toMatchObject({
      ok: false,
      error: {
        code: 'conflict',
        details: { current: { version: 2, followUpPromisedBy: { name: ANNE.name } } },
      },
    });
    expect(await promise('pm_nobody01', 2)).toMatchObject({
      ok: false,
      error: { code: 'not_found', details: { field: 'panelMemberId' } },
    });
    expect(await promise(ANNE.id, 2)).toMatchObject({
      ok: false,
      error: { code: 'invalid_state' },
    });

    // Another member takes the promise over; then it is taken back.
    expect(await promise(OLE.id, 2)).toMatchObject({
      ok: true,
      data: { post: { version: 3, followUpPromisedBy: { panelMemberId: OLE.id } } },
    });
    expect(await promise(null, 3)).toMatchObject({
      ok: true,
      data: { post: { version: 4, followUpPromisedBy: null } },
    });
    expect(await promise(null, 4)).toMatchObject({ ok: false, error: { code: 'invalid_state' } });

    const { entries } = await moderator.must('log:list', { sessionId: session.id, limit: 3 });
    expect(entries.map((e) => [e.action, e.postId, e.detail])).toEqual([
      ['unpromise', post.id, OLE.name],
      ['promise', post.id, OLE.name],
      ['promise', post.id, ANNE.name],
    ]);
    const join = await wall.must('session:join', { sessionId: session.id });
    expect(join.streams.public.posts[0]?.followUpPromisedBy).toBeNull();
  });

  it('[M14] [M1] only a public post can be promised; a hidden post keeps its promise and can lose it', async () => {
    const { session, moderator, author, post, promise } = await setup();
    const payload = (postId: string, version: number) => ({
      sessionId: session.id,
      commandId: commandId(),
      postId,
      version,
    });
    expect((await promise(ANNE.id, 1)).ok).toBe(true);
    const { post: hidden } = await moderator.must('post:hide', {
      ...payload(post.id, 2),
      reason: 'Dublet',
    });
    expect(hidden).toMatchObject({ status: 'hidden', followUpPromisedBy: { name: ANNE.name } });
    expect(await promise(OLE.id, 3)).toMatchObject({ ok: false, error: { code: 'invalid_state' } });
    expect(await promise(null, 3)).toMatchObject({
      ok: true,
      data: { post: { status: 'hidden', followUpPromisedBy: null } },
    });

    const { post: other } = await author.must('post:create', {
      sessionId: session.id,
      commandId: commandId(),
      kind: 'idea',
      text: 'Flere bænke ved Gentofte Sø',
    });
    const { post: waiting } = await moderator.must('post:unapprove', payload(other.id, 1));
    expect(waiting.status).toBe('pending');
    expect(
      await moderator.call('post:promise-follow-up', {
        sessionId: session.id,
        commandId: commandId(),
        postId: other.id,
        version: waiting.version,
        panelMemberId: ANNE.id,
      }),
    ).toMatchObject({ ok: false, error: { code: 'invalid_state' } });
  });

  it('[M14] a post stored before promises existed reads as unpromised everywhere, and can be promised', async () => {
    const { session, moderatorToken } = await t.createSession({
      moderation: 'post',
      panel: [ANNE],
    });
    const author = await t.attendee();
    const joined = await author.must('session:join', { sessionId: session.id });
    const device = asId<DeviceId>(joined.you.deviceId!);
    // The shape rows had before the field: written straight to the store.
    const { followUpPromisedBy: _absent, ...old } = newPost({
      id: asId<PostId>('pst_before_promises'),
      sessionId: asId<SessionId>(session.id),
      kind: 'question',
      text: 'Kommer der lys på stien langs Mølleåen?',
      displayName: null,
      authorDevice: device,
      isFromRoom: false,
      moderation: 'post',
      isHeldByFilter: false,
      now: Date.now(),
    });
    const legacy = old as Post;
    const commit = await t.store.insertPost(
      { actor: `dev:${device}`, commandId: commandId() },
      legacy,
      postAppends(null, legacy),
      null,
    );
    expect(commit.kind).toBe('committed');
    // Read back by a store opened afresh, as after a restart.
    const reopened = await testStore.reopen();
    expect(await reopened.getPost(session.id, legacy.id)).not.toHaveProperty('followUpPromisedBy');

    const moderator = await t.client({ staff: moderatorToken });
    const staffJoin = await moderator.must('session:join', { sessionId: session.id });
    expect(staffJoin.streams.staff!.posts.map((p) => p.followUpPromisedBy)).toEqual([null]);
    expect(staffJoin.streams.public.posts.map((p) => p.followUpPromisedBy)).toEqual([null]);
    const receipt = await t.app.service.getReceipt({ device: author.deviceToken });
    expect(receipt.ok && receipt.data.posts.map((p) => p.post.followUpPromisedBy)).toEqual([null]);

    expect(
      await moderator.call('post:promise-follow-up', {
        sessionId: session.id,
        commandId: commandId(),
        postId: legacy.id,
        version: 1,
        panelMemberId: ANNE.id,
      }),
    ).toMatchObject({ ok: true, data: { post: { followUpPromisedBy: { name: ANNE.name } } } });
  });
});
