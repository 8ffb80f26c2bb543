import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Outbox, parseOutbox, REACTION_MAX_AGE_MS } from './outbox.js';
import type { OutboxCommand } from './outbox.js';
import { StorageLeaseLock, WebOutboxLock } from './outbox-lock.js';
import { MemoryOutboxStorage } from './outbox-storage.js';
import type { ClientResult } from './types.js';

const KEY = 'gt:outbox:v1:ses_1:device';
type Sent = { tab: string; name: OutboxCommand; commandId: string };

/** A tab's outbox over shared storage, with a scripted server. */
function tab(
  storage: MemoryOutboxStorage,
  name: string,
  sent: Sent[],
  options: {
    answer?: (commandId: string) => ClientResult<unknown>;
    now?: () => number;
  } = {},
) {
  const state = { canSend: true };
  const outbox = new Outbox({
    storage,
    key: KEY,
    lock: new StorageLeaseLock(storage, `${KEY}:lease`, name, 15_000, options.now),
    async send(command, payload) {
      const commandId = payload.commandId as string;
      sent.push({ tab: name, name: command, commandId });
      // An answer takes a moment, as over a network.
      await new Promise((resolve) => setTimeout(resolve, 5));
      return options.answer?.(commandId) ?? { ok: true, data: { echo: commandId } };
    },
    canSend: () => state.canSend,
    onChange: () => {},
    now: options.now,
    random: () => 0.5,
  });
  return Object.assign(state, { outbox });
}

const question = (text: string) => ({ sessionId: 'ses_1', kind: 'question' as const, text });

