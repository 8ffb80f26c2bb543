/**
 * Only one tab drains a shared outbox at a time, so two tabs do not both send the same action
 * at the same moment. This is an optimisation, not the guarantee: every outbox action carries
 * its command id, and the server answers a repeat from the first result (SPEC I2), so a rare
 * double send is harmless.
 */
import type { OutboxStorage } from './outbox-storage.js';

export interface OutboxLock {
  /** Runs `task` while holding the lock; resolves false, without running it, when another holds it. */
  tryRun(task: () => Promise<void>): Promise<boolean>;
}

/** The Web Locks API: released by the browser even when the tab crashes or is closed. */
export class WebOutboxLock implements OutboxLock {
  constructor(
    private readonly name: string,
    private readonly locks: LockManager,
  ) {}

  async tryRun(task: () => Promise<void>): Promise<boolean> {
    return this.locks.request(this.name, { ifAvailable: true }, async (lock) => {
      if (!lock) return false;
      await task();
      return true;
    });
  }
}

interface Lease {
  owner: string;
  until: number;
}

/**
 * Where Web Locks are missing (older Safari, Node): a lease written next to the outbox, with
 * an expiry so that a tab that died holding it blocks the others only briefly. It is renewed
 * while the task runs, because sending an action may take up to its acknowledgement timeout.
 */
export class StorageLeaseLock implements OutboxLock {
  constructor(
    private readonly storage: OutboxStorage,
    private readonly key: string,
    private readonly owner: string,
    private readonly ttlMs = 15_000,
    private readonly now: () => number = Date.now,
  ) {}

  async tryRun(task: () => Promise<void>): Promise<boolean> {
    if (!this.#acquire()) return false;
    const renew = setInterval(() => this.#write(), Math.max(50, this.ttlMs / 3));
    try {
      await task();
    } finally {
      clearInterval(renew);
      if (this.#read()?.owner === this.owner) this.storage.remove(this.key);
    }
    return true;
  }

  #acquire(): boolean {
    const lease = this.#read();
    if (lease && lease.owner !== this.owner && lease.until > this.now()) return false;
    this.#write();
    // Two tabs that both saw a free lease both wrote; the later write wins, and the reader of
    // an earlier one backs off. (Not airtight: see the note at the top of the file.)
    return this.#read()?.owner === this.owner;
  }

  #write(): void {
    const lease: Lease = { owner: this.owner, until: this.now() + this.ttlMs };
    this.storage.write(this.key, JSON.stringify(lease));
  }

  #read(): Lease | null {
    try {
      const value = JSON.parse(this.storage.read(this.key) ?? 'null') as unknown;
      if (
        value &&
        typeof value === 'object' &&
        typeof (value as Lease).owner === 'string' &&
        typeof (value as Lease).until === 'number'
      )
        return value as Lease;
    } catch {
      // A damaged lease counts as none.
    }
    return null;
  }
}

/** Web Locks when the browser has them, else a lease in the outbox's storage. */
export function outboxLockFor(name: string, storage: OutboxStorage, owner: string): OutboxLock {
  const locks = (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks;
  return locks
    ? new WebOutboxLock(name, locks)
    : new StorageLeaseLock(storage, `${name}:lease`, owner);
}
