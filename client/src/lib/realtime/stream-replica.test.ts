import { describe, expect, it } from 'vitest';
import { StreamReplica } from './stream-replica.js';
import { postWire } from './testing/post-wire.js';
import type { PostWire, SessionWire, StreamEntry } from './types.js';

const post = (id: string, version = 1, text = id): PostWire => postWire(id, { version, text });
const created = (seq: number, id: string): StreamEntry => ({
  seq,
  update: { type: 'post:created', post: post(id) },
});
const ids = (replica: StreamReplica) => [...replica.posts].map((p) => p.id).sort();

describe('a stream replica', () => {
  it('applies the next entry, ignores repeats, and holds one that skips ahead until the gap closes', () => {
    const replica = new StreamReplica({ seq: 1, posts: [post('a')] });
    expect(replica.offer(created(1, 'a'))).toBe('duplicate');
    expect(replica.offer(created(2, 'b'))).toBe('applied');
    expect(replica.offer(created(4, 'd'))).toBe('held');
    expect(replica.offer(created(5, 'e'))).toBe('held');
    expect(replica.hasGap).toBe(true);
    expect(replica.heldSeqs).toEqual([4, 5]);
    expect(replica.seq).toBe(2);
    expect(ids(replica)).toEqual(['a', 'b']);

    expect(replica.offer(created(3, 'c'))).toBe('applied');
    expect(replica.seq).toBe(5);
    expect(replica.hasGap).toBe(false);
    expect(ids(replica)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('updates and withdraws posts, and keeps the newest session settings', () => {
    const replica = new StreamReplica({ seq: 0, posts: [] });
    replica.offer(created(1, 'a'));
    replica.offer({ seq: 2, update: { type: 'post:updated', post: post('a', 2, 'edited') } });
    expect(replica.getPost('a')?.text).toBe('edited');
    replica.offer({ seq: 3, update: { type: 'post:withdrawn', postId: 'a' } });
    expect(ids(replica)).toEqual([]);

    const session = (version: number) => ({ id: 's', version }) as SessionWire;
    replica.offer({ seq: 4, update: { type: 'session:updated', session: session(3) } });
    replica.offer({ seq: 5, update: { type: 'session:updated', session: session(2) } });
    expect(replica.session?.version).toBe(3);
  });

  it('replaces everything with a snapshot, drops held entries it covers and applies the ones after it', () => {
    const replica = new StreamReplica({ seq: 0, posts: [] });
    replica.offer(created(1, 'a'));
    replica.offer(created(3, 'c'));
    replica.offer(created(6, 'f'));
    replica.replace({ seq: 5, posts: [post('x'), post('y')] });
    expect(replica.seq).toBe(6);
    expect(ids(replica)).toEqual(['f', 'x', 'y']);
    expect(replica.hasGap).toBe(false);
  });

  it('[PL9] counts a poll entry in the stream’s seq, so the next post is not held behind a gap', () => {
    const replica = new StreamReplica({ seq: 0, posts: [] });
    replica.offer(created(1, 'a'));
    const poll = {
      id: 'pol_1',
      question: 'Hvad først?',
      spec: { kind: 'words' as const, maxAnswers: 1 },
      status: 'open' as const,
      isResultsHiddenUntilClose: false,
      isResultsShown: false,
      wordOverrides: {},
      createdAt: 1,
      updatedAt: 1,
    };
    expect(replica.offer({ seq: 2, update: { type: 'poll:updated', poll } })).toBe('applied');
    expect(replica.offer(created(3, 'b'))).toBe('applied');
    expect(replica.hasGap).toBe(false);
    expect(ids(replica)).toEqual(['a', 'b']);
  });
});
