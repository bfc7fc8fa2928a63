import type pg from 'pg';
import type { Clock } from '../clock/index.js';
import { checkCount } from './checks.js';
import { LeaseLostError } from './errors.js';
import { asDatabaseError } from './postgres-schema.js';
import { nowSql } from './postgres-sql.js';

/**
 * A lease held: `holder` drives `name` (a recording, or a shard of them) until `expiresAt` (ms,
 * in the leases' clock) unless it renews. `epoch` grows with every acquisition of the name: it is
 * the fencing token a fenced append or an effect carries, so a holder that lost the lease (a
 * pause, a partition) is refused even if it still believes it holds it.
 */
export interface Lease {
  readonly name: string;
  readonly holder: string;
  readonly epoch: number;
  readonly expiresAt: number;
}

/**
 * Leases for several instances sharing one log. Holder names must be unique per running
 * process (a restarted instance is a new holder: add a start time or a random suffix), since
 * what a holder held before a crash must expire, not be resumed.
 */
export interface PostgresLeases {
  /** How long a lease lasts from its last renewal, ms. */
  readonly ttlMs: number;
  /**
   * Takes `name` for `holder` if it is free (never taken, released, or expired), with a new
   * epoch; null when another holder (or this one) holds it unexpired.
   */
  acquire(name: string, holder: string): Promise<Lease | null>;
  /** Extends a lease by `ttlMs` from now; `LeaseLostError` if it expired or was taken over. */
  renew(lease: Lease): Promise<Lease>;
  /**
   * The heartbeat: extends every unexpired lease of `holder` and returns them. A lease the holder
   * believes it has but that is not returned is lost: stop acting for it.
   */
  renewAll(holder: string): Promise<Lease[]>;
  /** Hands a lease back at once (it keeps its epoch, so the next holder's is higher). */
  release(lease: Lease): Promise<boolean>;
  /** Hands back every lease of `holder`, as an instance stopping cleanly does; resolves to the count. */
  releaseAll(holder: string): Promise<number>;
  /** Every unexpired lease: who holds what, for spreading new work over live instances. */
  held(): Promise<Lease[]>;
  /**
   * Keeps `note` on a lease still held at its epoch (null clears it): what the holder is about to
   * do, such as a start sent to Agora, for whoever holds the name next to read after a take-over.
   * Checked and written in one statement, so a holder that lost the lease writes nothing.
   * @throws LeaseLostError when the lease expired or was taken over.
   */
  note(lease: Lease, note: string | null): Promise<void>;
  /** The note last kept on `name`, whoever holds it now (or nobody), or null. */
  noteOf(name: string): Promise<string | null>;
}

/**
 * Throws a `TypeError` unless `lease` has the shape of a `Lease` (as a fence or to renew).
 * @example checkLease(await leases.acquire('recording-r1', 'host-a'))
 */
export function checkLease(lease: unknown): asserts lease is Lease {
  const { name, holder, epoch } = (lease ?? {}) as Partial<Lease>;
  if (typeof name !== 'string' || typeof holder !== 'string' || !Number.isSafeInteger(epoch)) {
    throw new TypeError('a lease must be one acquire() gave: { name, holder, epoch, expiresAt }');
  }
}

interface LeaseRow extends pg.QueryResultRow {
  readonly name: string;
  readonly holder: string;
  readonly epoch: string;
  readonly expires_at: string;
}

/**
 * The leases of the log in `schema`. Time is the server's clock unless `clock` is given.
 * @example
 * const leases = postgresLeases(pool, 'recwatch', { ttlMs: 15_000 });
 * const lease = await leases.acquire('recording-r1', 'host-a#8f3c');
 */
