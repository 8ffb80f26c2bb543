import { describe, expect, it } from 'vitest';
import type { OutboxItem } from './outbox.js';
import { effectiveVotes, mergePosts, shortHash } from './replica-view.js';
import { postWire } from './testing/post-wire.js';

const post = postWire;

describe('merging the streams into what a screen shows', () => {
  it('shows an attendee the public posts plus their own pending and hidden ones, marked as theirs', () => {
    const merged = mergePosts({
      public: [post('a', { createdAt: 1 }), post('mine', { createdAt: 2 })],
      private: [
        post('mine', { createdAt: 2 }),
        post('waiting', { createdAt: 3, status: 'pending', heldReason: 'premoderation' }),
        post('gone', { createdAt: 4, status: 'hidden', hideReason: 'off topic', version: 2 }),
      ],
    });
    expect(merged.map((p) => [p.id, p.status, p.isMine])).toEqual([
      ['a', 'visible', false],
      ['mine', 'visible', true],
      ['waiting', 'pending', true],
      ['gone', 'hidden', true],
    ]);
    expect(merged[3]!.hideReason).toBe('off topic');
  });

  it('takes the newer copy when one stream is a moment behind the other', () => {
    const merged = mergePosts({
      public: [post('p', { version: 3, isPinned: true })],
      private: [post('p', { version: 2 })],
    });
    expect(merged[0]).toMatchObject({ version: 3, isPinned: true, isMine: true });
  });

  it('gives staff the staff stream only, with newer acknowledged copies laid over it', () => {
    const merged = mergePosts({
      public: [post('public-only')],
      staff: [post('a'), post('b', { status: 'pending' })],
      private: [post('b', { status: 'pending' })],
      acknowledged: [
        post('b', { status: 'visible', version: 2 }),
        post('a', { version: 1, text: 'old' }),
      ],
    });
    expect(merged.map((p) => [p.id, p.status, p.version, p.text, p.isMine])).toEqual([
      ['a', 'visible', 1, 'a', false],
      ['b', 'visible', 2, 'b', true],
    ]);
  });

  it('lets an attendee see their acknowledged post before the private stream brings it, and nobody else’s', () => {
    const merged = mergePosts({
      public: [],
      private: [],
      acknowledged: [post('new'), post('someone-else')],
      ownIds: new Set(['new']),
    });
    expect(merged.map((p) => [p.id, p.isMine])).toEqual([['new', true]]);
  });
});

describe('votes with the outbox laid over', () => {
  it('adds pending upvotes and removes pending take-backs, in order; failed ones change nothing', () => {
    const vote = (postId: string, isOn: boolean, state: 'sending' | 'failed' = 'sending') =>
      ({
        commandId: `c_${postId}_${isOn}`,
        name: 'post:upvote',
        payload: { sessionId: 's', commandId: `c_${postId}_${isOn}`, postId, isOn },
        createdAt: 1,
        state,
      }) as OutboxItem;
    const votes = effectiveVotes(
      ['kept', 'taken-back'],
      [
        vote('new', true),
        vote('taken-back', false),
        vote('flip', true),
        vote('flip', false),
        vote('x', true, 'failed'),
      ],
    );
    expect([...votes].sort()).toEqual(['kept', 'new']);
  });
});

describe('short hashes for storage keys', () => {
  it('are stable and tell tokens apart', () => {
    expect(shortHash('token-a')).toBe(shortHash('token-a'));
    expect(shortHash('token-a')).not.toBe(shortHash('token-b'));
    expect(shortHash('token-a')).toMatch(/^[0-9a-z]+$/);
  });
});
