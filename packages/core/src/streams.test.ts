import { describe, it, expect } from 'vitest';
import { asId } from './ids.js';
import type { DeviceId, EventId, OrgId, PostId, SessionId } from './ids.js';
import { fullView, moderate, newPost, POST_STATUSES, publicView } from './post.js';
import type { ModerationAction, NewPostInput, Post } from './post.js';
import { DEFAULT_SETTINGS } from './session.js';
import type { Session } from './session.js';
import { postAppends, privateStream, sessionAppends, streamPosts } from './streams.js';
import type { StreamAppend } from './streams.js';

const T0 = Date.UTC(2026, 7, 21, 18, 0, 0);
const DEVICE = asId<DeviceId>('dev_phone0001');
const OTHER_DEVICE = asId<DeviceId>('dev_phone0002');
let counter = 0;

function makePost(overrides: Partial<NewPostInput> = {}): Post {
  counter += 1;
  return newPost({
    id: asId<PostId>(`pst_test${String(counter).padStart(4, '0')}`),
    sessionId: asId<SessionId>('ses_kulturnat'),
    kind: 'question',
    text: 'Kan biblioteket holde åbent til kl. 22?',
    displayName: null,
    authorDevice: DEVICE,
    isFromRoom: false,
    moderation: 'post',
    isHeldByFilter: false,
    now: T0,
    ...overrides,
  });
}

function apply(post: Post, action: ModerationAction): Post {
  const result = moderate(post, action, T0 + 1000);
  if (!result.ok) throw new Error(result.message);
  return result.post;
}

const streamsOf = (appends: StreamAppend[]) => appends.map((a) => a.stream);
const onStream = (appends: StreamAppend[], stream: string) =>
  appends.filter((a) => a.stream === stream);

describe('postAppends', () => {
  it('[S2] a new visible post goes to the public, staff and author streams', () => {
    const post = makePost();
    const appends = postAppends(null, post);
    expect(streamsOf(appends).sort()).toEqual(['private:dev_phone0001', 'public', 'staff']);
    expect(onStream(appends, 'public')).toEqual([
      { stream: 'public', update: { type: 'post:created', post: publicView(post) } },
    ]);
    expect(onStream(appends, 'staff')).toEqual([
      { stream: 'staff', update: { type: 'post:created', post: fullView(post) } },
    ]);
    expect(onStream(appends, privateStream(DEVICE))).toEqual([
      { stream: 'private:dev_phone0001', update: { type: 'post:created', post: fullView(post) } },
    ]);
  });

  it('[S6] a new pending post goes to staff and its author, never to the public stream', () => {
    const post = makePost({ moderation: 'pre' });
    const appends = postAppends(null, post);
    expect(streamsOf(appends).sort()).toEqual(['private:dev_phone0001', 'staff']);
    expect(onStream(appends, 'staff')[0]?.update).toEqual({
      type: 'post:created',
      post: fullView(post),
    });
  });

  it('[S2] approving a pending post creates it on the public stream and updates it for staff and author', () => {
    const pending = makePost({ moderation: 'pre' });
    const approved = apply(pending, { type: 'approve' });
    const appends = postAppends(pending, approved);
    expect(onStream(appends, 'public')).toEqual([
      { stream: 'public', update: { type: 'post:created', post: publicView(approved) } },
    ]);
    expect(onStream(appends, 'staff')).toEqual([
      { stream: 'staff', update: { type: 'post:updated', post: fullView(approved) } },
    ]);
    expect(onStream(appends, 'private:dev_phone0001')).toEqual([
      {
        stream: 'private:dev_phone0001',
        update: { type: 'post:updated', post: fullView(approved) },
      },
    ]);
  });

  it('[S2] [S6] hiding a visible post withdraws it from the public stream by id only', () => {
    const visible = makePost();
    const hidden = apply(visible, { type: 'hide', reason: 'Personangreb' });
    const appends = postAppends(visible, hidden);
    expect(onStream(appends, 'public')).toEqual([
      { stream: 'public', update: { type: 'post:withdrawn', postId: visible.id } },
    ]);
    expect(JSON.stringify(onStream(appends, 'public'))).not.toContain('Personangreb');
    expect(JSON.stringify(onStream(appends, 'public'))).not.toContain(visible.text);
  });

  it('[M6] the hide reason reaches staff and the author', () => {
    const visible = makePost();
    const hidden = apply(visible, { type: 'hide', reason: 'Personangreb' });
    const appends = postAppends(visible, hidden);
    expect(onStream(appends, 'staff')[0]?.update).toMatchObject({
      type: 'post:updated',
      post: { status: 'hidden', hideReason: 'Personangreb' },
    });
    expect(onStream(appends, 'private:dev_phone0001')[0]?.update).toMatchObject({
      type: 'post:updated',
      post: { hideReason: 'Personangreb' },
    });
  });

  it('[S3] a change the public cannot see does not advance the public stream', () => {
    const hidden = apply(makePost(), { type: 'hide', reason: 'Off topic' });
    const reworded = { ...hidden, hideReason: 'Uden for emnet', version: hidden.version + 1 };
    const appends = postAppends(hidden, reworded);
    expect(streamsOf(appends).sort()).toEqual(['private:dev_phone0001', 'staff']);
  });

  it('[S3] a change the public can see updates the public stream once', () => {
    const visible = makePost();
    const pinned = apply(visible, { type: 'pin' });
    const appends = postAppends(visible, pinned);
    expect(onStream(appends, 'public')).toEqual([
      { stream: 'public', update: { type: 'post:updated', post: publicView(pinned) } },
    ]);
    expect(appends).toHaveLength(3);
  });

  it('[S3] a public post changed only in its held reason does not advance the public stream', () => {
    const visible = makePost();
    const appends = postAppends(visible, { ...visible, heldReason: 'premoderation' });
    expect(streamsOf(appends)).not.toContain('public');
  });

  it('[P8] a post from the room has no private stream to go to', () => {
    const post = makePost({ isFromRoom: true, authorDevice: null });
    const appends = postAppends(null, post);
    expect(streamsOf(appends).sort()).toEqual(['public', 'staff']);
    expect(streamsOf(postAppends(post, apply(post, { type: 'answer' }))).sort()).toEqual([
      'public',
      'staff',
    ]);
  });

  const befores = [null, ...POST_STATUSES] as const;
  const transitions = befores.flatMap((before) =>
    POST_STATUSES.map((after) => ({ before, after })),
  );

  it.each(transitions)(
    '[S6] [P5] going from $before to $after, the public stream sees no non-public post and no update carries the device',
    ({ before, after }) => {
      const base = makePost();
      const beforePost =
        before === null
          ? null
          : { ...base, status: before, hideReason: before === 'hidden' ? 'Spam' : null };
      const afterPost: Post = {
        ...base,
        status: after,
        version: 9,
        hideReason: after === 'hidden' ? 'Spam' : null,
      };
      const appends = postAppends(beforePost, afterPost);
      for (const append of onStream(appends, 'public')) {
        if (append.update.type === 'post:withdrawn') continue;
        expect(append.update.type === 'post:created' || append.update.type === 'post:updated').toBe(
          true,
        );
        if (append.update.type === 'post:created' || append.update.type === 'post:updated') {
          expect(['visible', 'answered']).toContain(append.update.post.status);
          expect(append.update.post.hideReason).toBeNull();
        }
      }
      const isPublicAfter = after === 'visible' || after === 'answered';
      const wasPublic = before === 'visible' || before === 'answered';
      const expectedType = isPublicAfter
        ? wasPublic
          ? 'post:updated'
          : 'post:created'
        : wasPublic
          ? 'post:withdrawn'
          : null;
      expect(onStream(appends, 'public').map((a) => a.update.type)).toEqual(
        expectedType ? [expectedType] : [],
      );
      expect(JSON.stringify(appends)).not.toContain('authorDevice');
      expect(onStream(appends, 'staff')).toHaveLength(1);
    },
  );
});

