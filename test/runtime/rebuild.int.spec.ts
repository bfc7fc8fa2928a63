import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { CORE_STATE_VERSION } from '../../src/core/index.js';
import {
  createMemoryLog,
  type EventLog,
  Journal,
  openSqliteLog,
  rebuildFromLog,
  resolveCoreOptions,
  serializeCore,
} from '../../src/index.js';
import { keep } from '../../src/log/sqlite-keep.js';
import { fleetTrace } from '../fixtures/scenario.js';
import { tempDir } from '../fixtures/temp-dir.js';

const trace = fleetTrace(
  3,
  { minutes: 3, failovers: 1, ending: 'exit', restartReports: false, chatterPerMinute: 1 },
  { duplicate: 0.05, delay: 0.05, maxDelayMs: 3_000, loss: 0 },
  11,
  // Cut while the recordings run, so their deadlines (which the options set) are in the state.
).filter((input) => input.at < 1_700_000_150_000);
const half = Math.floor(trace.length / 2);

/** A log holding the trace, with a snapshot taken halfway under `pollIntervalMs`. */
async function logWithSnapshot(pollIntervalMs: number) {
  const log = createMemoryLog();
  const journal = await Journal.open(log, { core: { recording: { pollIntervalMs } } });
  for (const input of trace.slice(0, half)) await journal.receiveUntrusted(input, input.at);
  await journal.snapshot();
  for (const input of trace.slice(half)) await journal.receiveUntrusted(input, input.at);
  return log;
}

/** The whole log replayed, snapshots ignored: with the options it recorded, or an override. */
async function replayed(log: EventLog, pollIntervalMs?: number) {
  if (pollIntervalMs === undefined)
    return serializeCore((await rebuildFromLog(log, { useSnapshot: false })).state);
  const options = { recording: { pollIntervalMs } };
  const { state } = await rebuildFromLog(log, { options, useSnapshot: false });
  return serializeCore(state, resolveCoreOptions(options));
}

describe('rebuilding from the log: restored state equals replayed state', () => {
  it('uses a snapshot with the options the log recorded (rule 12), without being told them', async () => {
    const log = await logWithSnapshot(5_000);
    const rebuilt = await rebuildFromLog(log);
    expect(rebuilt.snapshotRefused).toBeUndefined();
    expect(rebuilt.fromPosition).toBe(half + 1);
    expect(rebuilt.state.options.recording.pollIntervalMs).toBe(5_000);
    expect(serializeCore(rebuilt.state)).toEqual(await replayed(log));
    // The recorded options made a difference: the defaults would have decided otherwise.
    const defaults = await replayed(log, 60_000);
    expect({ ...defaults, optionsFingerprint: '', options: null }).not.toEqual({
      ...serializeCore(rebuilt.state),
      optionsFingerprint: '',
      options: null,
    });
  });

  it('sets aside the snapshot for a host that overrides the options, and replays with them', async () => {
    const log = await logWithSnapshot(60_000);
    const options = { recording: { pollIntervalMs: 5_000 } };
    const rebuilt = await rebuildFromLog(log, { options });
    expect(rebuilt.snapshotRefused).toMatch(/another override of the options/);
    expect(rebuilt.fromPosition).toBe(0);
    expect(serializeCore(rebuilt.state, resolveCoreOptions(options))).toEqual(
      await replayed(log, 5_000),
    );
  });

  it.each([
    [
      'a position that is not a number',
      (json: Record<string, unknown>) => ({ ...json, position: 'seven' }),
    ],
    [
      'a recording without its context',
      (json: Record<string, unknown>) => ({ ...json, recordings: [['r1', { value: 'idle' }]] }),
    ],
    [
      'a foreign object of the right version',
      () => ({ version: CORE_STATE_VERSION, hello: 'world' }),
    ],
  ])('sets aside a corrupt snapshot (%s) and replays the log', async (_, corrupt) => {
    const log = await logWithSnapshot(60_000);
    const saved = await log.loadSnapshot(CORE_STATE_VERSION);
    if (saved === null) throw new Error('a snapshot was taken');
    await log.saveSnapshot({ ...saved, state: corrupt(saved.state as Record<string, unknown>) });
    const rebuilt = await rebuildFromLog(log);
    expect(rebuilt.snapshotRefused).toMatch(/malformed core state/);
    expect(rebuilt.fromPosition).toBe(0);
    expect(serializeCore(rebuilt.state)).toEqual(await replayed(log));
  });

  describe('a snapshot whose text is not JSON (a SQLite file damaged by hand)', () => {
    const dirs: ReturnType<typeof tempDir>[] = [];
    afterEach(() => {
      for (const dir of dirs.splice(0)) dir.remove();
    });

    it('is set aside: the log is replayed whole, and a journal still opens on it', async () => {
      const dir = tempDir('recwatch-rebuild-');
      dirs.push(dir);
      const file = dir.file('damaged.db');
      const journal = await Journal.open(await openSqliteLog(file));
      for (const input of trace.slice(0, half)) await journal.receiveUntrusted(input, input.at);
      await journal.snapshot();
      for (const input of trace.slice(half)) await journal.receiveUntrusted(input, input.at);
      const live = serializeCore(journal.state);
      await journal.close();
      const db = keep(new Database(file));
      const damaged = keep(
        db.prepare("UPDATE snapshots SET state = 'garbage', parts_generation = NULL"),
      ).run();
      db.close();
      expect(damaged.changes).toBe(1);

      const log = await openSqliteLog(file);
      try {
        const rebuilt = await rebuildFromLog(log);
        expect(rebuilt.snapshotRefused).toMatch(/unreadable snapshot/);
        expect(rebuilt.fromPosition).toBe(0);
        expect(serializeCore(rebuilt.state)).toEqual(live);
        const reopened = await Journal.open(log);
        expect(serializeCore(reopened.state)).toEqual(live);
      } finally {
        await log.close();
      }
    });
  });
});
