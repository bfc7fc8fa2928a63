import { afterAll, describe, expect, it } from 'vitest';
import { CORE_STATE_VERSION } from '../../src/core/index.js';
import {
  createMemoryLog,
  type EventLog,
  Journal,
  openSqliteLog,
  rebuildFromLog,
  serializeCore,
} from '../../src/index.js';
import { fleetTrace } from '../fixtures/scenario.js';
import { tempDir } from '../fixtures/temp-dir.js';
import { delegate } from './delegate.js';

const work = tempDir('recwatch-journal-');
afterAll(() => work.remove());
let logs = 0;

const trace = fleetTrace(
  4,
  { minutes: 3, failovers: 1, ending: 'exit', restartReports: true, chatterPerMinute: 2 },
  { duplicate: 0.1, delay: 0.1, maxDelayMs: 3_000, loss: 0.02 },
  7,
);

const stores: [string, () => Promise<EventLog>][] = [
  ['memory', async () => createMemoryLog()],
  [
    'SQLite',
    async () => {
      logs += 1;
      return openSqliteLog(work.file(`journal-${logs}.db`));
    },
  ],
];

describe.each(stores)('Journal on the %s log', (_name, open) => {
  it('appends before acting: every input is in the log, and the core is at the log head', async () => {
    const log = await open();
    const journal = await Journal.open(log, { snapshotEvery: 50 });
    let last = 0;
    for (const input of trace) last = (await journal.receiveUntrusted(input, input.at)).position;
    expect(journal.state.position).toBe(last);
    const head = await log.readAll({ fromPosition: last, limit: 1 });
    expect(head[0]?.position).toBe(last);
    await log.close();
  });

  it('appends before acting: an input whose append fails is not acted on', async () => {
    const log = await open();
    // Every third append fails (disk full, a lost connection): nothing reaches the log.
    let appends = 0;
    const failing: EventLog = {
      ...delegate(log),
      append: async (...args) => {
        appends += 1;
        if (appends % 3 === 0) throw new Error('disk full');
        return log.append(...args);
      },
    };
    const journal = await Journal.open(failing);
    for (const input of trace.slice(0, 120)) {
      const before = journal.state;
      const received = journal.receiveUntrusted(input, input.at);
      if (appends % 3 === 0) {
        await expect(received).rejects.toThrow('disk full');
        expect(journal.state).toBe(before);
      } else {
        const { position, repeated } = await received;
        if (!repeated) expect(journal.state.position).toBe(position);
      }
    }
    // What the journal acted on is exactly what the log holds.
    const rebuilt = await rebuildFromLog(log, { useSnapshot: false });
    expect(JSON.stringify(serializeCore(journal.state))).toBe(
      JSON.stringify(serializeCore(rebuilt.state)),
    );
    await log.close();
  });

  it('acknowledges a resend without acting on it again', async () => {
    const log = await open();
    const journal = await Journal.open(log);
    const first = await journal.receiveUntrusted(trace[0], 1);
    const again = await journal.receiveUntrusted(trace[0], 2);
    expect(again).toMatchObject({ position: first.position, repeated: true, outputs: [] });
    expect(journal.state.position).toBe(1);
    await log.close();
  });

  it('keeps what fails validation as a reject, with its reason, and goes on', async () => {
    const log = await open();
    const journal = await Journal.open(log);
    const received = await journal.receiveUntrusted({ at: 5, type: 'warp' }, 5);
    expect(received.outputs).toMatchObject([
      { decision: 'rejected', reason: expect.stringContaining('type') },
    ]);
    const [entry] = await log.readAll();
    expect(entry?.item).toMatchObject({ kind: 'reject', raw: { at: 5, type: 'warp' } });
    await log.close();
  });

  it('acts on concurrent receives in log order', async () => {
    const log = await open();
    const journal = await Journal.open(log);
    const results = await Promise.all(
      trace.slice(0, 200).map((input) => journal.receiveUntrusted(input, input.at)),
    );
    const positions = results.filter((r) => !r.repeated).map((r) => r.position);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    const fresh = await Journal.open(log);
    expect(JSON.stringify(serializeCore(fresh.state))).toBe(
      JSON.stringify(serializeCore(journal.state)),
    );
    await log.close();
  });

  it('rebuilds from the latest snapshot plus the tail exactly as a full replay does', async () => {
    const log = await open();
    const journal = await Journal.open(log, { snapshotEvery: 10 });
    for (const input of trace) await journal.receiveUntrusted(input, input.at);
    // Snapshots are written in the background, in slices: on a busy machine the last may be out.
    await journal.snapshotWritten();
    const snapshot = await log.loadSnapshot(CORE_STATE_VERSION);
    expect(snapshot).not.toBeNull();
    expect(snapshot?.position).toBeGreaterThan(0);
    const fromSnapshot = await rebuildFromLog(log);
    const full = await rebuildFromLog(log, { useSnapshot: false });
    expect(fromSnapshot.fromPosition).toBe(snapshot?.position);
    expect(fromSnapshot.replayed).toBeLessThan(full.replayed);
    expect(JSON.stringify(serializeCore(fromSnapshot.state))).toBe(
      JSON.stringify(serializeCore(full.state)),
    );
    expect(JSON.stringify(serializeCore(journal.state))).toBe(
      JSON.stringify(serializeCore(full.state)),
    );
    await log.close();
  });

  it('ignores a snapshot of another state version and replays from the start', async () => {
    const log = await open();
    const journal = await Journal.open(log);
    for (const input of trace.slice(0, 100)) await journal.receiveUntrusted(input, input.at);
    await log.saveSnapshot({
      position: 50,
      schemaVersion: CORE_STATE_VERSION - 1,
      state: { garbage: true },
    });
    const rebuilt = await rebuildFromLog(log);
    expect(rebuilt.fromPosition).toBe(0);
    expect(JSON.stringify(serializeCore(rebuilt.state))).toBe(
      JSON.stringify(serializeCore(journal.state)),
    );
    await log.close();
  });

  it('steps what another writer appended in between, in log order', async () => {
    const log = await open();
    const first = await Journal.open(log);
    const second = await Journal.open(log);
    for (const [i, input] of trace.slice(0, 60).entries()) {
      await (i % 3 === 0 ? second : first).receiveUntrusted(input, input.at);
    }
    const [last] = trace.slice(60, 61);
    await first.receiveUntrusted(last, 0);
    await second.receiveUntrusted(last, 0);
    await second.receiveUntrusted(trace[61], 0);
    await first.receiveUntrusted(trace[62], 0);
    const fresh = await Journal.open(log);
    expect(first.state.position).toBe(fresh.state.position);
    expect(JSON.stringify(serializeCore(first.state))).toBe(
      JSON.stringify(serializeCore(fresh.state)),
    );
    expect(second.state.position).toBe(fresh.state.position - 1);
    await log.close();
  });

  it('snapshots on demand', async () => {
    const log = await open();
    const journal = await Journal.open(log, { snapshotEvery: 1_000_000 });
    for (const input of trace.slice(0, 30)) await journal.receiveUntrusted(input, input.at);
    expect(await log.loadSnapshot(CORE_STATE_VERSION)).toBeNull();
    await journal.snapshot();
    expect((await log.loadSnapshot(CORE_STATE_VERSION))?.position).toBe(journal.state.position);
    await log.close();
  });

  it('acts in log order even when a store resolves appends out of order', async () => {
    const log = await open();
    // A store whose first append is acknowledged only after the second one was acted on.
    let releaseFirst: () => void = () => {};
    const firstHeld = new Promise<void>((resolve) => {
      releaseFirst = resolve;
    });
    let appends = 0;
    const reordering: EventLog = {
      ...delegate(log),
      append: async (...args) => {
        appends += 1;
        const isFirst = appends === 1;
        const result = await log.append(...args);
        if (isFirst) await firstHeld;
        return result;
      },
    };
    const journal = await Journal.open(reordering);
    const [a, b] = [trace[0], trace[1]] as [(typeof trace)[number], (typeof trace)[number]];
    const pending = journal.receiveUntrusted(a, a.at);
    const second = await journal.receiveUntrusted(b, b.at);
    releaseFirst();
    const first = await pending;
    expect([first.position, second.position]).toEqual([1, 2]);
    // The second acknowledgement stepped both, in log order, and carries both decisions.
    expect(second.outputs.filter((o) => o.kind === 'decision').map((o) => o.position)).toEqual([
      1, 2,
    ]);
    // The first learns what its own step gave (its verdict), marked as acted on already.
    expect(first.actedBefore).toBe(true);
    expect(first.outputs.filter((o) => o.kind === 'decision').map((o) => o.position)).toEqual([1]);
    expect(second.actedBefore).toBeUndefined();
    expect(journal.state.position).toBe(2);
    await log.close();
  });
});
