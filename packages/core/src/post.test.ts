import { describe, it, expect } from 'vitest';
import { topicTitleFromText } from './topic.js';
import { asId } from './ids.js';
import type { DeviceId, PostId, SessionId } from './ids.js';
import { canApply } from './post-actions.js';
import {
  editText,
  fullView,
  highlightChanges,
  mergeChanges,
  isPublic,
  moderate,
  newPost,
  POST_STATUSES,
  publicView,
} from './post.js';
import type { ModerationAction, ModerationType, NewPostInput, Post, PostStatus } from './post.js';

const T0 = Date.UTC(2026, 7, 21, 18, 0, 0);
const LATER = T0 + 60_000;
let counter = 0;

function makeInput(overrides: Partial<NewPostInput> = {}): NewPostInput {
  counter += 1;
  return {
    id: asId<PostId>(`pst_test${String(counter).padStart(4, '0')}`),
    sessionId: asId<SessionId>('ses_kulturnat'),
    kind: 'question',
    text: 'Hvornår kommer der cykelstier på Bernstorffsvej?',
    displayName: null,
    authorDevice: asId<DeviceId>('dev_phone0001'),
    isFromRoom: false,
    moderation: 'post',
    isHeldByFilter: false,
    now: T0,
    ...overrides,
  };
}

function makePost(overrides: Partial<Post> = {}): Post {
  return { ...newPost(makeInput()), version: 3, ...overrides };
}

describe('newPost', () => {
  it('[P1] [P2] under post-moderation a new post is visible at version 1, with no flags', () => {
    const post = newPost(makeInput({ moderation: 'post', displayName: 'Mette', kind: 'idea' }));
    expect(post).toMatchObject({
      kind: 'idea',
      displayName: 'Mette',
      status: 'visible',
      heldReason: null,
      hideReason: null,
      version: 1,
      createdAt: T0,
      updatedAt: T0,
      isHighlighted: false,
      isPinned: false,
      isFromRoom: false,
      authorDevice: 'dev_phone0001',
    });
  });

  it('[P2] under pre-moderation a new post is pending, held for pre-moderation', () => {
    const post = newPost(makeInput({ moderation: 'pre' }));
    expect(post.status).toBe('pending');
    expect(post.heldReason).toBe('premoderation');
    expect(isPublic(post)).toBe(false);
  });

  it.each(['pre', 'post'] as const)(
    '[P2] a post the word filter holds is pending under %s-moderation, held by the filter',
    (moderation) => {
      const post = newPost(makeInput({ moderation, isHeldByFilter: true }));
      expect(post.status).toBe('pending');
      expect(post.heldReason).toBe('word_filter');
    },
  );

  it('[P6] a post without a name is anonymous', () => {
    expect(newPost(makeInput()).displayName).toBeNull();
  });

  it('[P8] a post from the room has no device', () => {
    const post = newPost(makeInput({ isFromRoom: true, authorDevice: null }));
    expect(post.isFromRoom).toBe(true);
    expect(post.authorDevice).toBeNull();
  });
});

describe('isPublic', () => {
  it.each([
    ['pending', false],
    ['visible', true],
    ['answered', true],
    ['hidden', false],
  ] as const)('[P3] a %s post is public: %s', (status, expected) => {
    expect(isPublic({ status })).toBe(expected);
  });
});

describe('canApply on a view of a post', () => {
  // Clients hold views (PostView, a wire post), not Posts: the status and the merge mark are
  // all the rule reads, so a view asks it directly and gets the same answer as moderate.
  it.each(POST_STATUSES)('[M1] answers for a %s view as moderate does for the post', (status) => {
    const post = makePost({ status });
    const view = fullView(post);
    const actions: ModerationAction[] = [
      { type: 'approve' },
      { type: 'hide', reason: 'Personangreb' },
      { type: 'restore' },
      { type: 'answer' },
      { type: 'highlight' },
      { type: 'pin' },
      { type: 'promise', panelMemberId: 'pm_anne', name: 'Anne Berg' },
    ];
    for (const action of actions)
      expect(canApply(view, action.type)).toBe(moderate(post, action, LATER).ok);
  });

  it('[M13] refuses to restore a merged hidden post, from its status and mark alone', () => {
    expect(canApply({ status: 'hidden', mergedInto: 'pst_target' }, 'restore')).toBe(false);
    expect(canApply({ status: 'hidden', mergedInto: null }, 'restore')).toBe(true);
    expect(canApply({ status: 'hidden' }, 'restore')).toBe(true);
  });
});

