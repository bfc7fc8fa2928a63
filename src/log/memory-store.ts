import { type NewEntry, planAppend } from './append-plan.js';
import {
  checkCount,
  checkExpectedVersion,
  checkStream,
  pageRange,
  snapshotJsonText,
  streamRange,
} from './checks.js';
import { decodeEntry } from './codec.js';
import { LogClosedError, SnapshotUnreadableError } from './errors.js';
import { type PreparedItem, prepareItems } from './prepare-items.js';
import type {
  AppendOptions,
  AppendResult,
  EventLog,
  LogEntry,
  LogItem,
  ReadAllOptions,
  ReadStreamOptions,
  Snapshot,
  SnapshotJsonText,
} from './types.js';

/**
 * An event log held in memory, for tests and hosts that need no durability. Same semantics as
 * the durable stores: items are kept as their stored text, so what reads back is what SQLite
 * would give, and later changes to an appended object do not reach the log.
 * @example
 * const log = createMemoryLog();
 * await log.append('clock', [{ kind: 'input', at: 5, record: { at: 5, type: 'tick' } }], { expectedVersion: 0 });
 */
export function createMemoryLog(): EventLog {
  return new MemoryLog();
}

class MemoryLog implements EventLog {
  readonly #entries: NewEntry[] = [];
  readonly #keys = new Map<string, number>();
  readonly #streams = new Map<string, number[]>();
  // Kept as given (a large state's text in chunks is joined when loaded, not when saved).
  readonly #snapshots = new Map<number, { position: number; state: SnapshotJsonText }>();
  #closed = false;

  async append(
    stream: string,
    items: readonly LogItem[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    this.#open();
    checkStream(stream);
    checkExpectedVersion(options?.expectedVersion);
    return this.#write(stream, prepareItems(items), options.expectedVersion);
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<readonly LogEntry[]> {
    this.#open();
    const { from, limit } = streamRange(stream, options);
    const positions = this.#streams.get(stream) ?? [];
    const end = limit === undefined ? undefined : from - 1 + limit;
    return positions.slice(from - 1, end).map((position) => this.#entry(position));
  }

  async readAll(options: ReadAllOptions = {}): Promise<readonly LogEntry[]> {
    this.#open();
    const { from, limit } = pageRange(options);
    const rows = this.#entries.slice(from - 1, from - 1 + limit);
    return rows.map((row) => entryOf(row));
  }

  async streamVersion(stream: string): Promise<number> {
    this.#open();
    checkStream(stream);
    return this.#streams.get(stream)?.length ?? 0;
  }

  async saveSnapshot(snapshot: Snapshot): Promise<void> {
    this.#open();
    const state = snapshotJsonText(snapshot, this.#entries.length);
    this.#snapshots.set(snapshot.schemaVersion, { position: snapshot.position, state });
  }

  async loadSnapshot(schemaVersion: number): Promise<Snapshot | null> {
    this.#open();
    checkCount('schemaVersion', schemaVersion, 0);
    const saved = this.#snapshots.get(schemaVersion);
    if (saved === undefined) return null;
    let state: unknown;
    try {
      state = JSON.parse(saved.state.text);
    } catch {
      // As the other stores: a text given as JSON that is not, never quoted (JSON.parse's
      // message quotes it).
      throw new SnapshotUnreadableError('in memory', schemaVersion);
    }
    return { position: saved.position, schemaVersion, state };
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  #write(
    stream: string,
    items: readonly PreparedItem[],
    expected: AppendOptions['expectedVersion'],
  ): AppendResult {
    const plan = planAppend(
      {
        positionOfKey: (key) => this.#keys.get(key),
        streamVersion: (name) => this.#streams.get(name)?.length ?? 0,
        head: () => this.#entries.length,
      },
      stream,
      items,
      expected,
    );
    if (plan.kind === 'conflict') throw plan.error;
    for (const row of plan.rows) {
      this.#entries.push(row);
      for (const key of row.keys) this.#keys.set(key, row.position);
      const positions = this.#streams.get(stream) ?? [];
      positions.push(row.position);
      this.#streams.set(stream, positions);
    }
    return plan.result;
  }

  #entry(position: number): LogEntry {
    return entryOf(this.#entries[position - 1]!);
  }

  #open(): void {
    if (this.#closed) throw new LogClosedError();
  }
}

function entryOf(row: NewEntry): LogEntry {
  const { position, stream, version, keys } = row;
  return decodeEntry({ position, stream, version, key: keys[0] }, row.text);
}