describe('streamPosts', () => {
  const visible = makePost();
  const answered = apply(makePost(), { type: 'answer' });
  const pending = makePost({ moderation: 'pre' });
  const hidden = apply(makePost({ authorDevice: OTHER_DEVICE }), { type: 'hide', reason: 'Spam' });
  const fromRoom = makePost({ isFromRoom: true, authorDevice: null });
  const all = [visible, answered, pending, hidden, fromRoom];

  it('[S6] [P4] the public snapshot holds only visible and answered posts, in the public view', () => {
    expect(streamPosts('public', all)).toEqual([
      publicView(visible),
      publicView(answered),
      publicView(fromRoom),
    ]);
  });

  it('[S2] the staff snapshot holds every post in full', () => {
    expect(streamPosts('staff', all)).toEqual(all.map(fullView));
  });

  it("[S2] a private snapshot holds only that device's posts, in full", () => {
    expect(streamPosts(privateStream(DEVICE), all)).toEqual([
      fullView(visible),
      fullView(answered),
      fullView(pending),
    ]);
    expect(streamPosts(privateStream(OTHER_DEVICE), all)).toEqual([fullView(hidden)]);
    expect(streamPosts(privateStream(OTHER_DEVICE), all)[0]?.hideReason).toBe('Spam');
  });

  it('[P5] no snapshot carries the device', () => {
    for (const stream of ['public', 'staff', privateStream(DEVICE)] as const) {
      expect(JSON.stringify(streamPosts(stream, all))).not.toContain('dev_phone');
    }
  });
});

describe('sessionAppends', () => {
  const session: Session = {
    id: asId<SessionId>('ses_kulturnat'),
    eventId: asId<EventId>('evt_kulturnat'),
    orgId: asId<OrgId>('org_gentofte'),
    title: 'Fremtidens bibliotek',
    joinCode: '123456',
    settings: { ...DEFAULT_SETTINGS, isOpen: false },
    version: 2,
    createdAt: T0,
  };

  it('[S2] a settings change goes to the public and staff streams, without the organisation', () => {
    const { orgId: _org, ...view } = session;
    expect(sessionAppends(session)).toEqual([
      { stream: 'public', update: { type: 'session:updated', session: view } },
      { stream: 'staff', update: { type: 'session:updated', session: view } },
    ]);
    expect(JSON.stringify(sessionAppends(session))).not.toContain('org_gentofte');
  });
});
