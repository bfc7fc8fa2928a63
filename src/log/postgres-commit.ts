import type pg from 'pg';
import type { Clock } from '../clock/index.js';
import { type AppendPlan, groupPlanner, type NewEntry } from './append-plan.js';
import { LeaseLostError } from './errors.js';
import { withClient } from './postgres-client.js';
import type { Lease } from './postgres-leases.js';
import type { PostgresStatements } from './postgres-sql.js';
import type { PreparedItem } from './prepare-items.js';
import { keysOfStored } from './rekey.js';
import type { ExpectedVersion } from './types.js';

/** One append of a group, as the PostgreSQL log queued it. */
export interface GroupAppend {
  readonly stream: string;
  readonly items: readonly PreparedItem[];
  readonly expected: ExpectedVersion;
  readonly fence: Lease | undefined;
}

/** What became of one append of a group: written (or all repeats), a conflict, or fenced out. */
export type CommitOutcome =
  | AppendPlan
  | { readonly kind: 'fenced'; readonly error: LeaseLostError };

/**
 * Writes a group of appends in one transaction: locks the log's head (so positions commit in
 * order), reads the keys, stream versions and fencing leases the group needs, plans each append in
 * order as if alone (`planAppend`), and writes every new row with one statement, which also moves
 * the head and sends the notification. Resolves to one outcome per append; rejects (rolling back,
 * nothing written) when the database fails or the connection is lost (then the commit may or may
 * not have happened: the keys make a retry safe).
 * @example const outcomes = await commitGroup(pool, postgresStatements('recwatch'), group);
 */
export async function commitGroup(
  pool: pg.Pool,
  sql: PostgresStatements,
  group: readonly GroupAppend[],
  clock?: Clock,
): Promise<CommitOutcome[]> {
  return withClient(pool, async ({ client, broken, discard }) => {
    try {
      // Simple protocol: BEGIN and the head's lock in one round trip; the lock is the last result.
      const results = (await client.query(sql.begin)) as unknown as pg.QueryResult[];
      const head = Number(results.at(-1)?.rows[0]?.position ?? 0);
      const keys = [...new Set(group.flatMap((each) => each.items.flatMap((item) => item.keys)))];
      const streams = [...new Set(group.map((each) => each.stream))];
      const known = await client.query<KeyHit>(sql.positionsOfKeys, [keys]);
      const positions = checkedPositions(known.rows);
      const current = await client.query<{ stream: string; version: number | null }>(
        sql.streamVersions,
        [streams],
      );
      const versions = new Map(current.rows.map((row) => [row.stream, row.version ?? 0]));
      const live = await liveFences(client, sql, group, clock);
      // Later appends of the group see the earlier ones' rows, as they would in the table.
      const planner = groupPlanner({
        positionOfKey: (key) => positions.get(key),
        streamVersion: (stream) => versions.get(stream) ?? 0,
        head: () => head,
      });
      const outcomes = group.map((each): CommitOutcome => {
        const { fence } = each;
        if (fence !== undefined && !live.has(fenceKey(fence))) {
          return { kind: 'fenced', error: new LeaseLostError(fence.name, fence.epoch) };
        }
        return planner.plan(each.stream, each.items, each.expected);
      });
      const written = planner.written;
      if (written.length > 0)
        await client.query(sql.write, writeParameters(written, planner.head(), sql));
      await client.query('COMMIT');
      return outcomes;
    } catch (error) {
      // A connection whose rollback failed is dropped, not handed to the next group.
      if (broken() === undefined) await client.query('ROLLBACK').catch(discard);
      throw error;
    }
  });
}

interface KeyHit {
  readonly key: string;
  readonly position: string;
  /** The entry's own key. */
  readonly own: string;
  /** The entry's item, when its own key is not the one looked up. */
  readonly item: string | null;
}

// The index finds keys by hash: a hit counts only when the entry at that position does hold the
// key (its own, or one of its item's), so a hash collision is never taken for a repeat. A key
// held by several entries (a reject stored twice before keys were by content) keeps the first.
function checkedPositions(hits: readonly KeyHit[]): Map<string, number> {
  const positions = new Map<string, number>();
  for (const hit of hits) {
    // An item that no longer decodes keeps the keys it was stored under: the hit stands.
    const stored = hit.own === hit.key ? null : keysOfStored(hit.item ?? '');
    const holds = hit.own === hit.key || stored === null || stored.includes(hit.key);
    if (!holds) continue;
    const position = Number(hit.position);
    const known = positions.get(hit.key);
    if (known === undefined || position < known) positions.set(hit.key, position);
  }
  return positions;
}

// The group's fencing leases still held at their epoch, locked (FOR SHARE) until commit.
async function liveFences(
  client: pg.PoolClient,
  sql: PostgresStatements,
  group: readonly GroupAppend[],
  clock: Clock | undefined,
): Promise<Set<string>> {
  const names = [...new Set(group.flatMap((each) => (each.fence ? [each.fence.name] : [])))];
  if (names.length === 0) return new Set();
  const now = clock === undefined ? null : Math.floor(clock.now());
  const rows = await client.query<{ name: string; holder: string; epoch: string }>(sql.liveLeases, [
    names,
    now,
  ]);
  return new Set(rows.rows.map((row) => fenceKey({ ...row, epoch: Number(row.epoch) })));
}

function fenceKey(lease: Pick<Lease, 'name' | 'holder' | 'epoch'>): string {
  return JSON.stringify([lease.name, lease.holder, lease.epoch]);
}

// Column arrays for the one INSERT ... SELECT FROM unnest(...) that writes a whole group.
function writeParameters(rows: readonly NewEntry[], head: number, sql: PostgresStatements) {
  const keyRows = rows.flatMap((row) => row.keys.map((key) => [key, row.position] as const));
  return [
    rows.map((row) => row.position),
    rows.map((row) => row.stream),
    rows.map((row) => row.version),
    rows.map((row) => row.keys[0]),
    rows.map((row) => row.at),
    rows.map((row) => row.text),
    keyRows.map(([key]) => key),
    keyRows.map(([, position]) => position),
    head,
    sql.channel,
  ];
}
