import { describe, expect, it } from 'vitest';
import { CORE_STATE_VERSION } from '../../src/core/index.js';
import {
  type CoreOutput,
  createMemoryLog,
  Journal,
  type LogItem,
  rebuildFromLog,
  replayUntrusted,
  serializeCore,
} from '../../src/index.js';
import { type Snapshot, SnapshotJsonText } from '../../src/log/index.js';
import { fleetTrace } from '../fixtures/scenario.js';
import { delegate } from './delegate.js';

const trace = fleetTrace(
  30,
  { minutes: 4, failovers: 1, ending: 'exit', restartReports: true, chatterPerMinute: 2 },
  { duplicate: 0.1, delay: 0.1, maxDelayMs: 3_000, loss: 0.02 },
  11,
);

/** The state's text folding every logged item up to `position`, as a replay gives it. */
async function replayedTo(items: LogItem[], position: number): Promise<string> {
  const { state } = replayUntrusted(items.slice(0, position));
  return JSON.stringify(serializeCore(state));
}

describe('the journal snapshots a state it owns', () => {
  it('writes the state at its position while the core steps on, and a rebuild from it equals the replay', async () => {
    const log = createMemoryLog();
    const saved: Snapshot[] = [];
    const recording = {
      ...delegate(log),
      saveSnapshot: async (snapshot: Snapshot) => {
        saved.push(snapshot);
        return log.saveSnapshot(snapshot);
      },
    };
    // One step of writing per turn of the event loop, and a turn every third input: the core
    // steps on while each snapshot is written.
    const journal = await Journal.open(recording, { snapshotEvery: 10, snapshotSliceMs: 0 });
    const outputs: CoreOutput[] = [];
    for (const [index, input] of trace.entries()) {
      outputs.push(...(await journal.receiveUntrusted(input, input.at)).outputs);
      if (index % 3 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await journal.snapshotWritten();
    expect(saved.length).toBeGreaterThan(3);
    const items = (await log.readAll({ limit: 1_000_000 })).map((entry) => entry.item);
    for (const snapshot of saved) {
      expect(snapshot.state).toBeInstanceOf(SnapshotJsonText);
      expect(snapshot.position).toBeLessThan(journal.state.position);
      expect((snapshot.state as SnapshotJsonText).text).toBe(
        await replayedTo(items, snapshot.position),
      );
    }
    const latest = await log.loadSnapshot(CORE_STATE_VERSION);
    expect(latest?.position).toBe(saved.at(-1)?.position);
    const rebuilt = await rebuildFromLog(log);
    expect(rebuilt.fromPosition).toBe(latest?.position);
    const whole = await rebuildFromLog(log, { useSnapshot: false });
    expect(JSON.stringify(serializeCore(rebuilt.state))).toBe(
      JSON.stringify(serializeCore(whole.state)),
    );
    expect(JSON.stringify(serializeCore(journal.state))).toBe(
      JSON.stringify(serializeCore(whole.state)),
    );
    expect(outputs.length).toBeGreaterThan(trace.length);
    await journal.close();
  });

  it('gives a step listener the state after the step, a snapshot that later steps leave be', async () => {
    const log = createMemoryLog();
    const seen: { position: number; text: string; state: Journal['view'] }[] = [];
    const late: { position?: number; get state(): unknown }[] = [];
    const journal = await Journal.open(log, {
      onStepped: (step) => {
        if (step.position !== undefined && step.position % 5 === 0) {
          seen.push({
            position: step.position,
            text: JSON.stringify(serializeCore(step.state)),
            state: step.state,
          });
        } else late.push(step);
      },
    });
    for (const input of trace.slice(0, 200)) await journal.receiveUntrusted(input, input.at);
    const items = (await log.readAll({ limit: 1_000 })).map((entry) => entry.item);
    expect(seen.length).toBeGreaterThan(30);
    for (const { position, text, state } of seen) {
      expect(state.position).toBe(position);
      expect(JSON.stringify(serializeCore(state))).toBe(text);
      expect(text).toBe(await replayedTo(items, position));
    }
    // A step's state not read within the call is gone, and says so.
    expect(() => late[0]?.state).toThrow(/not read within its step/);
    await journal.close();
  });
});
