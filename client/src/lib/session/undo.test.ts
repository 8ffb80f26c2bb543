import { describe, expect, it } from 'vitest';
import type { ViewPost } from '../realtime/replica-view.js';
import { postWire } from '../realtime/testing/post-wire.js';
import { inverseOf } from './undo.js';

const post = (change: Partial<ViewPost> = {}): ViewPost => ({
  ...postWire('pst_00000001'),
  isMine: false,
  ...change,
});

describe('[MC3] undo: the compensating commands', () => {
  it('hide is undone by restore, giving back the highlight and pin it took (M2)', () => {
    const before = post({ isHighlighted: true, isPinned: true });
    expect(inverseOf('hide', before, null).map((s) => s.action)).toEqual([
      'restore',
      'pin',
      'highlight',
    ]);
    expect(inverseOf('hide', post(), null).map((s) => s.action)).toEqual(['restore']);
  });

  it('a hidden pending post comes back pending: restore, then unapprove', () => {
    expect(inverseOf('hide', post({ status: 'pending' }), null).map((s) => s.action)).toEqual([
      'restore',
      'unapprove',
    ]);
  });

  it('restore is undone by hiding again with the reason it had', () => {
    expect(
      inverseOf('restore', post({ status: 'hidden', hideReason: 'Er allerede spurgt' }), null),
    ).toEqual([{ action: 'hide', postId: 'pst_00000001', reason: 'Er allerede spurgt' }]);
  });

  it('highlight gives the wall back to the post that had it (M3), or takes it off', () => {
    const previous = post({ id: 'pst_00000002', isHighlighted: true });
    expect(inverseOf('highlight', post(), previous)).toEqual([
      { action: 'highlight', postId: 'pst_00000002' },
    ]);
    expect(inverseOf('highlight', post(), null)).toEqual([
      { action: 'unhighlight', postId: 'pst_00000001' },
    ]);
  });

  it('pin and unpin, highlight and unhighlight undo each other; an edit restores the wording', () => {
    expect(inverseOf('pin', post(), null)[0]?.action).toBe('unpin');
    expect(inverseOf('unpin', post({ isPinned: true }), null)[0]?.action).toBe('pin');
    expect(inverseOf('unhighlight', post({ isHighlighted: true }), null)[0]?.action).toBe(
      'highlight',
    );
    expect(inverseOf('edit', post({ text: 'Før' }), null)).toEqual([
      { action: 'edit', postId: 'pst_00000001', text: 'Før' },
    ]);
  });

  it('approve is undone by unapprove, answer by reopen, and the other way round (M1)', () => {
    expect(inverseOf('approve', post({ status: 'pending' }), null)).toEqual([
      { action: 'unapprove', postId: 'pst_00000001' },
    ]);
    expect(inverseOf('answer', post(), null)).toEqual([
      { action: 'reopen', postId: 'pst_00000001' },
    ]);
    expect(inverseOf('unapprove', post(), null)[0]?.action).toBe('approve');
    expect(inverseOf('reopen', post({ status: 'answered' }), null)[0]?.action).toBe('answer');
  });

  it('tag and direct are undone by setting back what the post had', () => {
    expect(inverseOf('tag', post({ topicId: 'tpc_00000009' }), null)).toEqual([
      { action: 'tag', postId: 'pst_00000001', topicId: 'tpc_00000009' },
    ]);
    expect(inverseOf('to-topic', post({ topicId: null }), null)).toEqual([
      { action: 'tag', postId: 'pst_00000001', topicId: null },
    ]);
    expect(inverseOf('direct', post({ directedTo: null }), null)).toEqual([
      { action: 'direct', postId: 'pst_00000001', panelMemberId: null },
    ]);
  });

  it('[M14] a follow-up promise is undone by the promise the post had: none, or the earlier member’s', () => {
    expect(inverseOf('promise-follow-up', post(), null)).toEqual([
      { action: 'promise-follow-up', postId: 'pst_00000001', panelMemberId: null },
    ]);
    const promised = post({
      followUpPromisedBy: { panelMemberId: 'pm_anne0001', name: 'Anne Berg', at: 1 },
    });
    expect(inverseOf('promise-follow-up', promised, null)).toEqual([
      { action: 'promise-follow-up', postId: 'pst_00000001', panelMemberId: 'pm_anne0001' },
    ]);
  });
});
