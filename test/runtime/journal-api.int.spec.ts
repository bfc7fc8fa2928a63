import { afterAll, describe, expect, it } from 'vitest';
import { CORE_STATE_VERSION } from '../../src/core/index.js';
import {
  createMemoryLog,
  type EventLog,
  InvalidTimeError,
  isRecwatchError,
  Journal,
  JournalClosedError,
  LogClosedError,
  openSqliteLog,
  rebuildFromLog,
  serializeCore,
} from '../../src/index.js';
import { at, start, started, tick } from '../core/inputs.js';
import { tempDir } from '../fixtures/temp-dir.js';
import { delegate } from './delegate.js';

const work = tempDir('recwatch-journal-api-');
afterAll(() => work.remove());
let files = 0;

const stores: [string, () => Promise<EventLog>][] = [
  ['memory', async () => createMemoryLog()],
  [
    'SQLite',
    async () => {
      files += 1;
      return openSqliteLog(work.file(`journal-api-${files}.db`));
    },
  ],
];

const startR1 = {
  at: at(0),
  type: 'start',
  recording: 'r1',
  cname: 'c',
  uid: '1',
  mode: 'mix',
} as const;

describe.each(stores)('Journal API on the %s log', (_name, open) => {
  it('receive(record): a record the host built counts at its own at', async () => {
    const log = await open();
    const journal = await Journal.open(log);
    const { outputs } = await journal.receive(startR1);
    expect(outputs).toContainEqual(
      expect.objectContaining({ kind: 'effect', type: 'acquireAndStart', recording: 'r1' }),
    );
    const [entry] = await log.readAll();
    expect(entry?.at).toBe(at(0));
    // One that does not validate is a reject at its own at, still logged.
    const bad = await journal.receive({ ...startR1, at: at(1), mode: 'stereo left' });
    expect(bad.outputs).toMatchObject([{ decision: 'rejected' }]);
    expect((await log.readAll()).at(-1)).toMatchObject({ at: at(1), item: { kind: 'reject' } });
    await expect(journal.receive({ at: Number.NaN, type: 'tick' })).rejects.toThrow(
      InvalidTimeError,
    );
    await journal.close();
  });

  it('receiveUntrusted(raw, receivedAt): a valid record keeps its at; a reject gets receivedAt', async () => {
    const log = await open();
    const journal = await Journal.open(log);
    await journal.receiveUntrusted(start(0), at(9));
    await journal.receiveUntrusted({ type: 'warp' }, at(10));
    const entries = await log.readAll();
    expect(entries.map((entry) => entry.at)).toEqual([at(0), at(10)]);
    for (const receivedAt of [Number.NaN, -1, 1e22]) {
      const error = await journal.receiveUntrusted(tick(1), receivedAt).catch((e: unknown) => e);
      expect(isRecwatchError(error, 'INVALID_TIME')).toBe(true);
    }
    expect(await log.readAll()).toHaveLength(2);
    await journal.close();
  });

  it('close() lets receives under way finish, closes the log, and refuses anything after', async () => {
    const log = await open();
    const journal = await Journal.open(log);
    const underWay = journal.receive(startR1);
    const closed = journal.close();
    expect(journal.close()).toBe(closed);
    await closed;
    expect((await underWay).position).toBe(1);
    expect(journal.state.position).toBe(1);
    await expect(journal.receive(tick(1) as never)).rejects.toThrow(JournalClosedError);
    await expect(journal.receiveUntrusted(tick(1), at(1))).rejects.toMatchObject({
      code: 'JOURNAL_CLOSED',
    });
    await expect(journal.snapshot()).rejects.toThrow(JournalClosedError);
    await expect(log.readAll()).rejects.toThrow(LogClosedError);
    await journal.close();
  });

  it('close() waits for a receive whose append has not finished yet', async () => {
    const log = await open();
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow: EventLog = {
      ...delegate(log),
      append: async (...args) => {
        await held;
        return log.append(...args);
      },
    };
    const journal = await Journal.open(slow);
    const underWay = journal.receive(startR1);
    let closed = false;
    const closing = journal.close().then(() => {
      closed = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toBe(false);
    release();
    await closing;
    expect((await underWay).outputs).toContainEqual(
      expect.objectContaining({ type: 'acquireAndStart' }),
    );
  });

  it('delivers the outputs of an input whose snapshot fails, reports it, and tries again later', async () => {
    const log = await open();
    let failures = 0;
    const full: EventLog = {
      ...delegate(log),
      saveSnapshot: async (snapshot) => {
        if (failures < 1) {
          failures += 1;
          throw new Error('disk full');
        }
        return log.saveSnapshot(snapshot);
      },
    };
    const reported: [unknown, number][] = [];
    const journal = await Journal.open(full, {
      snapshotEvery: 2,
      onSnapshotError: (error, position) => reported.push([error, position]),
    });
    await journal.receive(startR1);
    // The second input of r1 makes a snapshot due, and the snapshot fails.
    const second = await journal.receiveUntrusted(started(1, 'S1'), at(1));
    expect(second.outputs).toContainEqual(expect.objectContaining({ decision: 'applied' }));
    // The snapshot is written in the background: acting did not wait for it.
    await journal.snapshotWritten();
    expect(reported).toEqual([[expect.objectContaining({ message: 'disk full' }), 2]]);
    // Receiving goes on; the next due snapshot is saved.
    const third = await journal.receiveUntrusted(start(30, 'r2'), at(30));
    expect(third.repeated).toBe(false);
    await journal.receiveUntrusted(started(31, 'S2', 'r2'), at(31));
    await journal.snapshotWritten();
    expect((await log.loadSnapshot(CORE_STATE_VERSION))?.position).toBe(4);
    expect(reported).toHaveLength(1);
    await journal.close();
  });

  it('acts on a logged input when its receive is retried after a failure past the append', async () => {
    const log = await open();
    let lost = true;
    // The store writes the batch, then its acknowledgement is lost (a timeout, a dropped reply).
    const flaky: EventLog = {
      ...delegate(log),
      append: async (...args) => {
        const result = await log.append(...args);
        if (lost) {
          lost = false;
          throw new Error('acknowledgement lost');
        }
        return result;
      },
    };
    const journal = await Journal.open(flaky);
    await expect(journal.receive(startR1)).rejects.toThrow('acknowledgement lost');
    const retry = await journal.receive(startR1);
    expect(retry.repeated).toBe(true);
    expect(retry.outputs).toContainEqual(
      expect.objectContaining({ kind: 'effect', type: 'acquireAndStart' }),
    );
    expect(await journal.receive(startR1)).toMatchObject({
      position: 1,
      repeated: true,
      outputs: [],
    });
    const rebuilt = await rebuildFromLog(log, { useSnapshot: false });
    expect(JSON.stringify(serializeCore(journal.state))).toBe(
      JSON.stringify(serializeCore(rebuilt.state)),
    );
    await journal.close();
  });
});
