/**
 * Group commit for the SQLite store (DESIGN "Group commit"). better-sqlite3 is synchronous,
 * and a durable commit (WAL + synchronous=FULL) costs an fsync, so instead of one transaction
 * per write, every write is queued and the queue is applied in ONE transaction shortly after
 * (on the next turn of the event loop, or after `delayMs`). Inside it each write runs in its
 * own SAVEPOINT: a write that throws is rolled back alone and rejects alone; a conflict or a
 * replay writes nothing. Every write's promise settles only after COMMIT, so an
 * acknowledgement sent on it is durable.
 *
 * A batch is applied synchronously, so a read on the same connection never sees half a
 * batch; it sees what is committed (a write still queued is not yet visible, as it is not yet
 * acknowledged). This file knows nothing of posts or sessions: the store hands it closures.
 */
import type Database from 'better-sqlite3';
import type { Statements } from './statements.js';

export interface GroupCommitStats {
  /** Write transactions committed (one per group-commit batch). */
  transactions: number;
  /** Write operations applied in those transactions (each its own savepoint), failed ones included. */
  operations: number;
}

interface QueuedWrite {
  run: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

export const closedError = () => new Error('the SQLite store is closed');

export class GroupCommit {
  readonly #db: Database.Database;
  readonly #q: Pick<
    Statements,
    'begin' | 'commit' | 'rollback' | 'savepoint' | 'release' | 'rollbackTo'
  >;
  readonly #delayMs: number;
  /** Called before a batch writes anything, e.g. to forget cached reads the batch outdates. */
  readonly #beforeBatch: () => void;
  #queue: QueuedWrite[] = [];
  #timer:
    | { kind: 'timeout'; handle: NodeJS.Timeout }
    | { kind: 'immediate'; handle: NodeJS.Immediate }
    | null = null;
  #closed = false;
  #stats: GroupCommitStats = { transactions: 0, operations: 0 };

  constructor(
    db: Database.Database,
    statements: Statements,
    options: { delayMs: number; beforeBatch: () => void },
  ) {
    this.#db = db;
    this.#q = statements;
    this.#delayMs = Math.max(0, options.delayMs);
    this.#beforeBatch = options.beforeBatch;
  }

  get isClosed(): boolean {
    return this.#closed;
  }

  stats(): GroupCommitStats {
    return { ...this.#stats };
  }

  /** Queue `run` for the next batch; settles with its result after that batch's COMMIT. */
  write<T>(run: () => T): Promise<T> {
    if (this.#closed) return Promise.reject(closedError());
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ run, resolve: resolve as (value: unknown) => void, reject });
      if (this.#timer === null) {
        this.#timer =
          this.#delayMs > 0
            ? { kind: 'timeout', handle: setTimeout(() => this.#flush(), this.#delayMs) }
            : { kind: 'immediate', handle: setImmediate(() => this.#flush()) };
      }
    });
  }

  /** Apply the writes still queued, then refuse new ones. Calling it again does nothing. */
  close(): void {
    if (this.#closed) return;
    this.#cancelTimer();
    this.#flush();
    this.#closed = true;
  }

  #cancelTimer(): void {
    if (this.#timer === null) return;
    if (this.#timer.kind === 'timeout') clearTimeout(this.#timer.handle);
    else clearImmediate(this.#timer.handle);
    this.#timer = null;
  }

  /** Apply every queued write in one transaction, one savepoint each; settle them after COMMIT. */
  #flush(): void {
    this.#timer = null;
    const batch = this.#queue;
    this.#queue = [];
    if (batch.length === 0) return;
    this.#beforeBatch();
    if (this.#closed) {
      for (const op of batch) op.reject(closedError());
      return;
    }
    const db = this.#db;
    const settled: Settled[] = [];
    try {
      this.#q.begin.run();
      for (const op of batch) {
        this.#q.savepoint.run();
        try {
          const value = op.run();
          this.#q.release.run();
          settled.push({ ok: true, value });
        } catch (error) {
          // SQLite rolls the whole transaction back by itself on some errors (disk full,
          // I/O): then everything of this batch is lost, and the batch fails as a whole.
          if (!db.inTransaction) throw error;
          this.#q.rollbackTo.run();
          this.#q.release.run();
          settled.push({ ok: false, error });
        }
        this.#stats.operations += 1;
      }
      this.#q.commit.run();
      this.#stats.transactions += 1;
    } catch (error) {
      if (db.inTransaction) {
        try {
          this.#q.rollback.run();
        } catch (_ignored) {
          // The original error is the one to report.
        }
      }
      for (const op of batch) op.reject(error);
      return;
    }
    batch.forEach((op, i) => {
      const result = settled[i]!;
      if (result.ok) op.resolve(result.value);
      else op.reject(result.error);
    });
  }
}
