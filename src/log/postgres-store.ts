import { setImmediate } from 'node:timers';
import type pg from 'pg';
import type { Observable } from 'rxjs';
import type { Clock } from '../clock/index.js';
import {
  checkCount,
  checkExpectedVersion,
  checkStream,
  pageRange,
  snapshotJsonText,
  streamRange,
} from './checks.js';
import { decodeEntry } from './codec.js';
import { takeGroup } from './commit-group.js';
import { LogClosedError, SnapshotUnreadableError } from './errors.js';
import {
  CONNECTION_ATTEMPTS,
  ConnectionLostError,
  isConnectionLoss,
  survivePoolErrors,
  withClient,
} from './postgres-client.js';
import { type CommitOutcome, commitGroup, type GroupAppend } from './postgres-commit.js';
import { loadPg } from './postgres-driver.js';
import { checkLease, type Lease, type PostgresLeases, postgresLeases } from './postgres-leases.js';
import { asDatabaseError, checkSchemaName, migratePostgres } from './postgres-schema.js';
import { type PostgresStatements, postgresStatements } from './postgres-sql.js';
import { type WatchOptions, watchLog } from './postgres-watch.js';
import { prepareItems } from './prepare-items.js';
import { SNAPSHOT_PART, snapshotParts } from './snapshot-parts.js';
import type { CommitStats } from './sqlite-store.js';
import type {
  AppendOptions,
  AppendResult,
  EventLog,
  LogEntry,
  LogItem,
  ReadAllOptions,
  ReadStreamOptions,
  Snapshot,
} from './types.js';

/** Options of `openPostgresLog`. */
export interface PostgresLogOptions {
  /** The schema holding the log's tables, created if missing; default `recwatch`. */
  readonly schema?: string;
  /** Most items one group commit writes; the rest go in the next one. Default 10000. */
  readonly maxItemsPerCommit?: number;
  /** How long a lease lasts unless renewed, ms; default 15000. */
  readonly leaseTtlMs?: number;
  /**
   * The time leases are measured in. Default: the database server's clock, one clock for every
   * instance whatever their own clocks say. A test passes a virtual clock.
   */
  readonly clock?: Clock;
}

/** Options of a PostgreSQL append: the contract's, plus an optional fencing lease. */
export interface PostgresAppendOptions extends AppendOptions {
  /**
   * Write only while this lease is still held at this epoch: checked inside the append's
   * transaction (the lease row is locked until commit, so a take-over waits for it). A stale
   * lease rejects with `LeaseLostError` and writes nothing.
   */
  readonly fence?: Lease;
}

/** A PostgreSQL event log: the `EventLog` contract, plus fencing, leases and a live feed. */
export interface PostgresEventLog extends EventLog {
  readonly schema: string;
  append(
    stream: string,
    items: readonly LogItem[],
    options: PostgresAppendOptions,
  ): Promise<AppendResult>;
  /** Leases in this log's schema, for instances sharing the work (see `PostgresLeases`). */
  readonly leases: PostgresLeases;
  /**
   * Every entry from `fromPosition` on, as it is committed by any instance: woken by
   * `LISTEN/NOTIFY`, with polling as the fallback. Completes when the log closes.
   */
  watch(options?: WatchOptions): Observable<LogEntry>;
  /** Group-commit counters since this handle was opened. */
  stats(): CommitStats;
}

interface PendingAppend extends GroupAppend {
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: Error) => void;
}

/**
 * Opens (creating or migrating its schema) an event log in PostgreSQL, on a `pg.Pool` the host
 * owns or on a connection string (the log then owns its pool and ends it on close). Group
 * commit: appends issued together, and those that queue while a commit runs, share one
 * transaction, written with one multi-row INSERT; each is checked and settled on its own.
 * Positions are safe for catch-up: writers take the log's head row for their whole transaction,
 * so positions commit in order and a reader never passes a row still in flight.
 * A connection the server drops (a restart, a failover, `pg_terminate_backend`) never crashes the
 * process, whether it was idle in the pool (the host's pool included), writing, or listening. A
 * group commit (or a read) whose connection is lost is tried again on a new one, up to 3 times in
 * all; then it rejects with `LogDatabaseError`, as it does at once when no connection can be had.
 * An append that fails so may still have been committed (a connection lost during COMMIT): retry
 * it as is, its keys make a written item a repeat.
 * @throws LogDatabaseError when the server cannot be reached or the schema is not a recwatch log.
 * @example
 * const log = await openPostgresLog(process.env.DATABASE_URL, { schema: 'recwatch' });
 * await log.append('recording-r1', [toLogItem(input, Date.now())], { expectedVersion: 'any' });
 */