describe('moderate: the transition table', () => {
  // SPEC M1, written out independently of the code's table.
  const ALLOWED: Record<ModerationType, { from: readonly PostStatus[]; to: PostStatus | 'same' }> =
    {
      approve: { from: ['pending'], to: 'visible' },
      hide: { from: ['pending', 'visible', 'answered'], to: 'hidden' },
      restore: { from: ['hidden'], to: 'visible' },
      answer: { from: ['visible'], to: 'answered' },
      highlight: { from: ['visible', 'answered'], to: 'same' },
      unhighlight: { from: ['pending', 'visible', 'answered', 'hidden'], to: 'same' },
      pin: { from: ['visible', 'answered'], to: 'same' },
      unpin: { from: ['pending', 'visible', 'answered', 'hidden'], to: 'same' },
      reopen: { from: ['answered'], to: 'visible' },
      unapprove: { from: ['visible'], to: 'pending' },
      tag: { from: ['pending', 'visible', 'answered', 'hidden'], to: 'same' },
      direct: { from: ['pending', 'visible', 'answered', 'hidden'], to: 'same' },
      promise: { from: ['visible', 'answered'], to: 'same' },
      unpromise: { from: ['pending', 'visible', 'answered', 'hidden'], to: 'same' },
    };
  const ACTIONS: Record<ModerationType, ModerationAction> = {
    approve: { type: 'approve' },
    hide: { type: 'hide', reason: 'Personangreb' },
    restore: { type: 'restore' },
    answer: { type: 'answer' },
    highlight: { type: 'highlight' },
    unhighlight: { type: 'unhighlight' },
    pin: { type: 'pin' },
    unpin: { type: 'unpin' },
    reopen: { type: 'reopen' },
    unapprove: { type: 'unapprove' },
    tag: { type: 'tag', topicId: 'top_cykelstier' },
    direct: { type: 'direct', panelMemberId: 'pm_anne' },
    promise: { type: 'promise', panelMemberId: 'pm_anne', name: 'Anne Berg' },
    unpromise: { type: 'unpromise' },
  };

  const cases = (Object.keys(ALLOWED) as ModerationType[]).flatMap((type) =>
    POST_STATUSES.map((status) => ({
      type,
      status,
      isAllowed: ALLOWED[type].from.includes(status),
    })),
  );

  it('[M1] the table covers every action and every status', () => {
    expect(cases).toHaveLength(14 * 4);
    expect(POST_STATUSES).toEqual(['pending', 'visible', 'answered', 'hidden']);
  });

  it.each(cases)(
    '[M1] [M5] $type on a $status post is allowed: $isAllowed',
    ({ type, status, isAllowed }) => {
      // Highlighted, pinned and promised, so that unhighlight, unpin and unpromise have
      // something to take off.
      const post = makePost({
        status,
        isHighlighted: true,
        isPinned: true,
        followUpPromisedBy: { panelMemberId: 'pm_other', name: 'Ole Sand', at: T0 },
      });
      const copy = { ...post };
      const result = moderate(post, ACTIONS[type], LATER);
      expect(post).toEqual(copy);
      if (!isAllowed) {
        expect(result).toMatchObject({ ok: false, code: 'invalid_state' });
        return;
      }
      if (!result.ok) throw new Error(`expected ${type} on ${status} to apply: ${result.message}`);
      const to = ALLOWED[type].to;
      expect(result.post.status).toBe(to === 'same' ? status : to);
      expect(result.post.version).toBe(post.version + 1);
      expect(result.post.updatedAt).toBe(LATER);
      expect(result.post.createdAt).toBe(T0);
      expect(result.post.id).toBe(post.id);
      expect(result.post.text).toBe(post.text);
    },
  );

  it.each(POST_STATUSES)(
    '[M1] unhighlight and unpin on a %s post without the flag are refused',
    (status) => {
      const post = makePost({ status, isHighlighted: false, isPinned: false });
      expect(moderate(post, { type: 'unhighlight' }, LATER)).toMatchObject({
        ok: false,
        code: 'invalid_state',
      });
      expect(moderate(post, { type: 'unpin' }, LATER)).toMatchObject({
        ok: false,
        code: 'invalid_state',
      });
    },
  );
});

