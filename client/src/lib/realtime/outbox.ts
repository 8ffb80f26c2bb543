/**
 * The outbox: attendee actions (and, later, the staff "from the room" form) that must not be
 * lost on a bad festival network (DESIGN "Outbox").
 *
 * An action is written to storage with its command id before anything is sent, shown as
 * 'sending', and sent whenever the connection is up, always with the SAME command id, so
 * that however often it is sent, the server applies it once (SPEC I2). It leaves the outbox
 * when the server acknowledges it; an error that another attempt cannot fix (invalid input,
 * session closed ...) keeps it as 'failed', with the server's message, until the person
 * dismisses it. A `rate_limited` refusal keeps it 'sending' with the time the server named
 * (`retryAt`), and it is sent again then, not before. Storage is re-read before every change,
 * so tabs sharing it do not overwrite each other's actions.
 */
import type { CommandAck, CommandRequest, ErrorCode } from '@gt/protocol';
import { newCommandId } from './command-id.js';
import { outboxLockFor } from './outbox-lock.js';
import type { OutboxLock } from './outbox-lock.js';
import { LocalOutboxStorage, MemoryOutboxStorage } from './outbox-storage.js';
import type { OutboxStorage } from './outbox-storage.js';
import { shortHash } from './replica-view.js';
import type { ClientError, ClientResult } from './types.js';

/**
 * The actions that go through the outbox. The staff "from the room" form uses it too (DESIGN
 * "Outbox"): a question typed in from a paper card must not be lost to a bad venue network.
 */
export const OUTBOX_COMMANDS = [
  'post:create',
  'post:upvote',
  'reaction:send',
  'post:create-from-room',
] as const;
export type OutboxCommand = (typeof OUTBOX_COMMANDS)[number];

/**
 * Errors that will not go away by sending the same command again: the outbox keeps such an
 * item as failed, with the server's message, instead of retrying it forever. `rate_limited`
 * and `internal` are worth another try later.
 */
export const FINAL_ERROR_CODES = [
  'invalid_input',
  'forbidden',
  'not_found',
  'conflict',
  'invalid_state',
  'closed',
] as const satisfies readonly ErrorCode[];

function isFinalErrorCode(code: string): boolean {
  return (FINAL_ERROR_CODES as readonly string[]).includes(code);
}

/** A reaction is a signal about this moment; minutes later it means nothing and is dropped. */
export const REACTION_MAX_AGE_MS = 2 * 60_000;
/** Back-off between attempts after a retryable failure (doubles, with jitter). */
const RETRY_BASE_MS = 1_000;
const RETRY_MAX_MS = 30_000;
/** After the server's "try again in" (rate limited), a little more, so the window has passed. */
const RATE_LIMIT_MARGIN_MS = 250;
/** The longest wait taken from a server's answer (the longest limit window is an hour). */
const RATE_LIMIT_MAX_WAIT_MS = 3_600_000;
/** When another tab holds the lock, look again after this long: it may have stopped early. */
const LOCK_BUSY_RETRY_MS = 2_000;
/** Outcomes remembered for `settled` calls that come after the fact. */
const OUTCOMES_KEPT = 100;

type ItemOf<K extends OutboxCommand> = {
  commandId: string;
  name: K;
  /** The full command payload, commandId included, exactly as it is sent every time. */
  payload: CommandRequest<K>;
  createdAt: number;
  state: 'sending' | 'failed';
  /** Why it failed (state 'failed'). */
  error?: ClientError;
  /**
   * The server said "not so fast" (`rate_limited`) and when to try again: the item is still
   * 'sending' and goes out by itself then, with the same id. Screens say when.
   */
  retryAt?: number;
};
export type OutboxItem = { [K in OutboxCommand]: ItemOf<K> }[OutboxCommand];

/** What became of an action: the acknowledgement's data, or the final error. */
export type OutboxOutcome = ClientResult<unknown>;

export interface OutboxOptions {
  storage: OutboxStorage;
  key: string;
  lock: OutboxLock;
  /** Sends one command and resolves with its result; never rejects. */
  send(name: OutboxCommand, payload: Record<string, unknown>): Promise<ClientResult<unknown>>;
  /** Whether sending makes sense now (connected and joined). */
  canSend(): boolean;
  /** The set of items changed (here or in another tab). */
  onChange(): void;
  /** An action was acknowledged by the server, in this tab. */
  onAcknowledged?(item: OutboxItem, data: unknown): void;
  now?: () => number;
  random?: () => number;
}

const STORAGE_VERSION = 1;

/**
 * The outbox of one session's actor: in localStorage in a browser (memory elsewhere) unless
 * a storage is given. Actions are scoped to the actor the server de-duplicates them by (SPEC
 * I2): a device's command id resent over a staff connection would be a second command.
 */
