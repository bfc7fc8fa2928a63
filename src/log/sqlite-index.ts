// The SQLite log's indexes written in batches (schema 3, the lean log). A commit appends its
// entries to the tail of one B-tree (`entries`, by position) and nothing else: the indexes that
// find an entry by stream (`stream_entries`) or by idempotency key (`entry_keys`) would each
// rewrite a page per stream or per key in every commit (about 150 of a 64-input commit's 160
// pages). They are written in batches instead, inside a group commit, so a batch rewrites each
// page it touches once; `indexed` holds the last position they cover. Once the tail reaches
// INDEX_BATCH entries, a commit indexes its oldest INDEX_SLICE (a slice, never the whole tail: a
// commit that indexed 4,096 entries took 20–44 ms, and every request waiting on it waited that
// long). Until then the writer answers for the entries past `indexed` from memory (this tail), and
// readers read those few rows by position.
import type { NewEntry } from './append-plan.js';
import type { IdempotencyKeys } from './keys.js';
import type { SqliteWrites } from './sqlite-statements.js';

/**
 * Entries the tail holds before a commit indexes some: the longer the tail, the more of a slice's
 * rows fall on the same pages. The tail then stays between INDEX_BATCH − INDEX_SLICE and
 * INDEX_BATCH (plus a group).
 */
export const INDEX_BATCH = 4096;

/**
 * The oldest entries of the tail a commit indexes once the tail reaches INDEX_BATCH (or the
 * commit's own entries, if more), so that commit takes a few ms more, not tens: the whole
 * 4,096-entry tail at once took 20–44 ms in the webhook bench (2,000 req/s, 60,000 entries in the
 * log), the requests waiting on it as long (docs/performance.md, 2026-12-07 evening).
 */
export const INDEX_SLICE = 512;

/** An entry past the indexes, as the writer keeps it. */
export interface TailEntry {
  readonly position: number;
  readonly stream: string;
  readonly version: number;
  readonly keys: IdempotencyKeys;
}

/** What a group commit did to the tail, applied once its transaction has committed. */
export interface TailChange {
  readonly written: readonly TailEntry[];
  /** How many of the oldest entries (the tail's, then `written`) the commit indexed. */
  readonly indexed: number;
}

/**
 * The writer's view of the entries past the indexes (at most INDEX_BATCH plus a group): their
 * keys and their streams' last versions. Changed only once a commit is durable (`settle`), so a
 * failed commit leaves it as the file is.
 */
export class UnindexedTail {
  readonly #entries: TailEntry[] = [];
  readonly #keys = new Map<string, number>();
  readonly #versions = new Map<string, number>();

  /**
   * Reads the entries past the indexes (left by a writer that stopped without writing them), with
   * their keys recomputed from the stored items: the same keys their writer computed, as the
   * schema version is the same. Loads the key code only when there is such an entry.
   * @example const tail = await UnindexedTail.load(sqliteWrites(db));
   */
  static async load(sql: SqliteWrites): Promise<UnindexedTail> {
    const tail = new UnindexedTail();
    const rows = sql.unindexed.all(sql.indexed.get() as number) as {
      position: number;
      stream: string;
      version: number;
      key: string;
      item: string;
    }[];
    if (rows.length === 0) return tail;
    const { keysOfStored } = await import('./rekey.js');
    for (const { position, stream, version, key, item } of rows) {
      const keys = keysOfStored(item) ?? ([key] as const);
      tail.#add({ position, stream, version, keys });
    }
    return tail;
  }

  get size(): number {
    return this.#entries.length;
  }

  /** The position of a key among the tail's entries, if any. */
  positionOf(key: string): number | undefined {
    return this.#keys.get(key);
  }

  /** The last version of a stream among the tail's entries, if any. */
  versionOf(stream: string): number | undefined {
    return this.#versions.get(stream);
  }

  /** The tail's entries, in position order. */
  get entries(): readonly TailEntry[] {
    return this.#entries;
  }

  /**
   * The oldest entries, the tail's then `written`'s, a commit adding `written` indexes: none
   * below INDEX_BATCH, else INDEX_SLICE (or all of `written`, if more).
   */
  indexedBy(written: readonly TailEntry[]): readonly (TailEntry | NewEntry)[] {
    const size = this.#entries.length + written.length;
    if (written.length === 0 || size < INDEX_BATCH) return [];
    const count = Math.min(size, Math.max(INDEX_SLICE, written.length));
    const fromTail = this.#entries.slice(0, count);
    return fromTail.length === count
      ? fromTail
      : [...fromTail, ...written.slice(0, count - fromTail.length)];
  }

  /** Applies what a committed group did: adds its entries, drops those it indexed. */
  settle(change: TailChange): void {
    for (const entry of change.written) this.#add(entry);
    if (change.indexed === 0) return;
    if (change.indexed >= this.#entries.length) {
      this.#clear();
      return;
    }
    for (const { position, stream, version, keys } of this.#entries.splice(0, change.indexed)) {
      // The indexes now answer for what no later entry of the tail does.
      for (const key of keys) if (this.#keys.get(key) === position) this.#keys.delete(key);
      if (this.#versions.get(stream) === version) this.#versions.delete(stream);
    }
  }

  #add({ position, stream, version, keys }: TailEntry): void {
    // Only what the index needs: a new row's text is not kept.
    const entry = { position, stream, version, keys };
    this.#entries.push(entry);
    for (const key of entry.keys) if (!this.#keys.has(key)) this.#keys.set(key, entry.position);
    this.#versions.set(entry.stream, entry.version);
  }

  /**
   * Writes the indexes for the whole tail, in a transaction of its own on `db`'s connection: a
   * writer closing leaves none for the next to read back. The tail is empty once it commits.
   */
  flush(sql: SqliteWrites, transaction: (write: () => void) => void): void {
    if (this.#entries.length === 0) return;
    const last = this.#entries.at(-1)!.position;
    transaction(() => writeIndexes(sql, this.#entries, last));
    this.#clear();
  }

  #clear(): void {
    this.#entries.length = 0;
    this.#keys.clear();
    this.#versions.clear();
  }
}

/**
 * Writes the indexes for `entries` (the tail and a group's new rows, in position order) and moves
 * `indexed` to `head`; must run inside the write transaction. A page the batch touches is written
 * once, at commit, however many of its rows go in (sorting them first was measured no faster); a
 * key already indexed keeps its first position.
 * @example writeIndexes(sql, [...tail.entries, ...written], head)
 */
export function writeIndexes(
  sql: SqliteWrites,
  entries: readonly (TailEntry | NewEntry)[],
  head: number,
): void {
  for (const { position, stream, version, keys } of entries) {
    for (const key of keys) sql.insertKey.run(key, position);
    sql.insertStreamEntry.run(stream, version, position);
  }
  sql.setIndexed.run(head);
}
