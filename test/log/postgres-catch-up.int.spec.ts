// Global positions on PostgreSQL with several writers: a reader that catches up by position must
// never pass a row of a transaction still in flight, whatever order writers commit in.
import pg from 'pg';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { openPostgresLog, type PostgresEventLog } from '../../src/postgres.js';
import { describePostgres, freshSchema } from '../fixtures/postgres.js';
import { notification, stop, tick } from './items.js';

describePostgres('PostgreSQL positions under concurrent writers', (url) => {
  let admin: pg.Pool;
  beforeAll(() => {
    admin = new pg.Pool({ connectionString: url, max: 2 });
  });
  afterAll(() => admin.end());

  // Backends waiting for a lock in a statement on `schema`: how a test knows a transaction is
  // stuck (other test files share the server, each with schemas of its own).
  const waitingOnLocks = async (schema: string) =>
    (
      await admin.query<{ count: string }>(
        `SELECT count(*) FROM pg_stat_activity
         WHERE wait_event_type = 'Lock' AND strpos(query, $1) > 0`,
        [`"${schema}".`],
      )
    ).rows[0]?.count;

  it('holds a faster writer back behind a slower one still in flight: no position is passed', async () => {
    const schema = freshSchema();
    // Three instances: two writers and a reader, each with its own pool.
    const slow = await openPostgresLog(url, { schema });
    const fast = await openPostgresLog(url, { schema });
    const reader = await openPostgresLog(url, { schema });
    const lease = await slow.leases.acquire('recording-r1', 'slow-writer');
    if (lease === null) throw new Error('lease not acquired');
    // Another session holds the lease row: the slow writer's transaction stops at its fence
    // check, after taking its place in the log.
    const blocker = await admin.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query(`SELECT * FROM "${schema}".leases FOR UPDATE`);
      const slowAppend = slow.append('recording-r1', [stop(1)], {
        expectedVersion: 0,
        fence: lease,
      });
      await vi.waitFor(async () => expect(await waitingOnLocks(schema)).toBe('1'));
      const fastAppend = fast.append('clock', [tick(2)], { expectedVersion: 0 });
      await vi.waitFor(async () => expect(await waitingOnLocks(schema)).toBe('2'));
      // Both are in flight; the fast one cannot commit a later position first.
      expect(await reader.readAll()).toEqual([]);
      await blocker.query('COMMIT');
      expect((await slowAppend).positions).toEqual([1]);
      expect((await fastAppend).positions).toEqual([2]);
      const all = await reader.readAll();
      expect(all.map((entry) => [entry.position, entry.stream])).toEqual([
        [1, 'recording-r1'],
        [2, 'clock'],
      ]);
    } finally {
      blocker.release();
      await Promise.all([slow.close(), fast.close(), reader.close()]);
    }
  });

  it('lets a reader catching up by position see every entry of four concurrent writers, once, in order', async () => {
    const schema = freshSchema();
    const writers = await Promise.all(
      Array.from({ length: 4 }, () => openPostgresLog(url, { schema })),
    );
    const reader = await openPostgresLog(url, { schema });
    const perWriter = 60;
    let writing = true;
    const seen: number[] = [];
    const tail = (async () => {
      let cursor = 1;
      for (;;) {
        const done = !writing;
        const page = await reader.readAll({ fromPosition: cursor, limit: 7 });
        for (const entry of page) seen.push(entry.position);
        cursor = (page.at(-1)?.position ?? cursor - 1) + 1;
        if (done && page.length === 0) return;
      }
    })();
    try {
      await Promise.all(
        writers.map((writer: PostgresEventLog, w) =>
          Promise.all(
            Array.from({ length: perWriter }, (_, n) =>
              writer.append(`stream-${n % 5}`, [tick(w * 1000 + n)], { expectedVersion: 'any' }),
            ),
          ),
        ),
      );
    } finally {
      writing = false;
    }
    await tail;
    const total = 4 * perWriter;
    expect(seen).toEqual(Array.from({ length: total }, (_, index) => index + 1));
    // Versions per stream are gapless too.
    for (let stream = 0; stream < 5; stream += 1) {
      const entries = await reader.readStream(`stream-${stream}`);
      expect(entries.map((entry) => entry.version)).toEqual(entries.map((_, index) => index + 1));
    }
    await Promise.all([...writers, reader].map((log) => log.close()));
  });

  it('keeps one item appended by two instances at once as one entry, and lets one of two racing versions win', async () => {
    const schema = freshSchema();
    const [a, b] = [await openPostgresLog(url, { schema }), await openPostgresLog(url, { schema })];
    try {
      const resent = notification(1, { eventType: 40, sequence: 1, noticeId: 'n1' });
      const [first, second] = await Promise.all([
        a.append('sid-S1', [resent], { expectedVersion: 'any' }),
        b.append('sid-S1', [resent], { expectedVersion: 'any' }),
      ]);
      expect(first.positions).toEqual(second.positions);
      expect([first.repeated[0], second.repeated[0]].sort()).toEqual([false, true]);
      const outcomes = await Promise.allSettled([
        a.append('recording-r1', [stop(2)], { expectedVersion: 0 }),
        b.append('recording-r1', [stop(3)], { expectedVersion: 0 }),
      ]);
      expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
      expect(outcomes.find((outcome) => outcome.status === 'rejected')).toMatchObject({
        reason: { code: 'VERSION_CONFLICT', expected: 0, actual: 1 },
      });
      expect(await a.readAll()).toHaveLength(2);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('shares one transaction among appends issued together (group commit)', async () => {
    const log = await openPostgresLog(url, { schema: freshSchema() });
    await Promise.all(
      Array.from({ length: 50 }, (_, n) =>
        log.append(`recording-r${n}`, [tick(n)], { expectedVersion: 0 }),
      ),
    );
    expect(log.stats()).toEqual({ commits: 1, appends: 50, items: 50 });
    await log.close();
  });

  it('splits a large burst into commits of at most maxItemsPerCommit items', async () => {
    const log = await openPostgresLog(url, { schema: freshSchema(), maxItemsPerCommit: 10 });
    await Promise.all(
      Array.from({ length: 25 }, (_, n) =>
        log.append('clock', [tick(n)], { expectedVersion: 'any' }),
      ),
    );
    expect(log.stats()).toEqual({ commits: 3, appends: 25, items: 25 });
    await log.close();
  });
});
