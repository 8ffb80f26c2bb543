/**
 * The in-memory store runs the same contract suite as SQLite and Redis, in the unit tier (no
 * file, no network), plus what only it could get wrong: keeping references instead of copies.
 */
import { describe, expect, it } from 'vitest';
import { runStoreContract } from '../testing/store-contract.js';
import { appendsForNew, makeCommand, makePost, storedSession } from '../testing/factories.js';
import type { Store } from '../store.js';
import { createMemoryStore } from './memory-store.js';

runStoreContract('memory', (options) =>
  Promise.resolve({ store: createMemoryStore(options), cleanup: () => Promise.resolve() }),
);

describe('the memory store keeps copies, as a store that serialises does', () => {
  it('a caller changing what it wrote, or what it read, changes nothing stored', async () => {
    const store = createMemoryStore();
    const { session } = await storedSession(store);
    const post = makePost(session);
    const appends = appendsForNew(post);
    const commit = await store.insertPost(makeCommand(), post, appends, { post: post.id });
    post.text = 'changed by the caller after the write';
    if (commit.kind === 'committed' && commit.entries[0]?.update.type === 'post:created')
      commit.entries[0].update.post.text = 'changed in the returned entry';
    const read = await store.getPost(session.id, post.id);
    read!.text = 'changed in the returned post';
    (await store.getSession(session.id))!.title = 'changed in the returned session';

    const stored = await store.getPost(session.id, post.id);
    expect(stored?.text).not.toContain('changed');
    expect((await store.listPosts(session.id))[0]?.text).toBe(stored?.text);
    const entry = (await store.readStream(session.id, 'public', 0, 10)).entries[0]?.update;
    expect(entry?.type === 'post:created' && entry.post.text).toBe(stored?.text);
    expect((await store.getSession(session.id))?.title).toBe(session.title);
  });

  it('refuses every operation once closed', async () => {
    const store: Store = createMemoryStore();
    await store.close();
    await expect(store.ping()).rejects.toThrow(/closed/);
    expect(await store.claimWallTick('ses_x', 'node', 1000)).toBe(false);
  });
});