describe('moderate: what each action changes', () => {
  const apply = (post: Post, action: ModerationAction) => {
    const result = moderate(post, action, LATER);
    if (!result.ok) throw new Error(result.message);
    return result.post;
  };

  it('[M1] approving clears why the post waited', () => {
    const post = apply(makePost({ status: 'pending', heldReason: 'premoderation' }), {
      type: 'approve',
    });
    expect(post.status).toBe('visible');
    expect(post.heldReason).toBeNull();
  });

  it.each(['visible', 'answered'] as const)(
    '[M2] [M6] hiding a highlighted, pinned %s post takes both off and keeps the reason',
    (status) => {
      const post = apply(makePost({ status, isHighlighted: true, isPinned: true }), {
        type: 'hide',
        reason: 'Nævner en privatperson',
      });
      expect(post.status).toBe('hidden');
      expect(post.isHighlighted).toBe(false);
      expect(post.isPinned).toBe(false);
      expect(post.hideReason).toBe('Nævner en privatperson');
    },
  );

  it('[M6] restoring clears the hide reason', () => {
    const hidden = apply(makePost({ status: 'visible' }), { type: 'hide', reason: 'Off topic' });
    const restored = apply(hidden, { type: 'restore' });
    expect(restored.status).toBe('visible');
    expect(restored.hideReason).toBeNull();
    expect(restored.heldReason).toBeNull();
    expect(restored.version).toBe(hidden.version + 1);
  });

  it('[M1] answering, highlighting and pinning set what they name and nothing else', () => {
    const visible = makePost({ status: 'visible' });
    expect(apply(visible, { type: 'answer' })).toEqual({
      ...visible,
      status: 'answered',
      version: 4,
      updatedAt: LATER,
    });
    expect(apply(visible, { type: 'highlight' })).toEqual({
      ...visible,
      isHighlighted: true,
      version: 4,
      updatedAt: LATER,
    });
    expect(apply(visible, { type: 'pin' })).toEqual({
      ...visible,
      isPinned: true,
      version: 4,
      updatedAt: LATER,
    });
  });
});

describe('highlightChanges', () => {
  it('[M3] highlighting a post takes the highlight off the previous one, the target last', () => {
    const previous = makePost({ status: 'answered', isHighlighted: true, version: 7 });
    const bystander = makePost({ status: 'visible', isHighlighted: false, version: 2 });
    const target = makePost({ status: 'visible', version: 4 });
    const result = highlightChanges(target, [previous, bystander, target], LATER);
    if (!result.ok) throw new Error(result.message);
    expect(result.changes).toHaveLength(2);
    const [cleared, highlighted] = result.changes;
    expect(cleared).toEqual({
      before: previous,
      after: { ...previous, isHighlighted: false, version: 8, updatedAt: LATER },
    });
    expect(highlighted).toEqual({
      before: target,
      after: { ...target, isHighlighted: true, version: 5, updatedAt: LATER },
    });
  });

  it('[M3] highlighting the post that already has the highlight changes only that post', () => {
    const target = makePost({ status: 'visible', isHighlighted: true });
    const result = highlightChanges(target, [target], LATER);
    if (!result.ok) throw new Error(result.message);
    expect(result.changes.map((c) => c.after.id)).toEqual([target.id]);
  });

  it.each(['pending', 'hidden'] as const)(
    '[M3] a %s post cannot be highlighted, and nothing else changes',
    (status) => {
      const previous = makePost({ status: 'visible', isHighlighted: true });
      const result = highlightChanges(makePost({ status }), [previous], LATER);
      expect(result).toMatchObject({ ok: false, code: 'invalid_state' });
      expect(previous.isHighlighted).toBe(true);
    },
  );
});

