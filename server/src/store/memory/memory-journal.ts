/**
 * The memory store's mechanism, apart from its feature tables: stored acknowledgements of
 * commands, the numbered stream entries of every session (with the retained window), and the
 * moderation log. `commit` does what a real store's transaction does at its end: record the
 * command, number the log entries, append the entries and trim each stream.
 *
 * Everything is kept as JSON text, as the real stores keep it, so what a caller gets back is
 * always a copy of its own and never the store's state.
 */
import type {
  LogEntry,
  NewLogEntry,
  SessionId,
  StreamAppend,
  StreamEntry,
  StreamKey,
} from '@gt/core';
import type { AppendedEntry, CommandRef, Commit, StreamRead } from '../store.js';

/** Serialise now: a caller changing an object after the call cannot change what is kept. */
export const json = (value: unknown): string => JSON.stringify(value ?? null);
export const copy = <T>(value: T): T => JSON.parse(json(value)) as T;
export const parse = <T>(text: string | undefined): T | null =>
  text === undefined ? null : (JSON.parse(text) as T);

interface StreamLog {
  head: number;
  /** The retained entries, oldest first: seq and the update's JSON. */
  entries: { seq: number; data: string }[];
}

/** A write's acknowledgement, stream entries and log entries, serialised. */
export interface PreparedWrite {
  ackData: string;
  appends: { stream: StreamKey; data: string }[];
  log: NewLogEntry[];
}

/** Serialise what a write will store, before it changes anything. */
export function prepare(ack: unknown, appends: StreamAppend[] = [], log: NewLogEntry[] = []) {
  return {
    ackData: json(ack),
    appends: appends.map((a) => ({ stream: a.stream, data: json(a.update) })),
    log: copy(log),
  } satisfies PreparedWrite;
}

/** A command's identity as one key: actor and command id cannot run into each other. */
const commandKey = (cmd: CommandRef) => JSON.stringify([cmd.actor, cmd.commandId]);

export class MemoryJournal {
  readonly #retain: number;
  readonly #acks = new Map<string, string>();
  readonly #streams = new Map<string, StreamLog>();
  readonly #logs = new Map<string, string[]>();

  constructor(retain: number) {
    this.#retain = retain;
  }

  /** The stored acknowledgement, or null when the command was never applied. */
  ack<A>(cmd: CommandRef): A | null {
    return parse<A>(this.#acks.get(commandKey(cmd)));
  }

  /** The stored acknowledgement as a replay, when this command was applied before. */
  replay<A>(cmd: CommandRef): Commit<A> | null {
    const stored = this.#acks.get(commandKey(cmd));
    return stored === undefined ? null : { kind: 'replay', ack: JSON.parse(stored) as A };
  }

  /**
   * Record the command, write the log entries and append the stream entries, all at once.
   * `write` is from prepare(), made before the caller changed anything: nothing after the
   * first change can fail, so a write is all or none.
   */
  commit<A>(cmd: CommandRef, sessionId: SessionId, write: PreparedWrite): Commit<A> {
    this.#acks.set(commandKey(cmd), write.ackData);
    const logged = write.log.map((entry) => this.#writeLog(entry));
    const entries: AppendedEntry[] = write.appends.map(({ stream, data }) => {
      const seq = this.#append(sessionId, stream, data);
      return { sessionId, stream, seq, update: JSON.parse(data) as StreamEntry['update'] };
    });
    const committed = { kind: 'committed' as const, ack: parse<A>(write.ackData) as A, entries };
    return logged.length > 0 ? { ...committed, log: logged } : committed;
  }

  head(sessionId: string, stream: StreamKey): number {
    return this.#streams.get(streamKey(sessionId, stream))?.head ?? 0;
  }

  read(sessionId: string, stream: StreamKey, afterSeq: number, limit: number): StreamRead {
    const log = this.#streams.get(streamKey(sessionId, stream));
    const head = log?.head ?? 0;
    if (afterSeq > head) return { head, entries: [], isComplete: false };
    if (afterSeq === head || !log) return { head, entries: [], isComplete: true };
    const oldest = log.entries[0]?.seq ?? null;
    const isComplete = oldest !== null && oldest <= afterSeq + 1;
    const entries = log.entries
      .filter((e) => e.seq > afterSeq)
      .slice(0, Math.max(0, Math.floor(limit)))
      .map((e) => ({ seq: e.seq, update: JSON.parse(e.data) as StreamEntry['update'] }));
    return { head, entries, isComplete };
  }

  /** A session's log, newest first: the `limit` entries with seq below `beforeSeq`. */
  listLog(sessionId: string, beforeSeq: number | null, limit: number): LogEntry[] {
    const before = beforeSeq ?? Number.MAX_SAFE_INTEGER;
    return (this.#logs.get(sessionId) ?? [])
      .map((text) => JSON.parse(text) as LogEntry)
      .filter((entry) => entry.seq < before)
      .reverse()
      .slice(0, Math.max(0, Math.floor(limit)));
  }

  #writeLog(entry: NewLogEntry): LogEntry {
    let log = this.#logs.get(entry.sessionId);
    if (!log) this.#logs.set(entry.sessionId, (log = []));
    const numbered: LogEntry = { ...entry, seq: log.length + 1 };
    log.push(json(numbered));
    return numbered;
  }

  #append(sessionId: string, stream: StreamKey, data: string): number {
    const key = streamKey(sessionId, stream);
    let log = this.#streams.get(key);
    if (!log) this.#streams.set(key, (log = { head: 0, entries: [] }));
    log.head += 1;
    log.entries.push({ seq: log.head, data });
    // Keep the newest `retain` entries; older readers are told to take a snapshot.
    if (log.entries.length > this.#retain) log.entries.splice(0, log.entries.length - this.#retain);
    return log.head;
  }
}

const streamKey = (sessionId: string, stream: StreamKey) => JSON.stringify([sessionId, stream]);

/** Oldest first by a time, then by id, as the real stores order their lists. */
export const byTimeThenId =
  <T extends { id: string }>(time: (item: T) => number) =>
  (a: T, b: T): number =>
    time(a) - time(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export const values = <T>(table: Map<string, string>): T[] =>
  [...table.values()].map((text) => JSON.parse(text) as T);

export const add = (table: Map<string, number>, key: string, n: number) =>
  table.set(key, (table.get(key) ?? 0) + n);

/** A Map of Maps, created on first use: per-session tables. */
export function inner<K, V>(outer: Map<string, Map<K, V>>, key: string): Map<K, V> {
  let map = outer.get(key);
  if (!map) outer.set(key, (map = new Map<K, V>()));
  return map;
}

/** Insert a record whose id must be new, as a primary key would demand. */
export function insertNew(table: Map<string, string>, id: string, record: unknown): void {
  if (table.has(id)) throw new Error(`id ${id} is taken`);
  table.set(id, json(record));
}
