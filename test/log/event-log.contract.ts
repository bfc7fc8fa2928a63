// The semantics every EventLog store must have. A store's spec calls `eventLogContract` with a
// factory; a new store (PostgreSQL) passes this suite before anything else.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors/index.js';
import {
  allEntries,
  type EventLog,
  LogClosedError,
  type LogItem,
  SnapshotUnreadableError,
  VersionConflictError,
} from '../../src/index.js';
import { SnapshotJsonText, streamOf } from '../../src/log/index.js';
import { notification, query, rawNotification, reject, stop, tick, ticks } from './items.js';

/** A store under test: `open` gives a log; for a durable store, each call opens the same data. */
export interface StoreUnderTest {
  open(): Promise<EventLog>;
  dispose(): void;
}

/** How to test a store: `durable` stores also keep their data across close and reopen. */
export interface ContractOptions {
  readonly durable: boolean;
  readonly makeStore: () => StoreUnderTest;
}

export function eventLogContract(name: string, { durable, makeStore }: ContractOptions): void {
  describe(`${name} (EventLog contract)`, () => {
    let store: StoreUnderTest;
    let log: EventLog;
    const opened: EventLog[] = [];

    async function open(): Promise<EventLog> {
      const next = await store.open();
      opened.push(next);
      return next;
    }

    beforeEach(async () => {
      store = makeStore();
      log = await open();
    });

    afterEach(async () => {
      for (const each of opened.splice(0)) await each.close();
      store.dispose();
    });

    const items = (entries: readonly { item: LogItem }[]) => entries.map((entry) => entry.item);

    describe('append and read', () => {
      it('gives positions and versions from 1, and reads items back as appended', async () => {
        const batch = [tick(1), tick(2), tick(3)];
        const result = await log.append('clock', batch, { expectedVersion: 0 });
        expect(result).toEqual({
          positions: [1, 2, 3],
          repeated: [false, false, false],
          version: 3,
        });
        const entries = await log.readStream('clock');
        expect(entries.map(({ position, version }) => [position, version])).toEqual([
          [1, 1],
          [2, 2],
          [3, 3],
        ]);
        expect(items(entries)).toEqual(batch);
        expect(entries[0]).toMatchObject({ stream: 'clock', at: 1, key: 'tick[1]' });
      });

      it('orders all streams by one global position, each stream by its own version', async () => {
        await log.append('recording-r1', [stop(10)], { expectedVersion: 0 });
        await log.append('clock', [tick(11)], { expectedVersion: 0 });
        await log.append('recording-r1', [query(12)], { expectedVersion: 1 });
        const all = await log.readAll();
        expect(all.map(({ position, stream, version }) => [position, stream, version])).toEqual([
          [1, 'recording-r1', 1],
          [2, 'clock', 1],
          [3, 'recording-r1', 2],
        ]);
        expect(await log.streamVersion('recording-r1')).toBe(2);
        expect(await log.streamVersion('recording-r9')).toBe(0);
      });

      it('reads a stream from a version, up to a limit', async () => {
        await log.append('clock', ticks(100, 5), { expectedVersion: 0 });
        const part = await log.readStream('clock', { fromVersion: 2, limit: 2 });
        expect(part.map((entry) => entry.version)).toEqual([2, 3]);
        expect(await log.readStream('clock', { fromVersion: 6 })).toEqual([]);
        expect(await log.readStream('nothing-here')).toEqual([]);
      });

      it('keeps what was appended, whatever happens to the caller’s objects afterwards', async () => {
        const item = query(5);
        await log.append('recording-r1', [item], { expectedVersion: 0 });
        if (item.kind === 'input' && item.record.type === 'query') {
          (item.record.body as { sid?: string }).sid = 'changed';
        }
        const [entry] = await log.readStream('recording-r1');
        expect(entry?.item).toEqual(query(5));
      });

      it('keeps notification bodies exactly as received: objects, text and bytes', async () => {
        const text =
          '{"noticeId":"n1","eventType":40,"payload":{"sid":"S1","sequence":0,"sendts":1}}';
        const bytes = new TextEncoder().encode(text.replace('n1', 'n2').replace('0,', '1,'));
        const batch = [
          notification(1, { eventType: 40, sequence: 7, noticeId: 'n0' }),
          rawNotification(2, text),
          rawNotification(3, bytes),
        ];
        await log.append('sid-S1', batch, { expectedVersion: 0 });
        const entries = await log.readStream('sid-S1');
        expect(items(entries)).toEqual(batch);
        const body = entries[2]?.item.kind === 'input' && entries[2].item.record;
        expect(body && 'body' in body && body.body).toBeInstanceOf(Uint8Array);
      });

      it('appends an empty batch as a no-op that still checks the version', async () => {
        await log.append('clock', [tick(1)], { expectedVersion: 0 });
        expect(await log.append('clock', [], { expectedVersion: 1 })).toEqual({
          positions: [],
          repeated: [],
          version: 1,
        });
        await expect(log.append('clock', [], { expectedVersion: 0 })).rejects.toThrow(
          VersionConflictError,
        );
      });

      it('refuses malformed calls with a TypeError', async () => {
        const expectedVersion = -1;
        await expect(log.append('clock', [tick(1)], { expectedVersion })).rejects.toThrow(
          InvalidArgumentError,
        );
        await expect(log.append('', [tick(1)], { expectedVersion: 0 })).rejects.toThrow(
          InvalidArgumentError,
        );
        const notItem = { kind: 'other', at: 1 } as unknown as LogItem;
        await expect(log.append('clock', [notItem], { expectedVersion: 0 })).rejects.toThrow(
          InvalidArgumentError,
        );
        expect(await log.readAll()).toEqual([]);
      });

      it('refuses a stream name that is not well-formed Unicode (a lone surrogate)', async () => {
        await expect(log.append('sid-S\ud800', [tick(1)], { expectedVersion: 0 })).rejects.toThrow(
          InvalidArgumentError,
        );
        await expect(log.readStream('sid-\udc00')).rejects.toThrow(InvalidArgumentError);
      });

      it('reads a sid holding a lone surrogate back exactly, in its stream', async () => {
        const sid = 'S\ud800x';
        const item = notification(5, { eventType: 40, sid, sequence: 0, noticeId: 'n-s' });
        const stream = streamOf(item);
        await log.append(stream, [item], { expectedVersion: 0 });
        const [entry] = await log.readStream(stream);
        expect(entry?.stream).toBe(stream);
        expect(entry?.item).toEqual(item);
        expect((await log.readAll())[0]?.stream).toBe(stream);
        expect((await log.append(stream, [item], { expectedVersion: 'any' })).repeated).toEqual([
          true,
        ]);
      });
    });

    describe('expected version', () => {
      it('rejects a stale expected version with the stream, expected and actual versions', async () => {
        await log.append('clock', [tick(1), tick(2)], { expectedVersion: 0 });
        const conflict = log.append('clock', [tick(3)], { expectedVersion: 1 });
        await expect(conflict).rejects.toThrow(VersionConflictError);
        await expect(conflict).rejects.toMatchObject({ stream: 'clock', expected: 1, actual: 2 });
        expect(await log.streamVersion('clock')).toBe(2);
      });

      it('rejects an expected version ahead of the stream', async () => {
        await expect(log.append('clock', [tick(1)], { expectedVersion: 3 })).rejects.toMatchObject({
          expected: 3,
          actual: 0,
        });
        expect(await log.readAll()).toEqual([]);
      });

      it("appends whatever the version with 'any'", async () => {
        await log.append('clock', [tick(1)], { expectedVersion: 'any' });
        const result = await log.append('clock', [tick(2)], { expectedVersion: 'any' });
        expect(result.version).toBe(2);
      });

      it('lets exactly one of two racing appends on one stream win', async () => {
        const [first, second] = await Promise.allSettled([
          log.append('recording-r1', [stop(1, 'r1'), query(2)], { expectedVersion: 0 }),
          log.append('recording-r1', [query(3)], { expectedVersion: 0 }),
        ]);
        const outcomes = [first?.status, second?.status].sort();
        expect(outcomes).toEqual(['fulfilled', 'rejected']);
        const loser = [first, second].find((outcome) => outcome?.status === 'rejected');
        expect(loser?.status === 'rejected' && loser.reason).toBeInstanceOf(VersionConflictError);
        const winner = first?.status === 'fulfilled' ? [stop(1, 'r1'), query(2)] : [query(3)];
        expect(items(await log.readStream('recording-r1'))).toEqual(winner);
      });

      it('does not let a conflicting append spoil appends issued alongside it', async () => {
        const outcomes = await Promise.allSettled([
          log.append('clock', [tick(1)], { expectedVersion: 0 }),
          log.append('clock', [tick(2)], { expectedVersion: 0 }),
          log.append('recording-r1', [stop(3)], { expectedVersion: 0 }),
          log.append('clock', [tick(4)], { expectedVersion: 1 }),
        ]);
        expect(outcomes.map((outcome) => outcome.status)).toEqual([
          'fulfilled',
          'rejected',
          'fulfilled',
          'fulfilled',
        ]);
        expect(items(await log.readAll())).toEqual([tick(1), stop(3), tick(4)]);
      });
    });

    describe('idempotency', () => {
      it('stores a repeated item once and reports its first position', async () => {
        await log.append('clock', [tick(1), tick(2)], { expectedVersion: 0 });
        const again = await log.append('clock', [tick(2)], { expectedVersion: 2 });
        expect(again).toEqual({ positions: [2], repeated: [true], version: 2 });
        expect(await log.readAll()).toHaveLength(2);
      });

      it('accepts a retried batch whatever its expected version', async () => {
        const batch = [stop(1), query(2)];
        const first = await log.append('recording-r1', batch, { expectedVersion: 0 });
        await log.append('recording-r1', [query(3)], { expectedVersion: 2 });
        const retry = await log.append('recording-r1', batch, { expectedVersion: 0 });
        expect(retry).toEqual({ positions: first.positions, repeated: [true, true], version: 3 });
        expect(await log.readAll()).toHaveLength(3);
      });

      it('writes only the new items of a mixed batch, checking the version', async () => {
        await log.append('clock', [tick(1), tick(2)], { expectedVersion: 0 });
        await expect(
          log.append('clock', [tick(2), tick(3)], { expectedVersion: 0 }),
        ).rejects.toThrow(VersionConflictError);
        const mixed = await log.append('clock', [tick(2), tick(3)], { expectedVersion: 2 });
        expect(mixed).toEqual({ positions: [2, 3], repeated: [true, false], version: 3 });
        expect(items(await log.readAll())).toEqual(ticks(1, 3));
      });

      it('stores an item repeated inside one batch once', async () => {
        const result = await log.append('clock', [tick(1), tick(2), tick(1)], {
          expectedVersion: 0,
        });
        expect(result).toEqual({
          positions: [1, 2, 1],
          repeated: [false, false, true],
          version: 2,
        });
      });

      it('sees a notification resent with the same sid, eventType and sequence as a repeat', async () => {
        const sent = notification(1, { eventType: 40, sequence: 3, noticeId: 'a' });
        const resent = notification(2, { eventType: 40, sequence: 3, noticeId: 'b' });
        await log.append('sid-S', [sent], { expectedVersion: 0 });
        const result = await log.append('sid-S', [resent], { expectedVersion: 0 });
        expect(result).toEqual({ positions: [1], repeated: [true], version: 1 });
      });

      it('sees a notification with a noticeId already stored as a repeat', async () => {
        const sent = notification(1, { eventType: 40, sequence: 3, noticeId: 'same' });
        const resent = notification(2, { eventType: 40, sequence: 4, noticeId: 'same' });
        await log.append('sid-S', [sent], { expectedVersion: 0 });
        expect((await log.append('sid-S', [resent], { expectedVersion: 1 })).repeated).toEqual([
          true,
        ]);
      });

      it('keeps two concurrent appends of one item as one entry', async () => {
        const [a, b] = await Promise.all([
          log.append('clock', [tick(9)], { expectedVersion: 'any' }),
          log.append('clock', [tick(9)], { expectedVersion: 'any' }),
        ]);
        expect(a.positions).toEqual(b.positions);
        expect(await log.readAll()).toHaveLength(1);
      });
    });

    describe('rejects', () => {
      it('stores a reject with its reason and raw value', async () => {
        const raws = [
          { type: 'teleport', at: 1 },
          'not json {',
          new Uint8Array([0xff, 0, 1]),
          null,
        ];
        const batch = raws.map((raw, index) => reject(100 + index, raw, `reason ${index}`));
        await log.append('rejects', batch, { expectedVersion: 0 });
        expect(items(await log.readStream('rejects'))).toEqual(batch);
      });

      it('stores a reject once, whenever the same raw value is received again', async () => {
        const raw = { type: 'teleport' };
        await log.append('rejects', [reject(1, raw)], { expectedVersion: 'any' });
        const again = await log.append(
          'rejects',
          [reject(1, raw), reject(2, raw), reject(2, { type: 'teleport!' })],
          { expectedVersion: 'any' },
        );
        expect(again.repeated).toEqual([true, true, false]);
      });
    });

    describe('readAll', () => {
      it('pages through the whole log', async () => {
        await log.append('clock', ticks(1, 7), { expectedVersion: 0 });
        const first = await log.readAll({ limit: 3 });
        const second = await log.readAll({ fromPosition: 4, limit: 3 });
        const third = await log.readAll({ fromPosition: 7, limit: 3 });
        expect([first, second, third].map((page) => page.map((entry) => entry.position))).toEqual([
          [1, 2, 3],
          [4, 5, 6],
          [7],
        ]);
        expect(await log.readAll({ fromPosition: 8 })).toEqual([]);
      });

      it('iterates every entry from a position with allEntries, page by page', async () => {
        await log.append('clock', ticks(1, 10), { expectedVersion: 0 });
        const seen: number[] = [];
        for await (const entry of allEntries(log, { fromPosition: 2, pageSize: 3 })) {
          seen.push(entry.position);
        }
        expect(seen).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
      });
    });

    describe('snapshots', () => {
      it('has none at first', async () => {
        expect(await log.loadSnapshot(1)).toBeNull();
      });

      it('loads the latest snapshot of a schema version', async () => {
        await log.append('clock', ticks(1, 3), { expectedVersion: 0 });
        await log.saveSnapshot({ position: 2, schemaVersion: 1, state: { n: 2 } });
        await log.saveSnapshot({ position: 3, schemaVersion: 1, state: { n: 3 } });
        expect(await log.loadSnapshot(1)).toEqual({
          position: 3,
          schemaVersion: 1,
          state: { n: 3 },
        });
      });

      it('never reads a snapshot of another schema version', async () => {
        await log.append('clock', ticks(1, 3), { expectedVersion: 0 });
        await log.saveSnapshot({ position: 3, schemaVersion: 1, state: { old: true } });
        expect(await log.loadSnapshot(2)).toBeNull();
        await log.saveSnapshot({ position: 2, schemaVersion: 2, state: { fresh: true } });
        expect((await log.loadSnapshot(2))?.state).toEqual({ fresh: true });
        expect((await log.loadSnapshot(1))?.state).toEqual({ old: true });
      });

      it('keeps a state given as text in chunks, whatever their boundaries', async () => {
        await log.append('clock', ticks(1, 2), { expectedVersion: 0 });
        const state = {
          name: 'r\u00e9union \u{1F600}',
          list: Array.from({ length: 50 }, (_, n) => n),
        };
        const text = JSON.stringify(state);
        // Cut every few UTF-16 units: through the emoji's surrogate pair too.
        const cut = text.indexOf('\u{1F600}') + 1;
        const chunks = [text.slice(0, cut), text.slice(cut, cut + 3)];
        for (let at = cut + 3; at < text.length; at += 7) chunks.push(text.slice(at, at + 7));
        expect(chunks.join('')).toBe(text);
        await log.saveSnapshot({
          position: 2,
          schemaVersion: 1,
          state: new SnapshotJsonText(chunks),
        });
        expect(await log.loadSnapshot(1)).toEqual({ position: 2, schemaVersion: 1, state });
        // A later snapshot in one piece replaces it whole.
        await log.saveSnapshot({
          position: 2,
          schemaVersion: 1,
          state: new SnapshotJsonText('[1]'),
        });
        expect((await log.loadSnapshot(1))?.state).toEqual([1]);
      });

      it('reads a text in chunks that is not JSON as SnapshotUnreadableError, never quoting it', async () => {
        await log.append('clock', ticks(1, 2), { expectedVersion: 0 });
        // A host vouched for chunks that join to no JSON (one was lost): the text stays unquoted.
        await log.saveSnapshot({
          position: 2,
          schemaVersion: 1,
          state: new SnapshotJsonText(['{"token":', '', '"abc-secret-looking']),
        });
        const error = await log.loadSnapshot(1).then(
          () => null,
          (thrown: unknown) => thrown,
        );
        expect(error).toBeInstanceOf(SnapshotUnreadableError);
        expect(String((error as Error).message)).not.toContain('secret-looking');
      });

      it('refuses a snapshot past the end of the log', async () => {
        await log.append('clock', ticks(1, 2), { expectedVersion: 0 });
        await expect(
          log.saveSnapshot({ position: 3, schemaVersion: 1, state: {} }),
        ).rejects.toThrow(InvalidArgumentError);
      });
    });

    describe('close', () => {
      it('finishes appends issued before it', async () => {
        const pending = log.append('clock', [tick(1)], { expectedVersion: 0 });
        await log.close();
        expect(await pending).toMatchObject({ positions: [1] });
      });

      it('refuses calls after it', async () => {
        await log.close();
        await expect(log.append('clock', [tick(1)], { expectedVersion: 0 })).rejects.toThrow(
          LogClosedError,
        );
        await expect(log.readAll()).rejects.toThrow(LogClosedError);
      });
    });

    describe('reopen', () => {
      it.runIf(durable)(
        'keeps entries, versions, keys and snapshots across close and reopen',
        async () => {
          await log.append('clock', ticks(1, 3), { expectedVersion: 0 });
          await log.append('rejects', [reject(4, new Uint8Array([1, 2]))], { expectedVersion: 0 });
          await log.saveSnapshot({ position: 4, schemaVersion: 7, state: { at: 4 } });
          const before = await log.readAll();
          await log.close();
          const reopened = await open();
          expect(await reopened.readAll()).toEqual(before);
          expect(await reopened.streamVersion('clock')).toBe(3);
          expect(
            (await reopened.append('clock', [tick(2)], { expectedVersion: 0 })).repeated,
          ).toEqual([true]);
          await expect(reopened.append('clock', [tick(5)], { expectedVersion: 0 })).rejects.toThrow(
            VersionConflictError,
          );
          expect(await reopened.loadSnapshot(7)).toEqual({
            position: 4,
            schemaVersion: 7,
            state: { at: 4 },
          });
        },
      );
    });
  });
}
