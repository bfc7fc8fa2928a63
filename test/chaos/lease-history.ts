// Who held which recording's lease, and when, over a whole chaos run on PostgreSQL: a trigger on
// the log's own leases table copies every row written (an acquire, a renewal, a release) into a
// history table, with the server's wall time. The leases table keeps only the last holder.
import type pg from 'pg';

/** One holding of a lease: `holder` held `name` at `epoch` from `from` to `until` (run clock ms). */
export interface LeaseSpan {
  readonly name: string;
  readonly holder: string;
  readonly epoch: number;
  readonly from: number;
  readonly until: number;
}

/** Adds the history table and its trigger to the log's schema (created by the log beforehand). */
export async function recordLeaseHistory(admin: pg.Pool, schema: string): Promise<void> {
  const s = `"${schema}"`;
  await admin.query(`
    CREATE TABLE ${s}.chaos_lease_history (
      n bigserial PRIMARY KEY,
      name text NOT NULL,
      holder text NOT NULL,
      epoch bigint NOT NULL,
      expires_at bigint NOT NULL,
      wall_ms double precision NOT NULL
    );
    CREATE FUNCTION ${s}.chaos_lease_seen() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO ${s}.chaos_lease_history (name, holder, epoch, expires_at, wall_ms)
      VALUES (NEW.name, NEW.holder, NEW.epoch, NEW.expires_at,
              extract(epoch FROM clock_timestamp()) * 1000);
      RETURN NEW;
    END $$;
    CREATE TRIGGER chaos_lease_seen AFTER INSERT OR UPDATE ON ${s}.leases
      FOR EACH ROW EXECUTE FUNCTION ${s}.chaos_lease_seen();`);
}

/**
 * Every holding of every lease, from the history: a holding starts at its first row's expiry less
 * the lease time (the holder's clock when it acquired it) and ends at its last expiry, or at its
 * release (expiry 0, dated by the server's wall time through `toRunTime`). An expired lease cannot
 * be renewed (only acquired again, at a higher epoch), so each holding is one stretch.
 */
export async function leaseSpans(
  admin: pg.Pool,
  schema: string,
  ttlMs: number,
  toRunTime: (wallMs: number) => number,
): Promise<LeaseSpan[]> {
  const { rows } = await admin.query<{
    name: string;
    holder: string;
    epoch: string;
    expires_at: string;
    wall_ms: number;
  }>(
    `SELECT name, holder, epoch, expires_at, wall_ms FROM "${schema}".chaos_lease_history ORDER BY n`,
  );
  const spans = new Map<
    string,
    { name: string; holder: string; epoch: number; from: number; until: number; released: boolean }
  >();
  for (const row of rows) {
    const key = `${row.name}\n${row.holder}\n${row.epoch}`;
    const expiresAt = Number(row.expires_at);
    let span = spans.get(key);
    if (span === undefined) {
      span = {
        name: row.name,
        holder: row.holder,
        epoch: Number(row.epoch),
        from: expiresAt - ttlMs,
        until: expiresAt,
        released: false,
      };
      spans.set(key, span);
    }
    if (span.released) continue;
    if (expiresAt === 0) {
      span.until = Math.min(span.until, toRunTime(row.wall_ms));
      span.released = true;
    } else span.until = Math.max(span.until, expiresAt);
  }
  return [...spans.values()].map(({ released: _, ...span }) => span);
}