export function postgresLeases(
  pool: pg.Pool,
  schema: string,
  options: { readonly ttlMs: number; readonly clock?: Clock | undefined },
): PostgresLeases {
  const { ttlMs, clock } = options;
  checkCount('ttlMs', ttlMs, 1);
  const table = `"${schema}".leases`;
  const columns = 'name, holder, epoch, expires_at';
  const now = () => (clock === undefined ? null : Math.floor(clock.now()));
  const query = async (problem: string, text: string, values: unknown[]): Promise<Lease[]> => {
    try {
      return (await pool.query<LeaseRow>(text, values)).rows.map(toLease);
    } catch (error) {
      throw asDatabaseError(schema, problem, error);
    }
  };
  const checkName = (what: string, value: unknown) => {
    if (typeof value !== 'string' || value === '') {
      throw new TypeError(`a lease ${what} must be a non-empty string, not ${String(value)}`);
    }
  };
  return {
    ttlMs,
    async acquire(name, holder) {
      checkName('name', name);
      checkName('holder', holder);
      const rows = await query(
        'cannot acquire a lease',
        `INSERT INTO ${table} AS lease (${columns}) VALUES ($1, $2, 1, ${nowSql(3)} + $4)
         ON CONFLICT (name) DO UPDATE
           SET holder = excluded.holder, epoch = lease.epoch + 1, expires_at = excluded.expires_at
           WHERE lease.expires_at <= ${nowSql(3)}
         RETURNING ${columns}`,
        [name, holder, now(), ttlMs],
      );
      return rows[0] ?? null;
    },
    async renew(lease) {
      checkLease(lease);
      const rows = await query(
        'cannot renew a lease',
        `UPDATE ${table} SET expires_at = ${nowSql(4)} + $5
         WHERE name = $1 AND holder = $2 AND epoch = $3 AND expires_at > ${nowSql(4)}
         RETURNING ${columns}`,
        [lease.name, lease.holder, lease.epoch, now(), ttlMs],
      );
      const renewed = rows[0];
      if (renewed === undefined) throw new LeaseLostError(lease.name, lease.epoch);
      return renewed;
    },
    async renewAll(holder) {
      checkName('holder', holder);
      return query(
        'cannot renew leases',
        `UPDATE ${table} SET expires_at = ${nowSql(2)} + $3
         WHERE holder = $1 AND expires_at > ${nowSql(2)}
         RETURNING ${columns}`,
        [holder, now(), ttlMs],
      );
    },
    async release(lease) {
      checkLease(lease);
      const rows = await query(
        'cannot release a lease',
        `UPDATE ${table} SET expires_at = 0 WHERE name = $1 AND holder = $2 AND epoch = $3
         RETURNING ${columns}`,
        [lease.name, lease.holder, lease.epoch],
      );
      return rows.length > 0;
    },
    async releaseAll(holder) {
      checkName('holder', holder);
      const rows = await query(
        'cannot release leases',
        `UPDATE ${table} SET expires_at = 0 WHERE holder = $1 AND expires_at > ${nowSql(2)}
         RETURNING ${columns}`,
        [holder, now()],
      );
      return rows.length;
    },
    async held() {
      return query(
        'cannot read leases',
        `SELECT ${columns} FROM ${table} WHERE expires_at > ${nowSql(1)} ORDER BY name`,
        [now()],
      );
    },
    async note(lease, note) {
      checkLease(lease);
      if (note !== null && typeof note !== 'string') {
        throw new TypeError(`a lease note must be a string or null, not ${typeof note}`);
      }
      const rows = await query(
        'cannot keep a lease note',
        `UPDATE ${table} SET note = $5
         WHERE name = $1 AND holder = $2 AND epoch = $3 AND expires_at > ${nowSql(4)}
         RETURNING ${columns}`,
        [lease.name, lease.holder, lease.epoch, now(), note],
      );
      if (rows.length === 0) throw new LeaseLostError(lease.name, lease.epoch);
    },
    async noteOf(name) {
      checkName('name', name);
      try {
        const result = await pool.query<{ note: string | null }>(
          `SELECT note FROM ${table} WHERE name = $1`,
          [name],
        );
        return result.rows[0]?.note ?? null;
      } catch (error) {
        throw asDatabaseError(schema, 'cannot read a lease note', error);
      }
    },
  };
}

function toLease(row: LeaseRow): Lease {
  return {
    name: row.name,
    holder: row.holder,
    epoch: Number(row.epoch),
    expiresAt: Number(row.expires_at),
  };
}