export function sessionOutbox(
  actor: { sessionId: string; staffToken: string | null; storage?: OutboxStorage },
  hooks: Pick<OutboxOptions, 'send' | 'canSend' | 'onChange' | 'onAcknowledged'>,
): Outbox {
  const storage =
    actor.storage ??
    (typeof window === 'undefined' ? new MemoryOutboxStorage() : new LocalOutboxStorage());
  const scope = actor.staffToken ? `staff-${shortHash(actor.staffToken)}` : 'device';
  return new Outbox({
    ...hooks,
    storage,
    key: `gt:outbox:v1:${actor.sessionId}:${scope}`,
    lock: outboxLockFor(`gt:outbox-lock:${actor.sessionId}:${scope}`, storage, newCommandId()),
  });
}

export class Outbox {
  readonly #o: OutboxOptions;
  readonly #now: () => number;
  readonly #random: () => number;
  #items: readonly OutboxItem[];
  #draining: Promise<void> = Promise.resolve();
  #isDraining = false;
  #isDrainRequested = false;
  #failures = 0;
  #retryTimer: ReturnType<typeof setTimeout> | null = null;
  #isClosed = false;
  readonly #waiting = new Map<string, ((outcome: OutboxOutcome) => void)[]>();
  readonly #outcomes = new Map<string, OutboxOutcome>();
  readonly #unsubscribe: () => void;

  constructor(options: OutboxOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
    this.#random = options.random ?? Math.random;
    this.#items = this.#read();
    this.#unsubscribe = options.storage.subscribe(options.key, () => this.#refresh());
  }

  /** Unsent and failed actions, oldest first. */
  get items(): readonly OutboxItem[] {
    return this.#items;
  }

  /**
   * Store an action and try to send it. The payload is complete except for `commandId`,
   * which is made here (or kept, when the caller brings one).
   */
  enqueue<K extends OutboxCommand>(
    name: K,
    payload: Omit<CommandRequest<K>, 'commandId'> & { commandId?: string },
  ): OutboxItem {
    const commandId = payload.commandId ?? newCommandId();
    const item = {
      commandId,
      name,
      payload: { ...payload, commandId },
      createdAt: this.#now(),
      state: 'sending',
    } as ItemOf<K> as OutboxItem;
    this.#update((items) => [...items.filter((i) => i.commandId !== commandId), item]);
    void this.drain();
    return item;
  }

  /** Resolves when the action is acknowledged or has failed for good. */
  settled<K extends OutboxCommand>(commandId: string): Promise<ClientResult<CommandAck<K>>>;
  settled(commandId: string): Promise<OutboxOutcome> {
    const item = this.#items.find((i) => i.commandId === commandId);
    if (item?.state === 'failed' && item.error)
      return Promise.resolve({ ok: false, error: item.error });
    if (!item) {
      const known = this.#outcomes.get(commandId);
      return Promise.resolve(
        known ?? { ok: false, error: { code: 'not_found', message: 'no such outbox action' } },
      );
    }
    return new Promise((resolve) => {
      const list = this.#waiting.get(commandId) ?? [];
      list.push(resolve);
      this.#waiting.set(commandId, list);
    });
  }

  /** Forget a failed action (the person read why and closed the message). */
  dismiss(commandId: string): void {
    this.#update((items) => items.filter((i) => i.commandId !== commandId));
  }