export async function openPostgresLog(
  database: pg.Pool | string,
  options: PostgresLogOptions = {},
): Promise<PostgresEventLog> {
  const schema = options.schema ?? 'recwatch';
  checkSchemaName(schema);
  const maxItems = options.maxItemsPerCommit ?? 10_000;
  const leaseTtlMs = options.leaseTtlMs ?? 15_000;
  checkCount('maxItemsPerCommit', maxItems, 1);
  checkCount('leaseTtlMs', leaseTtlMs, 1);
  // By shape, not instanceof: the host's pool may come from another copy of pg.
  if (typeof database !== 'string' && typeof database?.connect !== 'function') {
    throw new TypeError('openPostgresLog takes a pg.Pool or a connection string');
  }
  const owned = typeof database === 'string';
  // The driver is loaded only here: a host that passes its own pool has it already.
  const pool = owned ? new (await loadPg()).Pool({ connectionString: database }) : database;
  // An idle connection the server drops must not crash the host, on its own pool too: the next
  // query takes a new one. Removed from a host's pool when the log closes.
  const forgetPoolErrors = survivePoolErrors(pool);
  try {
    await migratePostgres(pool, schema);
  } catch (error) {
    if (owned) await pool.end();
    forgetPoolErrors();
    throw asDatabaseError(schema, 'cannot open', error);
  }
  return new PostgresLog(
    pool,
    owned,
    schema,
    maxItems,
    leaseTtlMs,
    options.clock,
    forgetPoolErrors,
  );
}

class PostgresLog implements PostgresEventLog {
  readonly schema: string;
  readonly leases: PostgresLeases;
  readonly #pool: pg.Pool;
  readonly #owned: boolean;
  readonly #sql: PostgresStatements;
  readonly #maxItems: number;
  readonly #clock: Clock | undefined;
  readonly #watchers = new Set<() => void>();
  readonly #forgetPoolErrors: () => void;
  #queue: PendingAppend[] = [];
  #draining: Promise<void> | null = null;
  #closed = false;
  #stats = { commits: 0, appends: 0, items: 0 };

  constructor(
    pool: pg.Pool,
    owned: boolean,
    schema: string,
    maxItems: number,
    leaseTtlMs: number,
    clock: Clock | undefined,
    forgetPoolErrors: () => void,
  ) {
    this.schema = schema;
    this.#forgetPoolErrors = forgetPoolErrors;
    this.#pool = pool;
    this.#owned = owned;
    this.#sql = postgresStatements(schema);
    this.#maxItems = maxItems;
    this.#clock = clock;
    this.leases = postgresLeases(pool, schema, { ttlMs: leaseTtlMs, clock });
  }

