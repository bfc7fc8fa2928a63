// The PostgreSQL log's ingest: group commit against one commit per input on the same server,
// durable (fsync on). The server is RECWATCH_BENCH_POSTGRES_URL when set, else a throwaway
// cluster when PostgreSQL is installed; without either the suite reports that it did not run.
import pg from 'pg';
import { openPostgresLog } from '../src/log/postgres-store.js';
import { postgresBinaries, startPostgresCluster } from '../test/fixtures/postgres-cluster.js';
import { notification } from './log.bench.js';

const APPENDERS = 64;
const SECONDS_PER_CASE = 3;

/** One plain INSERT per input, each its own transaction, from one connection. */
async function plainInserts(url: string): Promise<Record<string, number>> {
  const client = new pg.Client(url);
  await client.connect();
  await client.query('DROP TABLE IF EXISTS bench_inputs');
  await client.query(
    'CREATE TABLE bench_inputs (position bigserial PRIMARY KEY, stream text NOT NULL, item text NOT NULL)',
  );
  const start = performance.now();
  const deadline = start + SECONDS_PER_CASE * 1000;
  let inputs = 0;
  while (performance.now() < deadline) {
    await client.query('INSERT INTO bench_inputs (stream, item) VALUES ($1, $2)', [
      `recording-r${inputs % APPENDERS}`,
      JSON.stringify(notification(inputs)),
    ]);
    inputs += 1;
  }
  const seconds = (performance.now() - start) / 1000;
  await client.end();
  return { inputs, seconds: round(seconds), inputsPerSecond: Math.round(inputs / seconds) };
}

/**
 * `APPENDERS` concurrent appenders on one log handle, each appending single inputs to its own
 * stream; `maxItemsPerCommit: 1` makes every input its own transaction (same code, no grouping).
 */
async function appenders(url: string, schema: string, maxItemsPerCommit?: number) {
  const log = await openPostgresLog(url, {
    schema,
    ...(maxItemsPerCommit === undefined ? {} : { maxItemsPerCommit }),
  });
  let next = 0;
  const start = performance.now();
  const deadline = start + SECONDS_PER_CASE * 1000;
  const appender = async (stream: string) => {
    let version = 0;
    while (performance.now() < deadline) {
      const batch = [notification(next++)];
      version = (await log.append(stream, batch, { expectedVersion: version })).version;
    }
  };
  await Promise.all(Array.from({ length: APPENDERS }, (_, n) => appender(`recording-r${n}`)));
  const seconds = (performance.now() - start) / 1000;
  const { commits, items } = log.stats();
  await log.close();
  return {
    inputs: items,
    commits,
    seconds: round(seconds),
    inputsPerSecond: Math.round(items / seconds),
    inputsPerCommit: round(items / commits),
  };
}

/**
 * Runs the PostgreSQL ingest benchmark (about 10 s) and returns its figures.
 * @example const results = await runPostgresBench(); // { groupCommit: {...}, perInputCommit: {...} }
 */
export async function runPostgresBench(): Promise<Record<string, unknown>> {
  const given = process.env.RECWATCH_BENCH_POSTGRES_URL;
  if (given === undefined && postgresBinaries() === null) {
    return { skipped: 'no PostgreSQL: install postgresql or set RECWATCH_BENCH_POSTGRES_URL' };
  }
  const cluster = given === undefined ? await startPostgresCluster({ durable: true }) : null;
  const url = given ?? (cluster as { url: string }).url;
  try {
    const client = new pg.Client(url);
    await client.connect();
    const version = (await client.query<{ server_version: string }>('SHOW server_version')).rows[0];
    await client.end();
    const plain = await plainInserts(url);
    const perInput = await appenders(url, 'bench_per_input', 1);
    const grouped = await appenders(url, 'bench_grouped');
    return {
      postgres: version?.server_version,
      server:
        given === undefined ? 'throwaway local cluster, fsync on, synchronous_commit on' : 'given',
      plainInsert: { what: 'one INSERT per input, autocommit, one connection', ...plain },
      perInputCommit: {
        what: `openPostgresLog, ${APPENDERS} appenders, maxItemsPerCommit 1: one transaction per input`,
        ...perInput,
      },
      groupCommit: {
        what: `openPostgresLog, ${APPENDERS} appenders, appends sharing transactions`,
        ...grouped,
        vsPerInputCommit: round(grouped.inputsPerSecond / perInput.inputsPerSecond),
        vsPlainInsert: round(grouped.inputsPerSecond / (plain.inputsPerSecond ?? 1)),
      },
    };
  } finally {
    cluster?.stop();
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