  /** Send failed ones again too (a "try again" button after the session reopened, say). */
  retryFailed(): void {
    this.#update((items) =>
      items.map((i) => (i.state === 'failed' ? { ...i, state: 'sending', error: undefined } : i)),
    );
    void this.drain();
  }

  /**
   * Send every pending action, oldest first, one at a time (a post goes before the upvote
   * on it). Calls while a drain runs make it go round once more instead of starting another.
   */
  drain(): Promise<void> {
    if (this.#isClosed) return Promise.resolve();
    this.#isDrainRequested = true;
    if (this.#isDraining) return this.#draining;
    this.#isDraining = true;
    this.#clearRetry();
    this.#draining = this.#drainLoop();
    return this.#draining;
  }

  async #drainLoop(): Promise<void> {
    try {
      // The flag is checked and the loop left with no await in between, so a request made
      // while a pass runs is never lost.
      while (this.#isDrainRequested && !this.#isClosed) {
        this.#isDrainRequested = false;
        if (!this.#hasPending() || !this.#o.canSend()) continue;
        // A pass just backed off (no answer, rate limited, lock busy): wait for its timer.
        if (this.#retryTimer) continue;
        const didRun = await this.#o.lock.tryRun(() => this.#pass());
        if (!didRun) this.#scheduleRetry(LOCK_BUSY_RETRY_MS);
      }
    } finally {
      this.#isDraining = false;
    }
  }

  close(): void {
    this.#isClosed = true;
    this.#clearRetry();
    this.#unsubscribe();
  }

  async #pass(): Promise<void> {
    const tried = new Set<string>();
    while (!this.#isClosed && this.#o.canSend()) {
      // Re-read: another tab may have sent or added actions meanwhile.
      this.#refresh();
      const item = this.#items.find((i) => i.state === 'sending' && !tried.has(i.commandId));
      if (!item) return;
      // Still inside the server's "try again in" (a new action or a reconnection started this
      // pass): asking now would only be refused again. Everything behind it waits too.
      if (item.retryAt !== undefined && item.retryAt > this.#now()) {
        this.#scheduleRetry(item.retryAt - this.#now());
        return;
      }
      tried.add(item.commandId);
      if (item.name === 'reaction:send' && this.#now() - item.createdAt > REACTION_MAX_AGE_MS) {
        this.#update((items) => items.filter((i) => i.commandId !== item.commandId));
        this.#settle(item.commandId, {
          ok: false,
          error: { code: 'timeout', message: 'the reaction was too old to send' },
        });
        continue;
      }
      const result = await this.#o.send(item.name, item.payload as Record<string, unknown>);
      if (this.#isClosed) return;
      if (result.ok) {
        this.#failures = 0;
        this.#update((items) => items.filter((i) => i.commandId !== item.commandId));
        this.#o.onAcknowledged?.(item, result.data);
        this.#settle(item.commandId, result);
      } else if (isFinalErrorCode(result.error.code)) {
        const error = result.error;
        this.#update((items) =>
          items.map((i) => (i.commandId === item.commandId ? { ...i, state: 'failed', error } : i)),
        );
        this.#settle(item.commandId, result);
      } else {
        // Offline, no answer in time, rate limited, or the server's own trouble: keep it, and
        // keep the order, by stopping here until the next attempt.
        this.#failures += 1;
        const retryAfterMs = retryAfterOf(result.error);
        if (retryAfterMs !== null) {
          // Sooner would be refused again; the server said when, so wait exactly that long.
          const retryAt = this.#now() + retryAfterMs + RATE_LIMIT_MARGIN_MS;
          this.#update((items) =>
            items.map((i) => (i.commandId === item.commandId ? { ...i, retryAt } : i)),
          );
          this.#scheduleRetry(retryAt - this.#now());
          return;
        }
        const delay = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** (this.#failures - 1));
        this.#scheduleRetry(delay * (0.5 + this.#random()));
        return;
      }
    }
  }

  #hasPending(): boolean {
    return this.#items.some((i) => i.state === 'sending');
  }

  #scheduleRetry(delayMs: number): void {
    if (this.#isClosed || this.#retryTimer) return;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      void this.drain();
    }, delayMs);
  }

  #clearRetry(): void {
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
  }

  #settle(commandId: string, outcome: OutboxOutcome): void {
    this.#outcomes.set(commandId, outcome);
    if (this.#outcomes.size > OUTCOMES_KEPT)
      this.#outcomes.delete(this.#outcomes.keys().next().value as string);
    const list = this.#waiting.get(commandId);
    this.#waiting.delete(commandId);
    for (const resolve of list ?? []) resolve(outcome);
  }

  /** Storage changed elsewhere: pick it up, and settle waiters whose action another tab sent. */
  #refresh(): void {
    const before = this.#items;
    const after = this.#read();
    if (JSON.stringify(before) === JSON.stringify(after)) return;
    this.#items = after;
    for (const commandId of [...this.#waiting.keys()]) {
      const item = after.find((i) => i.commandId === commandId);
      // Gone without this tab hearing the answer: another tab had it acknowledged.
      if (!item) this.#settle(commandId, { ok: true, data: undefined });
      else if (item.state === 'failed' && item.error)
        this.#settle(commandId, { ok: false, error: item.error });
    }
    this.#o.onChange();
    if (this.#hasPending()) void this.drain();
  }

  #update(change: (items: readonly OutboxItem[]) => OutboxItem[]): void {
    const next = change(this.#read());
    if (next.length === 0) this.#o.storage.remove(this.#o.key);
    else this.#o.storage.write(this.#o.key, JSON.stringify({ v: STORAGE_VERSION, items: next }));
    this.#items = next;
    this.#o.onChange();
  }

  #read(): OutboxItem[] {
    return parseOutbox(this.#o.storage.read(this.#o.key));
  }
}

/** A `rate_limited` refusal's wait in milliseconds (SPEC T2), or null for any other error. */
function retryAfterOf(error: ClientError): number | null {
  if (error.code !== 'rate_limited') return null;
  const wait = error.details?.retryAfterMs;
  return typeof wait === 'number' && Number.isFinite(wait) && wait >= 0
    ? Math.min(wait, RATE_LIMIT_MAX_WAIT_MS)
    : null;
}

/** Stored outbox text to items; anything damaged or from another format version is dropped. */
export function parseOutbox(text: string | null): OutboxItem[] {
  if (!text) return [];
  try {
    const value = JSON.parse(text) as { v?: unknown; items?: unknown };
    if (value?.v !== STORAGE_VERSION || !Array.isArray(value.items)) return [];
    return value.items.filter(isOutboxItem);
  } catch {
    return [];
  }
}

function isOutboxItem(value: unknown): value is OutboxItem {
  if (!value || typeof value !== 'object') return false;
  const item = value as Record<string, unknown>;
  const payload = item.payload as Record<string, unknown> | null;
  return (
    typeof item.commandId === 'string' &&
    (OUTBOX_COMMANDS as readonly unknown[]).includes(item.name) &&
    typeof item.createdAt === 'number' &&
    (item.state === 'sending' || item.state === 'failed') &&
    !!payload &&
    typeof payload === 'object' &&
    payload.commandId === item.commandId
  );
}