describe('views', () => {
  const post = makePost({
    status: 'hidden',
    heldReason: 'word_filter',
    hideReason: 'Personangreb',
    displayName: 'Ole',
  });

  it('[P5] neither view carries the device', () => {
    for (const view of [publicView(post), fullView(post)]) {
      expect(Object.keys(view)).not.toContain('authorDevice');
      expect(JSON.stringify(view)).not.toContain('dev_phone0001');
    }
  });

  it('[P4] the public view blanks the held and hide reasons and keeps the rest', () => {
    const view = publicView(post);
    expect(view.heldReason).toBeNull();
    expect(view.hideReason).toBeNull();
    expect(view).toMatchObject({
      id: post.id,
      text: post.text,
      displayName: 'Ole',
      version: post.version,
      status: 'hidden',
    });
  });

  it('[M6] the full view keeps the reasons, for staff and the author', () => {
    const view = fullView(post);
    expect(view.heldReason).toBe('word_filter');
    expect(view.hideReason).toBe('Personangreb');
  });
});

describe('editText', () => {
  it('[M7] a correction keeps every earlier wording, oldest first, and bumps the version', () => {
    const post = makePost({ text: 'Hvornår kommer cykelstien på Bernstorfsvej?' });
    const first = editText(post, 'Hvornår kommer cykelstien på Bernstorffsvej?', LATER);
    if (!first.ok) throw new Error(first.message);
    const second = editText(
      first.post,
      'Hvornår kommer cykelstierne på Bernstorffsvej?',
      LATER + 1,
    );
    if (!second.ok) throw new Error(second.message);
    expect(second.post.history).toEqual([
      { text: 'Hvornår kommer cykelstien på Bernstorfsvej?', editedAt: LATER },
      { text: 'Hvornår kommer cykelstien på Bernstorffsvej?', editedAt: LATER + 1 },
    ]);
    expect(second.post.version).toBe(post.version + 2);
    expect(publicView(second.post).history).toHaveLength(2);
  });

  it('[M7] an unchanged text is refused, and a post stored before history existed gets an empty one in views', () => {
    const post = makePost();
    expect(editText(post, post.text, LATER)).toMatchObject({ ok: false, code: 'invalid_state' });
    const { history: _gone, ...legacy } = post;
    expect(fullView(legacy as Post).history).toEqual([]);
  });
});

describe('tags and directions', () => {
  it('[M8] [M9] [M10] a post starts untagged and undirected; old rows without the fields read as null', () => {
    const post = makePost({});
    expect([post.topicId, post.directedTo]).toEqual([null, null]);
    const { topicId: _t, directedTo: _d, ...old } = post;
    const view = fullView(old as typeof post);
    expect([view.topicId, view.directedTo]).toEqual([null, null]);
    expect(publicView(old as typeof post)).toMatchObject({ topicId: null, directedTo: null });
  });

  it('[M8] [M9] tagging and directing set the field, raise the version, and setting the same again is refused', () => {
    const tagged = moderate(makePost({}), { type: 'tag', topicId: 'top_1' }, LATER);
    if (!tagged.ok) throw new Error(tagged.message);
    expect(tagged.post).toMatchObject({ topicId: 'top_1', version: 4 });
    expect(moderate(tagged.post, { type: 'tag', topicId: 'top_1' }, LATER)).toMatchObject({
      ok: false,
      code: 'invalid_state',
    });
    const untagged = moderate(tagged.post, { type: 'tag', topicId: null }, LATER);
    expect(untagged.ok && untagged.post.topicId).toBeNull();
    const directed = moderate(makePost({}), { type: 'direct', panelMemberId: 'pm_1' }, LATER);
    expect(directed.ok && directed.post.directedTo).toBe('pm_1');
  });

  it('[M11] a topic title from a post is its first line, cut at a word to 80 graphemes with an ellipsis', () => {
    expect(topicTitleFromText('Flere cykelstier\nog mere lys')).toBe('Flere cykelstier');
    const long = 'Hvorfor '.repeat(20).trim();
    const title = topicTitleFromText(long);
    expect(title.endsWith('…')).toBe(true);
    expect([...new Intl.Segmenter().segment(title)].length).toBeLessThanOrEqual(80);
    expect(
      title
        .slice(0, -1)
        .split(' ')
        .every((w) => w === 'Hvorfor'),
    ).toBe(true);
    const word = 'Spørgsmålsstillerrettighedsbeskyttelseslovgivning'.repeat(3);
    expect([...new Intl.Segmenter().segment(topicTitleFromText(word))].length).toBe(80);
  });
});

