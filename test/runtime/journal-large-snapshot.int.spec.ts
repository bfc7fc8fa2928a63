// A journal whose snapshots are 1.5 to 2.4 MB (hundreds of recordings, dedupe memories of
// thousands of keys, names with multi-byte letters and surrogate pairs), taken by policy while
// inputs go on, on a SQLite file, PostgreSQL and the memory log: each snapshot is the replay's
// state at its position, byte for byte, and a journal reopened on the log rebuilds from the
// latest one the state a whole replay gives.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CORE_STATE_VERSION } from '../../src/core/index.js';
import {
  createMemoryLog,
  type EventLog,
  Journal,
  type LogItem,
  openSqliteLog,
  rebuildFromLog,
  replayUntrusted,
  serializeCore,
} from '../../src/index.js';
import type { Snapshot, SnapshotJsonText } from '../../src/log/index.js';
import { openPostgresLog } from '../../src/postgres.js';
import { describePostgres, freshSchema } from '../fixtures/postgres.js';
import { fleetTrace, type TraceInput } from '../fixtures/scenario.js';
import { tempDir } from '../fixtures/temp-dir.js';
import { delegate } from './delegate.js';

/** Recordings named with 2-, 3- and 4-byte characters: `r12` becomes `r12-é語😀é語😀…`. */
const SUFFIX = 'é語😀'.repeat(250);
const trace: TraceInput[] = fleetTrace(
  250,
  { minutes: 5, failovers: 1, ending: 'exit', restartReports: true, chatterPerMinute: 12 },
  { duplicate: 0.1, delay: 0.1, maxDelayMs: 3_000, loss: 0.02 },
  23,
).map(
  (input) =>
    JSON.parse(
      JSON.stringify(input).replace(
        /"(room-)?r(\d+)"/g,
        (_, room = '', n) => `"${room}r${n}-${SUFFIX}"`,
      ),
    ) as TraceInput,
);

/** The text of the state a replay of the log's first `position` items gives. */
function replayedTo(items: readonly LogItem[], position: number): string {
  return JSON.stringify(serializeCore(replayUntrusted(items.slice(0, position)).state));
}

/** Runs the trace through a journal on `log`, snapshots by policy, and checks them and a reopen. */
async function runAndReopen(
  log: EventLog,
  reopen: () => Promise<EventLog>,
  inputs = trace.length,
): Promise<void> {
  const saved: Snapshot[] = [];
  const watched = {
    ...delegate(log),
    saveSnapshot: async (snapshot: Snapshot) => {
      saved.push(snapshot);
      return log.saveSnapshot(snapshot);
    },
  };
  const journal = await Journal.open(watched, { snapshotEvery: 20, snapshotSliceMs: 1 });
  for (const [index, input] of trace.slice(0, inputs).entries()) {
    await journal.receiveUntrusted(input, input.at);
    if (index % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  await journal.snapshotWritten();
  const state = JSON.stringify(serializeCore(journal.state));
  await journal.close();

  expect(saved.length).toBeGreaterThan(1);
  const texts = saved.map((snapshot) => snapshot.state as SnapshotJsonText);
  // Large enough to be written in several chunks (about 1 MB each) and parts.
  expect(Math.max(...texts.map((text) => text.text.length))).toBeGreaterThan(1.5 * (1 << 20));
  expect(Math.max(...texts.map((text) => text.chunks.length))).toBeGreaterThan(1);

  const reopened = await reopen();
  try {
    const items = (await reopened.readAll({ limit: 1_000_000 })).map((entry) => entry.item);
    const latest = saved.at(-1) as Snapshot;
    const expected = replayedTo(items, latest.position);
    expect((latest.state as SnapshotJsonText).text === expected).toBe(true);
    const loaded = await reopened.loadSnapshot(CORE_STATE_VERSION);
    expect(loaded?.position).toBe(latest.position);
    expect(JSON.stringify(loaded?.state) === expected).toBe(true);
    const rebuilt = await rebuildFromLog(reopened);
    expect(rebuilt.fromPosition).toBe(latest.position);
    const whole = await rebuildFromLog(reopened, { useSnapshot: false });
    expect(JSON.stringify(serializeCore(rebuilt.state)) === state).toBe(true);
    expect(JSON.stringify(serializeCore(whole.state)) === state).toBe(true);
    const again = await Journal.open(reopened);
    expect(JSON.stringify(serializeCore(again.state)) === state).toBe(true);
    await again.close();
  } finally {
    await reopened.close().catch(() => {});
  }
}

describe('a journal with snapshots of over a megabyte', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => dir.remove());

  it('on a SQLite file: rebuilt after a reopen as a replay gives it', async () => {
    const file = dir.file('journal.db');
    await runAndReopen(await openSqliteLog(file), () => openSqliteLog(file));
  }, 120_000);

  it('on the memory log: rebuilt as a replay gives it', async () => {
    const log = createMemoryLog();
    // The memory log is its own store: "reopened" is the same log, its close undone.
    await runAndReopen({ ...delegate(log), close: async () => {} }, async () => log);
  }, 120_000);
});

describePostgres('a journal with snapshots of over a megabyte on PostgreSQL', (url) => {
  it('is rebuilt after a reopen as a replay gives it', async () => {
    const schema = freshSchema();
    // The first 10,000 inputs (a round trip each): snapshots of 1.5 to 1.8 MB, in two parts.
    await runAndReopen(
      await openPostgresLog(url, { schema }),
      () => openPostgresLog(url, { schema }),
      10_000,
    );
  }, 180_000);
});
