/**
 * Where the outbox keeps unsent actions. The browser uses localStorage, so actions survive a
 * reload and are shared by the tabs of one browser; tests (and browsers where storage is
 * refused) use memory. Values are strings, as in the Web Storage API.
 */
export interface OutboxStorage {
  read(key: string): string | null;
  write(key: string, value: string): void;
  remove(key: string): void;
  /** Called when another tab (or another outbox over the same storage) changed `key`. */
  subscribe(key: string, onChange: () => void): () => void;
}

/** In-memory storage: for tests, and the fallback when the browser refuses localStorage. */
export class MemoryOutboxStorage implements OutboxStorage {
  #values = new Map<string, string>();
  #listeners = new Map<string, Set<() => void>>();

  read(key: string): string | null {
    return this.#values.get(key) ?? null;
  }

  write(key: string, value: string): void {
    this.#values.set(key, value);
    this.#notify(key);
  }

  remove(key: string): void {
    if (this.#values.delete(key)) this.#notify(key);
  }

  subscribe(key: string, onChange: () => void): () => void {
    const set = this.#listeners.get(key) ?? new Set();
    set.add(onChange);
    this.#listeners.set(key, set);
    return () => set.delete(onChange);
  }

  /** Every key held: lets tests look at what a "reload" would find. */
  keys(): string[] {
    return [...this.#values.keys()];
  }

  #notify(key: string): void {
    // Like the browser's `storage` event, listeners hear about it after the write returns.
    for (const listener of this.#listeners.get(key) ?? []) queueMicrotask(listener);
  }
}

/**
 * localStorage, or memory where it is missing or refuses to work (Safari's private mode, a
 * full quota, storage disabled by policy): the outbox then still works for this page, it just
 * does not survive a reload.
 */
export class LocalOutboxStorage implements OutboxStorage {
  readonly #fallback = new MemoryOutboxStorage();
  #isBroken = false;

  constructor(private readonly storage: Storage | null = LocalOutboxStorage.#find()) {}

  static #find(): Storage | null {
    try {
      return globalThis.localStorage ?? null;
    } catch {
      // Reading the property itself throws when storage is disabled.
      return null;
    }
  }

  read(key: string): string | null {
    if (this.#isBroken || !this.storage) return this.#fallback.read(key);
    try {
      return this.storage.getItem(key);
    } catch {
      return this.#fallback.read(key);
    }
  }

  write(key: string, value: string): void {
    if (!this.#isBroken && this.storage) {
      try {
        this.storage.setItem(key, value);
        return;
      } catch {
        this.#isBroken = true;
      }
    }
    this.#fallback.write(key, value);
  }

  remove(key: string): void {
    try {
      this.storage?.removeItem(key);
    } catch {
      // Nothing to undo: the fallback below is what this page reads from now.
    }
    this.#fallback.remove(key);
  }

  subscribe(key: string, onChange: () => void): () => void {
    // The `storage` event fires in the other tabs of the same origin, never in the writer.
    const onStorage = (event: StorageEvent) => {
      if (event.key === key || event.key === null) onChange();
    };
    const target = typeof window === 'undefined' ? null : window;
    target?.addEventListener('storage', onStorage);
    const unsubscribe = this.#fallback.subscribe(key, onChange);
    return () => {
      target?.removeEventListener('storage', onStorage);
      unsubscribe();
    };
  }
}