  append(
    stream: string,
    items: readonly LogItem[],
    options: PostgresAppendOptions,
  ): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      this.#open();
      checkStream(stream);
      checkExpectedVersion(options?.expectedVersion);
      const prepared = prepareItems(items);
      const fence = options.fence;
      if (fence !== undefined) checkLease(fence);
      this.#queue.push({
        stream,
        items: prepared,
        expected: options.expectedVersion,
        fence,
        resolve,
        reject,
      });
      this.#drain();
    });
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<readonly LogEntry[]> {
    this.#open();
    const { from, limit } = streamRange(stream, options);
    // PostgreSQL reads LIMIT NULL as no limit.
    return this.#read(this.#sql.readStream, [stream, from, limit ?? null]);
  }

  async readAll(options: ReadAllOptions = {}): Promise<readonly LogEntry[]> {
    this.#open();
    const { from, limit } = pageRange(options);
    return this.#read(this.#sql.readAll, [from, limit]);
  }

  async streamVersion(stream: string): Promise<number> {
    this.#open();
    checkStream(stream);
    const rows = await this.#query<{ version: number }>('cannot read', this.#sql.streamVersion, [
      stream,
    ]);
    return rows[0]?.version ?? 0;
  }

  async saveSnapshot(snapshot: Snapshot): Promise<void> {
    this.#open();
    const rows = await this.#query<{ position: string }>('cannot read', this.#sql.head, []);
    const { chunks } = snapshotJsonText(snapshot, Number(rows[0]?.position ?? 0));
    for (let attempt = 1; ; attempt += 1) {
      try {
        await withClient(this.#pool, ({ client, broken, discard }) =>
          this.#writeSnapshot(client, snapshot, chunks).catch(async (error) => {
            if (broken() === undefined) await client.query('ROLLBACK').catch(discard);
            throw error;
          }),
        );
        return;
      } catch (error) {
        // The snapshot's transaction is safe to run again on another connection.
        if (isConnectionLoss(error) && attempt < CONNECTION_ATTEMPTS) continue;
        throw asDatabaseError(this.schema, 'cannot write', error);
      }
    }
  }

  // One part: the state in its row, as before parts. More: a null state and the parts in order.
  // The text as it came, in parts of about 1 MB (never joined into one string), each part
  // joined in a turn of its own (the statement before it awaited) and sent as a statement of
  // one transaction: a snapshot of 100,000 recordings never holds the event loop.
  async #writeSnapshot(
    client: pg.PoolClient,
    snapshot: Snapshot,
    chunks: readonly string[],
  ): Promise<void> {
    const { schemaVersion, position } = snapshot;
    const length = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
    const whole = length <= SNAPSHOT_PART ? chunks.join('') : null;
    await client.query('BEGIN');
    await client.query(this.#sql.saveSnapshot, [schemaVersion, position, whole]);
    await client.query(this.#sql.clearSnapshotParts, [schemaVersion]);
    if (whole === null) {
      let part = 0;
      for (const text of snapshotParts(chunks)) {
        await client.query(this.#sql.saveSnapshotPart, [schemaVersion, part, text]);
        part += 1;
      }
    }
    await client.query('COMMIT');
  }

  async loadSnapshot(schemaVersion: number): Promise<Snapshot | null> {
    this.#open();
    checkCount('schemaVersion', schemaVersion, 0);
    const rows = await this.#query<{ position: string; state: string | null; text: string | null }>(
      'cannot read',
      this.#sql.loadSnapshot,
      [schemaVersion],
    );
    const row = rows[0];
    if (row === undefined) return null;
    let state: unknown;
    try {
      // Read back whole: a host loads a snapshot once, as it starts.
      state = JSON.parse(row.state ?? rows.map((part) => part.text ?? '').join(''));
    } catch {
      throw new SnapshotUnreadableError(`in PostgreSQL schema "${this.schema}"`, schemaVersion);
    }
    return { position: Number(row.position), schemaVersion, state };
  }

  watch(options: WatchOptions = {}): Observable<LogEntry> {
    this.#open();
    return watchLog(this, {
      pool: this.#pool,
      channel: this.#sql.channel,
      options,
      onClose: (stop) => {
        this.#watchers.add(stop);
        return () => this.#watchers.delete(stop);
      },
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    while (this.#draining !== null) await this.#draining;
    for (const stop of [...this.#watchers]) stop();
    if (this.#owned) await this.#pool.end();
    this.#forgetPoolErrors();
  }

  stats(): CommitStats {
    return { ...this.#stats };
  }

  // One group in flight at a time; appends issued meanwhile form the next group.
  #drain(): void {
    if (this.#draining !== null) return;
    this.#draining = (async () => {
      try {
        // setImmediate lets every append issued in this turn join the first group.
        await new Promise((resolve) => setImmediate(resolve));
        while (this.#queue.length > 0) await this.#flush(takeGroup(this.#queue, this.#maxItems));
      } finally {
        this.#draining = null;
      }
    })();
  }

  async #flush(group: readonly PendingAppend[]): Promise<void> {
    let outcomes: CommitOutcome[];
    for (let attempt = 1; ; attempt += 1) {
      try {
        outcomes = await commitGroup(this.#pool, this.#sql, group, this.#clock);
        break;
      } catch (error) {
        // A lost connection is tried again on another (its keys make anything it committed a
        // repeat): after a server restart the pool may still hold connections that died idle.
        if (error instanceof ConnectionLostError && attempt < CONNECTION_ATTEMPTS) continue;
        const failure = asDatabaseError(this.schema, 'cannot append', error);
        for (const pending of group) pending.reject(failure);
        return;
      }
    }
    this.#stats.commits += 1;
    this.#stats.appends += group.length;
    group.forEach((pending, index) => {
      const outcome = outcomes[index]!;
      if (outcome.kind === 'write') {
        this.#stats.items += outcome.rows.length;
        pending.resolve(outcome.result);
      } else {
        pending.reject(outcome.error);
      }
    });
  }

  async #read(text: string, values: unknown[]): Promise<readonly LogEntry[]> {
    const rows = await this.#query<StoredRow>('cannot read', text, values);
    return rows.map((row) => {
      const place = { ...row, position: Number(row.position) };
      try {
        return decodeEntry(place, row.item);
      } catch (error) {
        throw asDatabaseError(this.schema, `unreadable entry at position ${place.position}`, error);
      }
    });
  }

  async #query<Row extends pg.QueryResultRow>(
    problem: string,
    text: string,
    values: unknown[],
  ): Promise<Row[]> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return (await this.#pool.query<Row>(text, values)).rows;
      } catch (error) {
        // Reads and the snapshot's upsert are safe to run again on another connection.
        if (isConnectionLoss(error) && attempt < CONNECTION_ATTEMPTS) continue;
        throw asDatabaseError(this.schema, problem, error);
      }
    }
  }

  #open(): void {
    if (this.#closed) throw new LogClosedError();
  }
}

interface StoredRow extends pg.QueryResultRow {
  readonly position: string;
  readonly stream: string;
  readonly version: number;
  readonly key: string;
  readonly item: string;
}
