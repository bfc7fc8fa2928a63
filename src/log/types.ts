import type { TraceRecord } from '../signals/index.js';

/**
 * One thing received, as the log keeps it: a valid input (its trace record, bodies raw), or a
 * reject (a value that failed validation, kept with the reason so nothing received is lost).
 */
export type LogItem =
  | { readonly kind: 'input'; readonly at: number; readonly record: TraceRecord }
  | {
      readonly kind: 'reject';
      readonly at: number;
      readonly reason: string;
      readonly raw: unknown;
    };

/** An item as stored: where it sits in the whole log and in its stream. */
export interface LogEntry {
  /** Global position, 1-based, increasing across all streams. */
  readonly position: number;
  readonly stream: string;
  /** Version within the stream, 1-based: the stream's version once this entry is in. */
  readonly version: number;
  /** The item's idempotency key (the first, for items that have several). */
  readonly key: string;
  readonly at: number;
  readonly item: LogItem;
}

/** The stream version an append expects (0 = empty stream), or `'any'` to skip the check. */
export type ExpectedVersion = number | 'any';

/** Options of `append`. */
export interface AppendOptions {
  readonly expectedVersion: ExpectedVersion;
}

/** What an append did. Repeats report the position they were first stored at. */
export interface AppendResult {
  /** One position per item, in order. */
  readonly positions: readonly number[];
  /** Per item: true when its key was already in the log, so nothing was written for it. */
  readonly repeated: readonly boolean[];
  /** The stream's version after the append. */
  readonly version: number;
}

/** Options of `readStream`. */
export interface ReadStreamOptions {
  /** First version to read; default 1. */
  readonly fromVersion?: number;
  /** Most entries to read; default all. */
  readonly limit?: number;
}

/** Options of `readAll`: one page of the whole log. */
export interface ReadAllOptions {
  /** First global position to read; default 1. */
  readonly fromPosition?: number;
  /** Page size; default 1000. */
  readonly limit?: number;
}

/** The core's serialized state as of a log position, tagged with the schema it was written in. */
export interface Snapshot {
  /** The last log position the state includes (0 = none). */
  readonly position: number;
  readonly schemaVersion: number;
  /**
   * Opaque JSON: a JSON value, or a `SnapshotJsonText` holding it already written (loaded back,
   * it is the value the text spells either way).
   */
  readonly state: unknown;
}

/**
 * A snapshot's state already written as JSON text (a large state is written a slice at a time,
 * off the event loop, by its owner), whole or in chunks to be joined: a store keeps the text as
 * it is, neither parsing nor writing it again. The caller vouches that it is JSON. The chunks
 * are joined when `text` is first read (100 MB of them take a few hundred ms to join: a store
 * that can write them one by one should read `chunks`).
 * @example await log.saveSnapshot({ position, schemaVersion, state: new SnapshotJsonText(text) });
 */
export class SnapshotJsonText {
  readonly chunks: readonly string[];
  private joined: string | null = null;

  constructor(text: string | readonly string[]) {
    this.chunks = typeof text === 'string' ? [text] : text;
  }

  /** The whole text. */
  get text(): string {
    this.joined ??= this.chunks.join('');
    return this.joined;
  }
}

/**
 * The event log: streams of items under one global order, with optimistic concurrency through
 * an expected stream version and idempotent appends. Every store (memory, SQLite, PostgreSQL)
 * implements exactly these semantics: one contract suite, in the repository, runs on each.
 */
export interface EventLog {
  /**
   * Appends a batch to one stream, all or nothing. Items whose key is already in the log are
   * repeats: not written again, reported at their first position. A batch of repeats only is a
   * retry and succeeds whatever `expectedVersion`; otherwise (an empty batch too) a stale version
   * rejects with `VersionConflictError`. Keys are global: a repeat appended to another stream
   * reports its first position there. The promise resolves once the batch is durable, and reads
   * see the batch from then on.
   */
  append(stream: string, items: readonly LogItem[], options: AppendOptions): Promise<AppendResult>;
  /** Entries of one stream, in version order. */
  readStream(stream: string, options?: ReadStreamOptions): Promise<readonly LogEntry[]>;
  /** One page of the whole log, in position order; an empty page means the end. */
  readAll(options?: ReadAllOptions): Promise<readonly LogEntry[]>;
  /** A stream's current version (0 for a stream with no entries). */
  streamVersion(stream: string): Promise<number>;
  /** Keeps `snapshot` as the latest for its schema version. */
  saveSnapshot(snapshot: Snapshot): Promise<void>;
  /** The latest snapshot written with `schemaVersion`, or null: other versions are never read. */
  loadSnapshot(schemaVersion: number): Promise<Snapshot | null>;
  /** Finishes pending appends, then releases the store; later calls reject with `LogClosedError`. */
  close(): Promise<void>;
}
