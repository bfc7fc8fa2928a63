// The live feed of a PostgreSQL log: woken by NOTIFY from any instance, polling as the fallback.
import pg from 'pg';
import { firstValueFrom, take, toArray } from 'rxjs';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { LogClosedError, type LogEntry, VirtualClock } from '../../src/index.js';
import { openPostgresLog, type PostgresEventLog } from '../../src/postgres.js';
import { describePostgres, freshSchema } from '../fixtures/postgres.js';
import { tick } from './items.js';

describePostgres('PostgreSQL log feed (watch)', (url) => {
  let admin: pg.Pool;
  const opened: PostgresEventLog[] = [];
  beforeAll(() => {
    admin = new pg.Pool({ connectionString: url, max: 2 });
  });
  afterEach(async () => {
    for (const log of opened.splice(0)) await log.close();
  });
  afterAll(() => admin.end());

  async function open(schema: string): Promise<PostgresEventLog> {
    const log = await openPostgresLog(url, { schema });
    opened.push(log);
    return log;
  }

  // Whether a session is listening on the schema's channel (its last statement was the LISTEN).
  const listening = async (schema: string) =>
    (
      await admin.query(`SELECT 1 FROM pg_stat_activity WHERE query = $1`, [
        `LISTEN "recwatch.${schema}"`,
      ])
    ).rowCount;

  it('delivers what another instance appends, woken by NOTIFY (the poll timer never fires)', async () => {
    const schema = freshSchema();
    const [watcher, writer] = [await open(schema), await open(schema)];
    const clock = new VirtualClock(0);
    const seen: LogEntry[] = [];
    const subscription = watcher.watch({ clock }).subscribe((entry) => seen.push(entry));
    try {
      await vi.waitFor(async () => expect(await listening(schema)).toBe(1));
      await writer.append('clock', [tick(1)], { expectedVersion: 0 });
      await vi.waitFor(() => expect(seen).toHaveLength(1));
      // The reads at start are over (they delivered entry 1): only a notification wakes the next.
      await writer.append('recording-r1', [tick(2), tick(3)], { expectedVersion: 0 });
      await vi.waitFor(() => expect(seen).toHaveLength(3));
      expect(seen.map((entry) => [entry.position, entry.stream])).toEqual([
        [1, 'clock'],
        [2, 'recording-r1'],
        [3, 'recording-r1'],
      ]);
      expect(clock.nextAt()).toBe(1000);
    } finally {
      subscription.unsubscribe();
    }
  });

  it('announces each commit on the schema’s channel with the new head position', async () => {
    const schema = freshSchema();
    const log = await open(schema);
    const client = await admin.connect();
    try {
      const payloads: string[] = [];
      client.on('notification', (message) => payloads.push(message.payload ?? ''));
      await client.query(`LISTEN "recwatch.${schema}"`);
      await log.append('clock', [tick(1), tick(2)], { expectedVersion: 0 });
      await log.append('clock', [tick(3)], { expectedVersion: 2 });
      await vi.waitFor(() => expect(payloads).toEqual(['2', '3']));
      await client.query(`UNLISTEN "recwatch.${schema}"`);
    } finally {
      client.release();
    }
  });

  it('starts from a position: the entries already there, then the new ones', async () => {
    const schema = freshSchema();
    const log = await open(schema);
    await log.append('clock', [tick(1), tick(2), tick(3)], { expectedVersion: 0 });
    const received = firstValueFrom(
      log
        .watch({ fromPosition: 2, pageSize: 1, clock: new VirtualClock(0) })
        .pipe(take(3), toArray()),
    );
    await vi.waitFor(async () => expect(await listening(schema)).toBe(1));
    await log.append('clock', [tick(4)], { expectedVersion: 3 });
    expect((await received).map((entry) => entry.position)).toEqual([2, 3, 4]);
  });

  it('falls back to polling when not listening', async () => {
    const schema = freshSchema();
    const [watcher, writer] = [await open(schema), await open(schema)];
    const clock = new VirtualClock(0);
    const seen: LogEntry[] = [];
    const subscription = watcher
      .watch({ clock, listen: false, pollIntervalMs: 500 })
      .subscribe((entry) => seen.push(entry));
    try {
      await writer.append('clock', [tick(1)], { expectedVersion: 0 });
      await vi.waitFor(() => {
        clock.advanceBy(500);
        expect(seen.map((entry) => entry.position)).toEqual([1]);
      });
      expect(await listening(schema)).toBe(0);
    } finally {
      subscription.unsubscribe();
    }
    expect(clock.pending).toBe(0);
  });

  it('gives every watcher every entry of several writers once, in order', async () => {
    const schema = freshSchema();
    const writers = [await open(schema), await open(schema), await open(schema)];
    const watcher = await open(schema);
    const total = 3 * 20;
    const feeds = [1, 2].map(() =>
      firstValueFrom(watcher.watch({ pollIntervalMs: 50 }).pipe(take(total), toArray())),
    );
    await Promise.all(
      writers.map((writer, w) =>
        Promise.all(
          Array.from({ length: 20 }, (_, n) =>
            writer.append(`stream-${n % 3}`, [tick(w * 100 + n)], { expectedVersion: 'any' }),
          ),
        ),
      ),
    );
    for (const feed of await Promise.all(feeds)) {
      expect(feed.map((entry) => entry.position)).toEqual(
        Array.from({ length: total }, (_, index) => index + 1),
      );
    }
  });

  it('reports a read that fails and keeps polling', async () => {
    const schema = freshSchema();
    const log = await open(schema);
    await admin.query(`ALTER TABLE "${schema}".entries RENAME TO entries_away`);
    const clock = new VirtualClock(0);
    const errors: unknown[] = [];
    const seen: LogEntry[] = [];
    const subscription = log
      .watch({ clock, listen: false, pollIntervalMs: 100, onError: (error) => errors.push(error) })
      .subscribe((entry) => seen.push(entry));
    try {
      await vi.waitFor(() => expect(errors).toHaveLength(1));
      expect(errors[0]).toMatchObject({ code: 'LOG_DATABASE' });
      await admin.query(`ALTER TABLE "${schema}".entries_away RENAME TO entries`);
      await log.append('clock', [tick(1)], { expectedVersion: 0 });
      clock.advanceBy(100);
      await vi.waitFor(() => expect(seen.map((entry) => entry.position)).toEqual([1]));
      expect(errors).toHaveLength(1);
    } finally {
      subscription.unsubscribe();
    }
  });

  it('listens again at the next poll after its connection is cut', async () => {
    const schema = freshSchema();
    const [watcher, writer] = [await open(schema), await open(schema)];
    const clock = new VirtualClock(0);
    const seen: LogEntry[] = [];
    const subscription = watcher
      .watch({ clock, pollIntervalMs: 1000 })
      .subscribe((entry) => seen.push(entry));
    try {
      await vi.waitFor(async () => expect(await listening(schema)).toBe(1));
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = $1', [
        `LISTEN "recwatch.${schema}"`,
      ]);
      await vi.waitFor(async () => expect(await listening(schema)).toBe(0));
      await writer.append('clock', [tick(1)], { expectedVersion: 0 });
      clock.advanceBy(1000);
      await vi.waitFor(async () => expect(await listening(schema)).toBe(1));
      await vi.waitFor(() => expect(seen).toHaveLength(1));
      // Listening again: the next entry comes by notification, with no poll.
      await writer.append('clock', [tick(2)], { expectedVersion: 1 });
      await vi.waitFor(() => expect(seen.map((entry) => entry.position)).toEqual([1, 2]));
    } finally {
      subscription.unsubscribe();
    }
  });

  it('refuses to watch a closed log', async () => {
    const log = await openPostgresLog(url, { schema: freshSchema() });
    await log.close();
    expect(() => log.watch()).toThrow(LogClosedError);
  });

  it('completes when the log closes, and frees its connection', async () => {
    const schema = freshSchema();
    const log = await openPostgresLog(url, { schema });
    const completed = vi.fn();
    log.watch({ clock: new VirtualClock(0) }).subscribe({ complete: completed });
    await vi.waitFor(async () => expect(await listening(schema)).toBe(1));
    await log.close();
    expect(completed).toHaveBeenCalledOnce();
    await vi.waitFor(async () => expect(await listening(schema)).toBe(0));
  });
});