describe('follow-up promised', () => {
  const anne = { type: 'promise', panelMemberId: 'pm_anne', name: 'Anne Berg' } as const;

  it('[M14] a post starts with no promise, and posts stored before promises existed read as none', () => {
    const post = makePost({});
    expect(post.followUpPromisedBy).toBeNull();
    const { followUpPromisedBy: _gone, ...old } = post;
    expect(fullView(old as Post).followUpPromisedBy).toBeNull();
    expect(publicView(old as Post).followUpPromisedBy).toBeNull();
    // An old row can be promised and then reads like any other.
    const promised = moderate(old as Post, anne, LATER);
    expect(promised.ok && promised.post.followUpPromisedBy).toEqual({
      panelMemberId: 'pm_anne',
      name: 'Anne Berg',
      at: LATER,
    });
    expect(moderate(old as Post, { type: 'unpromise' }, LATER)).toMatchObject({
      ok: false,
      code: 'invalid_state',
    });
  });

  it('[M14] a promise names the member and the time, raises the version, and is public; the same member again is refused, another replaces it', () => {
    const post = makePost({ status: 'answered' });
    const promised = moderate(post, anne, LATER);
    if (!promised.ok) throw new Error(promised.message);
    expect(promised.post).toMatchObject({
      status: 'answered',
      version: post.version + 1,
      followUpPromisedBy: { panelMemberId: 'pm_anne', name: 'Anne Berg', at: LATER },
    });
    // Who promised is no secret: the room heard it.
    expect(publicView(promised.post).followUpPromisedBy?.name).toBe('Anne Berg');
    expect(moderate(promised.post, anne, LATER + 1)).toMatchObject({
      ok: false,
      code: 'invalid_state',
    });
    const ole = moderate(
      promised.post,
      { type: 'promise', panelMemberId: 'pm_ole', name: 'Ole Sand' },
      LATER + 2,
    );
    expect(ole.ok && ole.post.followUpPromisedBy).toEqual({
      panelMemberId: 'pm_ole',
      name: 'Ole Sand',
      at: LATER + 2,
    });
  });

  it('[M14] taking a promise back clears it and raises the version; a hidden post keeps its promise until then', () => {
    const promised = moderate(makePost({ status: 'visible' }), anne, LATER);
    if (!promised.ok) throw new Error(promised.message);
    const hidden = moderate(promised.post, { type: 'hide', reason: 'Dublet' }, LATER + 1);
    if (!hidden.ok) throw new Error(hidden.message);
    expect(hidden.post.followUpPromisedBy?.panelMemberId).toBe('pm_anne');
    const cleared = moderate(hidden.post, { type: 'unpromise' }, LATER + 2);
    if (!cleared.ok) throw new Error(cleared.message);
    expect(cleared.post).toMatchObject({
      followUpPromisedBy: null,
      status: 'hidden',
      version: hidden.post.version + 1,
    });
    expect(moderate(cleared.post, { type: 'unpromise' }, LATER + 3)).toMatchObject({
      ok: false,
      code: 'invalid_state',
    });
  });
});

describe('undo: the inverses of answer and approve', () => {
  it('[M12] reopening an answered post makes it visible again; unapproving a visible post puts it back in the queue, off the wall', () => {
    const answered = makePost({ status: 'answered' });
    const reopened = moderate(answered, { type: 'reopen' }, LATER);
    expect(reopened.ok && reopened.post.status).toBe('visible');
    const shown = makePost({ status: 'visible', isHighlighted: true, isPinned: true });
    const back = moderate(shown, { type: 'unapprove' }, LATER);
    if (!back.ok) throw new Error(back.message);
    expect(back.post).toMatchObject({
      status: 'pending',
      heldReason: 'premoderation',
      isHighlighted: false,
      isPinned: false,
      version: shown.version + 1,
    });
    expect(isPublic(back.post)).toBe(false);
  });
});

