import { describe, expect, it } from 'vitest';
import { CORE_STATE_VERSION } from '../../src/core/index.js';
import {
  createMemoryLog,
  type EventLog,
  Journal,
  rebuildFromLog,
  resolveCoreOptions,
  serializeCore,
} from '../../src/index.js';
import { fleetTrace } from '../fixtures/scenario.js';

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

/** The whole log replayed with these options, snapshots ignored. */
async function replayed(log: EventLog, pollIntervalMs: number) {
  const options = { recording: { pollIntervalMs } };
  const { state } = await rebuildFromLog(log, { options, useSnapshot: false });
  return serializeCore(state, resolveCoreOptions(options));
}

describe('rebuilding from the log: restored state equals replayed state', () => {
  it('uses a snapshot taken with the same options', async () => {
    const log = await logWithSnapshot(60_000);
    const rebuilt = await rebuildFromLog(log, {
      options: { recording: { pollIntervalMs: 60_000 } },
    });
    expect(rebuilt.snapshotRefused).toBeUndefined();
    expect(rebuilt.fromPosition).toBe(half);
    expect(
      serializeCore(rebuilt.state, resolveCoreOptions({ recording: { pollIntervalMs: 60_000 } })),
    ).toEqual(await replayed(log, 60_000));
  });

  it('sets aside a snapshot taken with other options and replays the log with the new ones', async () => {
    const log = await logWithSnapshot(60_000);
    const options = { recording: { pollIntervalMs: 5_000 } };
    const rebuilt = await rebuildFromLog(log, { options });
    expect(rebuilt.snapshotRefused).toMatch(/other options/);
    expect(rebuilt.fromPosition).toBe(0);
    expect(serializeCore(rebuilt.state, resolveCoreOptions(options))).toEqual(
      await replayed(log, 5_000),
    );
    // The options made a difference: the replays under the two options differ.
    const [fast, slow] = [await replayed(log, 5_000), await replayed(log, 60_000)];
    expect({ ...fast, optionsFingerprint: '' }).not.toEqual({ ...slow, optionsFingerprint: '' });
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
    const rebuilt = await rebuildFromLog(log, {
      options: { recording: { pollIntervalMs: 60_000 } },
    });
    expect(rebuilt.snapshotRefused).toMatch(/malformed core state/);
    expect(rebuilt.fromPosition).toBe(0);
    expect(serializeCore(rebuilt.state)).toEqual(await replayed(log, 60_000));
  });
});