describe('the outbox', () => {
  let storage: MemoryOutboxStorage;
  let sent: Sent[];

  beforeEach(() => {
    vi.useFakeTimers();
    storage = new MemoryOutboxStorage();
    sent = [];
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('stores an action before sending it, and removes it once acknowledged', async () => {
    const phone = tab(storage, 'a', sent);
    phone.canSend = false;
    const item = phone.outbox.enqueue('post:create', question('Hej'));
    expect(item.commandId).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(parseOutbox(storage.read(KEY))).toEqual([item]);
    expect(item).toMatchObject({ state: 'sending', payload: { commandId: item.commandId } });
    expect(sent).toEqual([]);

    phone.canSend = true;
    const settled = phone.outbox.settled(item.commandId);
    void phone.outbox.drain();
    await vi.advanceTimersByTimeAsync(10);
    expect(await settled).toEqual({ ok: true, data: { echo: item.commandId } });
    // Asked again after the fact, the outbox still knows; an id it never had is not found.
    expect(await phone.outbox.settled(item.commandId)).toEqual(await settled);
    expect(await phone.outbox.settled('c_unknown_id')).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(sent.map((s) => s.commandId)).toEqual([item.commandId]);
    expect(phone.outbox.items).toEqual([]);
    expect(storage.read(KEY)).toBeNull();
  });

  it('retries with the same command id and keeps the order until the first goes through', async () => {
    let failures = 2;
    const phone = tab(storage, 'a', sent, {
      answer: () =>
        failures-- > 0
          ? { ok: false, error: { code: 'timeout', message: 'no answer' } }
          : { ok: true, data: {} },
    });
    const first = phone.outbox.enqueue('post:create', question('Først'));
    const second = phone.outbox.enqueue('post:upvote', {
      sessionId: 'ses_1',
      postId: 'pst_12345678',
      isOn: true,
    });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sent.map((s) => s.commandId)).toEqual([
      first.commandId,
      first.commandId,
      first.commandId,
      second.commandId,
    ]);
    expect(phone.outbox.items).toEqual([]);
  });

  it('keeps an action the server refused for good as failed, with its words, and goes on with the next', async () => {
    const phone = tab(storage, 'a', sent, {
      answer: (id) =>
        id === refused.commandId
          ? {
              ok: false,
              error: { code: 'closed', message: 'this session is not taking posts now' },
            }
          : { ok: true, data: {} },
    });
    phone.canSend = false;
    const refused = phone.outbox.enqueue('post:create', question('For sent'));
    const next = phone.outbox.enqueue('reaction:send', { sessionId: 'ses_1', reaction: 'heart' });
    phone.canSend = true;
    void phone.outbox.drain();
    await vi.advanceTimersByTimeAsync(100);
    expect(sent.map((s) => s.commandId)).toEqual([refused.commandId, next.commandId]);
    expect(phone.outbox.items).toEqual([
      {
        ...refused,
        state: 'failed',
        error: { code: 'closed', message: 'this session is not taking posts now' },
      },
    ]);
    expect(await phone.outbox.settled(refused.commandId)).toMatchObject({
      ok: false,
      error: { code: 'closed' },
    });

    phone.outbox.dismiss(refused.commandId);
    expect(phone.outbox.items).toEqual([]);
  });

  it('[T2] waits as long as a rate_limited refusal says, still sending, then sends the same id once', async () => {
    let isLimited = true;
    const phone = tab(storage, 'a', sent, {
      answer: () =>
        isLimited
          ? {
              ok: false,
              error: {
                code: 'rate_limited',
                message: 'too many in a short time; try again in 20 s',
                details: { retryAfterMs: 20_000 },
              },
            }
          : { ok: true, data: {} },
    });
    const first = phone.outbox.enqueue('post:create', question('Fem på et minut'));
    const outcome = phone.outbox.settled(first.commandId);
    await vi.advanceTimersByTimeAsync(10);
    expect(sent.map((s) => s.commandId)).toEqual([first.commandId]);
    const [waiting] = phone.outbox.items;
    expect(waiting?.state).toBe('sending');
    expect(waiting?.retryAt).toBeGreaterThanOrEqual(Date.now() + 20_000 - 10);
    // Kept in storage, so a reload knows when too.
    expect(parseOutbox(storage.read(KEY))[0]?.retryAt).toBe(waiting?.retryAt);

    // A new action meanwhile does not make the outbox ask early; it waits behind the first.
    const second = phone.outbox.enqueue('post:create', question('Og en til'));
    await vi.advanceTimersByTimeAsync(19_000);
    expect(sent.map((s) => s.commandId)).toEqual([first.commandId]);

    isLimited = false;
    await vi.advanceTimersByTimeAsync(2_000);
    expect(sent.map((s) => s.commandId)).toEqual([
      first.commandId,
      first.commandId,
      second.commandId,
    ]);
    expect(await outcome).toMatchObject({ ok: true });
    expect(phone.outbox.items).toEqual([]);
  });

  it('survives a reload: a new outbox over the same storage sends the same actions with the same ids', async () => {
    const before = tab(storage, 'before', sent);
    before.canSend = false;
    const items = [
      before.outbox.enqueue('post:create', question('En')),
      before.outbox.enqueue('post:create', question('To')),
    ];
    before.outbox.close();

    const after = tab(storage, 'after', sent);
    expect(after.outbox.items).toEqual(items);
    void after.outbox.drain();
    await vi.advanceTimersByTimeAsync(100);
    expect(sent).toEqual(
      items.map((i) => ({ tab: 'after', name: 'post:create', commandId: i.commandId })),
    );
  });

  it('lets only one of two tabs sharing the storage send, and each action goes once', async () => {
    const one = tab(storage, 'one', sent);
    const two = tab(storage, 'two', sent);
    one.canSend = two.canSend = false;
    const items = [1, 2, 3].map((n) => one.outbox.enqueue('post:create', question(`Nr. ${n}`)));
    await vi.advanceTimersByTimeAsync(0);
    expect(two.outbox.items.map((i) => i.commandId)).toEqual(items.map((i) => i.commandId));

    one.canSend = two.canSend = true;
    const settledInTwo = two.outbox.settled(items[0]!.commandId);
    void one.outbox.drain();
    void two.outbox.drain();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(sent.map((s) => s.commandId).sort()).toEqual(items.map((i) => i.commandId).sort());
    expect(new Set(sent.map((s) => s.tab)).size).toBe(1);
    // The tab that did not send still learns the action went through.
    expect(await settledInTwo).toMatchObject({ ok: true });
    expect(two.outbox.items).toEqual([]);
  });

  it('drops a reaction that waited too long to mean anything', async () => {
    let now = 1_000_000;
    const phone = tab(storage, 'a', sent, { now: () => now });
    phone.canSend = false;
    const tap = phone.outbox.enqueue('reaction:send', { sessionId: 'ses_1', reaction: 'applause' });
    const post = phone.outbox.enqueue('post:create', question('Stadig relevant'));
    now += REACTION_MAX_AGE_MS + 1;
    phone.canSend = true;
    const outcome = phone.outbox.settled(tap.commandId);
    void phone.outbox.drain();
    await vi.advanceTimersByTimeAsync(100);
    expect(sent.map((s) => s.commandId)).toEqual([post.commandId]);
    expect(await outcome).toMatchObject({ ok: false, error: { code: 'timeout' } });
  });

  it('reads damaged or foreign storage as empty rather than failing', () => {
    expect(parseOutbox('not json')).toEqual([]);
    expect(parseOutbox(JSON.stringify({ v: 99, items: [] }))).toEqual([]);
    expect(
      parseOutbox(
        JSON.stringify({
          v: 1,
          items: [
            {
              commandId: 'c1234567',
              name: 'post:create',
              createdAt: 1,
              state: 'sending',
              payload: { commandId: 'other' },
            },
            {
              commandId: 'c1234567',
              name: 'rm -rf',
              createdAt: 1,
              state: 'sending',
              payload: { commandId: 'c1234567' },
            },
            null,
          ],
        }),
      ),
    ).toEqual([]);
  });
});

describe('outbox locks', () => {
  it('a lease left by a tab that died blocks the others only until it expires', async () => {
    const storage = new MemoryOutboxStorage();
    let now = 0;
    storage.write('lease', JSON.stringify({ owner: 'dead', until: 15_000 }));
    const lock = new StorageLeaseLock(storage, 'lease', 'alive', 15_000, () => now);
    const task = vi.fn(async () => {});
    expect(await lock.tryRun(task)).toBe(false);
    now = 15_001;
    expect(await lock.tryRun(task)).toBe(true);
    expect(task).toHaveBeenCalledTimes(1);
    expect(storage.read('lease')).toBeNull();
  });

  it('the Web Locks variant asks for the lock only if it is free', async () => {
    let isHeld = false;
    const locks = {
      request: async (
        _name: string,
        options: { ifAvailable?: boolean },
        callback: (lock: unknown) => Promise<boolean>,
      ) => {
        expect(options.ifAvailable).toBe(true);
        if (isHeld) return callback(null);
        isHeld = true;
        try {
          return await callback({ name: _name });
        } finally {
          isHeld = false;
        }
      },
    } as unknown as LockManager;
    const lock = new WebOutboxLock('outbox', locks);
    let inner: boolean | null = null;
    const outer = await lock.tryRun(async () => {
      inner = await lock.tryRun(async () => {});
    });
    expect([outer, inner]).toEqual([true, false]);
  });
});