describe('mergeChanges', () => {
  const session = asId<SessionId>('ses_kulturnat');
  const mk = (id: string, overrides: Partial<Post> = {}): Post =>
    makePost({ id: asId<PostId>(id), sessionId: session, ...overrides });

  it('[M13] hides the sources, points them at the target and shows their texts under it', () => {
    const target = mk('pst_target', { status: 'visible' });
    const a = mk('pst_a', {
      status: 'pending',
      text: 'Cykelstier?',
      displayName: 'Ib',
      isPinned: true,
      authorDevice: asId<DeviceId>('dev_a'),
    });
    const b = mk('pst_b', { status: 'answered', isHighlighted: true, authorDevice: null });
    const result = mergeChanges(target, [a, b], LATER);
    if (!result.ok) throw new Error(result.message);
    const [ca, cb, ct] = result.changes;
    expect(ca!.after).toMatchObject({
      status: 'hidden',
      mergedInto: 'pst_target',
      isPinned: false,
      version: a.version + 1,
      updatedAt: LATER,
    });
    expect(cb!.after).toMatchObject({ status: 'hidden', isHighlighted: false });
    expect(ct!.after.version).toBe(target.version + 1);
    const view = fullView(ct!.after);
    expect(view.merged).toEqual([
      { id: 'pst_a', text: 'Cykelstier?', authorName: 'Ib' },
      { id: 'pst_b', text: b.text, authorName: null },
    ]);
    // The target's device, dev_a, and the room post b: three voices; no device on the wire.
    expect(view.voices).toBe(3);
    expect(JSON.stringify(view)).not.toContain('dev_');
    expect(publicView(ca!.after)).toBeDefined();
    expect(isPublic(ca!.after)).toBe(false);
  });

  it('[M13] counts an author who wrote both the target and a source once', () => {
    const target = mk('pst_target');
    const same = mk('pst_same'); // the same device as the target (makeInput's default)
    const result = mergeChanges(target, [same], LATER);
    if (!result.ok) throw new Error(result.message);
    expect(fullView(result.changes[1]!.after).voices).toBe(1);
  });

  it('[M13] refuses a hidden target or source, the target itself, repeats and other sessions', () => {
    const target = mk('pst_target');
    const fine = mk('pst_fine');
    expect(mergeChanges(mk('pst_h', { status: 'hidden' }), [fine], LATER).ok).toBe(false);
    expect(mergeChanges(target, [mk('pst_h2', { status: 'hidden' })], LATER).ok).toBe(false);
    expect(mergeChanges(target, [target], LATER).ok).toBe(false);
    expect(mergeChanges(target, [fine, fine], LATER).ok).toBe(false);
    expect(mergeChanges(target, [], LATER).ok).toBe(false);
    const other = mk('pst_other', { sessionId: asId<SessionId>('ses_other') });
    expect(mergeChanges(target, [other], LATER).ok).toBe(false);
    expect(mergeChanges(mk('pst_pending', { status: 'pending' }), [fine], LATER).ok).toBe(true);
  });

  it('[M13] a merged post is not restored', () => {
    const result = mergeChanges(mk('pst_target'), [mk('pst_src')], LATER);
    if (!result.ok) throw new Error(result.message);
    const source = result.changes[0]!.after;
    expect(moderate(source, { type: 'restore' }, LATER)).toMatchObject({
      ok: false,
      code: 'invalid_state',
    });
    expect(moderate(mk('pst_plain', { status: 'hidden' }), { type: 'restore' }, LATER).ok).toBe(
      true,
    );
  });

  it('[M13] reads posts stored before merges existed as unmerged', () => {
    const old = mk('pst_old') as Partial<Post>;
    delete old.mergedInto;
    delete old.merged;
    delete old.mergedAuthors;
    const view = fullView(old as Post);
    expect(view).toMatchObject({ mergedInto: null, merged: [], voices: 1 });
  });
});
