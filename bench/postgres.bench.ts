// The PostgreSQL log's ingest: group commit against one commit per input on the same server,
// durable (fsync on). The server is RECWATCH_BENCH_POSTGRES_URL when set, else a throwaway
// cluster when PostgreSQL is installed; without either the suite reports that it did not run.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openPostgresLog } from '../src/log/postgres-store.js';
import { startSimulator } from '../src/sim/index.js';
import { freePort } from '../test/fixtures/free-port.js';
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
    const takeover = await runTakeoverBench(url);
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
      takeover,
    };
  } finally {
    cluster?.stop();
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

// --- take-over: kill -9 of an owner to its recordings' new owner ----------------------------

const CHILD = fileURLToPath(new URL('../../test/runtime/shared-host-child.mjs', import.meta.url));
const BUILT = fileURLToPath(new URL('../../dist/src/postgres.js', import.meta.url));
const TAKEOVER_TTL_MS = 3_000;
const TAKEOVER_ROUNDS = 3;
const TAKEOVER_RECORDINGS = ['r0', 'r1', 'r2', 'r3'];

/**
 * Take-over time on a real PostgreSQL: two supervisor processes (the built package) share a log
 * and the simulator's recordings; the owner of most recordings is killed with SIGKILL, and the
 * time is taken from the kill to the moment every one of its recordings has a new owner (the
 * new owner's first act: it takes the lease, then resumes the recording). Real time, leases of
 * `TAKEOVER_TTL_MS`; each round restarts the killed process. Needs `npm run build` first.
 * @example const { takeoverMs, leaseTtlMs } = await runTakeoverBench(url);
 */
export async function runTakeoverBench(url: string): Promise<Record<string, unknown>> {
  if (!existsSync(BUILT)) return { skipped: 'run npm run build first (the hosts use dist/)' };
  const schema = `bench_takeover_${Date.now()}`;
  const ports = [await freePort(), await freePort()];
  const sim = await startSimulator({ seed: 5, profile: 'clean' });
  const admin = new pg.Pool({ connectionString: url, max: 1 });
  await (await openPostgresLog(url, { schema })).close();
  const { appId, customerId, customerSecret, secret } = sim.credentials;
  const options = (index: number) => ({
    url,
    schema,
    leaseTtlMs: TAKEOVER_TTL_MS,
    secret,
    baseUrl: sim.baseUrl,
    credentials: { appId, customerId, customerSecret },
    anchor: 0,
    wallAnchor: 0,
    speed: 1,
    port: ports[index],
    instance: index === 0 ? 'host-a' : 'host-b',
    start: index === 0 ? TAKEOVER_RECORDINGS : [],
  });
  const spawnHost = (index: number) => {
    const child = spawn(process.execPath, [CHILD, JSON.stringify(options(index))], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
    const ready = new Promise<void>((resolve) => {
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        if (chunk.includes('"ready":true')) resolve();
      });
    });
    return { index, child, exited, ready };
  };
  const owners = async () => {
    const { rows } = await admin.query<{ name: string; holder: string }>(
      `SELECT name, holder FROM "${schema}".leases WHERE name LIKE 'recording:%' AND expires_at > $1`,
      [Date.now()],
    );
    return new Map(rows.map((row) => [row.name, row.holder]));
  };
  const hosts = [spawnHost(0), spawnHost(1)];
  const takeoverMs: number[] = [];
  const spread: number[] = [];
  try {
    await Promise.all(hosts.map((host) => host.ready));
    await waitFor(async () => (await owners()).size === TAKEOVER_RECORDINGS.length);
    for (let round = 0; round < TAKEOVER_ROUNDS; round += 1) {
      const before = await owners();
      const loads = new Map<string, number>();
      for (const holder of before.values()) loads.set(holder, (loads.get(holder) ?? 0) + 1);
      const [victim] = [...loads].sort((a, b) => b[1] - a[1])[0] as [string, number];
      const index = victim.startsWith('host-a#') ? 0 : 1;
      const held = [...before].filter(([, holder]) => holder === victim).map(([name]) => name);
      spread.push(held.length);
      const host = hosts[index] as (typeof hosts)[number];
      const killedAt = performance.now();
      host.child.kill('SIGKILL');
      await waitFor(async () => {
        const now = await owners();
        return held.every((name) => (now.get(name) ?? victim) !== victim);
      });
      takeoverMs.push(Math.round(performance.now() - killedAt));
      await host.exited;
      hosts[index] = spawnHost(index);
      await hosts[index]?.ready;
    }
  } finally {
    for (const host of hosts) host.child.kill('SIGKILL');
    await Promise.all(hosts.map((host) => host.exited));
    await admin.end();
    await sim.close();
  }
  return {
    what: `2 supervisor processes, ${TAKEOVER_RECORDINGS.length} recordings, kill -9 of the owner of most, ${TAKEOVER_ROUNDS} rounds`,
    leaseTtlMs: TAKEOVER_TTL_MS,
    heartbeatMs: Math.floor(TAKEOVER_TTL_MS / 3),
    recordingsTaken: spread,
    takeoverMs,
    worstVsLease: round(Math.max(...takeoverMs) / TAKEOVER_TTL_MS),
  };
}

// Checks every 10 ms (the resolution of the figure), up to a minute.
async function waitFor(done: () => Promise<boolean>): Promise<void> {
  const started = performance.now();
  while (!(await done())) {
    if (performance.now() - started > 60_000) throw new Error('take-over bench: timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
