// Leases for several instances on one database: expiry on a virtual clock, take-over with a new
// epoch, and fenced appends refused inside their transaction once the epoch is stale.
import pg from 'pg';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { VirtualClock } from '../../src/index.js';
import {
  type Lease,
  LeaseLostError,
  openPostgresLog,
  type PostgresEventLog,
} from '../../src/postgres.js';
import { describePostgres, freshSchema } from '../fixtures/postgres.js';
import { stop, tick } from './items.js';

const TTL = 10_000;

describePostgres('PostgreSQL leases and fencing', (url) => {
  let admin: pg.Pool;
  const opened: PostgresEventLog[] = [];
  beforeAll(() => {
    admin = new pg.Pool({ connectionString: url, max: 2 });
  });
  afterEach(async () => {
    for (const log of opened.splice(0)) await log.close();
  });
  afterAll(() => admin.end());

  // Instances on one schema and one virtual clock (the database's own clock is the default).
  async function instances(count: number, clock = new VirtualClock(1_000_000)) {
    const schema = freshSchema();
    const logs: PostgresEventLog[] = [];
    for (let n = 0; n < count; n += 1) {
      logs.push(await openPostgresLog(url, { schema, clock, leaseTtlMs: TTL }));
    }
    opened.push(...logs);
    return { clock, schema, logs };
  }

  async function acquired(log: PostgresEventLog, name: string, holder: string) {
    const lease = await log.leases.acquire(name, holder);
    if (lease === null) throw new Error(`${holder} did not get ${name}`);
    return lease;
  }

  it('gives a free lease to one holder until it expires, then to another with a higher epoch', async () => {
    const { clock, logs } = await instances(2);
    const [a, b] = logs as [PostgresEventLog, PostgresEventLog];
    const first = await acquired(a, 'recording-r1', 'host-a');
    expect(first).toEqual({
      name: 'recording-r1',
      holder: 'host-a',
      epoch: 1,
      expiresAt: 1_000_000 + TTL,
    });
    expect(await b.leases.acquire('recording-r1', 'host-b')).toBeNull();
    expect(await a.leases.acquire('recording-r1', 'host-a')).toBeNull();
    clock.advanceBy(TTL - 1);
    expect(await b.leases.acquire('recording-r1', 'host-b')).toBeNull();
    clock.advanceBy(1);
    const taken = await acquired(b, 'recording-r1', 'host-b');
    expect(taken).toMatchObject({ holder: 'host-b', epoch: 2 });
    await expect(a.leases.renew(first)).rejects.toThrow(LeaseLostError);
  });

  it('keeps a lease renewed by heartbeat past its first expiry', async () => {
    const { clock, logs } = await instances(2);
    const [a, b] = logs as [PostgresEventLog, PostgresEventLog];
    const lease = await acquired(a, 'recording-r1', 'host-a');
    await acquired(a, 'recording-r2', 'host-a');
    for (let beat = 0; beat < 3; beat += 1) {
      clock.advanceBy(TTL / 2);
      const kept = await a.leases.renewAll('host-a');
      expect(kept.map((each) => each.name)).toEqual(['recording-r1', 'recording-r2']);
    }
    expect(await b.leases.acquire('recording-r1', 'host-b')).toBeNull();
    const renewed = await a.leases.renew(lease);
    expect(renewed).toMatchObject({ epoch: 1, expiresAt: clock.now() + TTL });
  });

  it('reports as lost, at the next heartbeat, a lease that expired between beats', async () => {
    const { clock, logs } = await instances(2);
    const [a, b] = logs as [PostgresEventLog, PostgresEventLog];
    await acquired(a, 'recording-r1', 'host-a');
    clock.advanceBy(TTL + 1);
    await acquired(b, 'recording-r1', 'host-b');
    expect(await a.leases.renewAll('host-a')).toEqual([]);
    expect((await a.leases.held()).map((lease) => lease.holder)).toEqual(['host-b']);
  });

  it('hands leases over at once when released (a clean stop), epochs still growing', async () => {
    const { logs } = await instances(2);
    const [a, b] = logs as [PostgresEventLog, PostgresEventLog];
    const r1 = await acquired(a, 'recording-r1', 'host-a');
    await acquired(a, 'recording-r2', 'host-a');
    expect(await a.leases.release(r1)).toBe(true);
    expect(await acquired(b, 'recording-r1', 'host-b')).toMatchObject({ epoch: 2 });
    expect(await a.leases.releaseAll('host-a')).toBe(1);
    expect(await acquired(b, 'recording-r2', 'host-b')).toMatchObject({ epoch: 2 });
    expect(await a.leases.release(r1)).toBe(false);
  });

  it('lets exactly one of many instances racing for an expired lease take it', async () => {
    const { clock, logs } = await instances(6);
    const [first, ...racers] = logs as [PostgresEventLog, ...PostgresEventLog[]];
    await acquired(first, 'recording-r1', 'host-0');
    clock.advanceBy(TTL);
    const results = await Promise.all(
      racers.map((log, n) => log.leases.acquire('recording-r1', `host-${n + 1}`)),
    );
    const winners = results.filter((lease) => lease !== null);
    expect(winners).toHaveLength(1);
    expect(winners[0]?.epoch).toBe(2);
  });

  it('refuses a fenced append from a holder whose lease was taken over, writing nothing', async () => {
    const { clock, logs } = await instances(2);
    const [a, b] = logs as [PostgresEventLog, PostgresEventLog];
    const old = await acquired(a, 'recording-r1', 'host-a');
    await a.append('recording-r1', [stop(1)], { expectedVersion: 0, fence: old });
    clock.advanceBy(TTL);
    const current = await acquired(b, 'recording-r1', 'host-b');
    // Issued together, so they share one transaction: the stale one spoils nothing else.
    const [stale, other] = await Promise.allSettled([
      a.append('recording-r1', [tick(2)], { expectedVersion: 1, fence: old }),
      a.append('clock', [tick(3)], { expectedVersion: 0 }),
    ]);
    expect(stale.status === 'rejected' && stale.reason).toBeInstanceOf(LeaseLostError);
    expect(stale.status === 'rejected' && stale.reason).toMatchObject({
      code: 'LEASE_LOST',
      lease: 'recording-r1',
      epoch: 1,
    });
    expect(other.status === 'fulfilled' && other.value.positions).toEqual([2]);
    expect(a.stats().commits).toBe(2);
    const fresh = await b.append('recording-r1', [tick(4)], { expectedVersion: 1, fence: current });
    expect(fresh.positions).toEqual([3]);
    expect((await b.readAll()).map((entry) => entry.at)).toEqual([1, 3, 4]);
  });

  it('refuses a fenced append whose lease expired, even with no new holder yet', async () => {
    const { clock, logs } = await instances(1);
    const [a] = logs as [PostgresEventLog];
    const lease = await acquired(a, 'recording-r1', 'host-a');
    clock.advanceBy(TTL);
    await expect(
      a.append('recording-r1', [tick(1)], { expectedVersion: 0, fence: lease }),
    ).rejects.toThrow(LeaseLostError);
    expect(await a.readAll()).toEqual([]);
  });

  it('refuses a fenced append in flight while a take-over commits (checked in its transaction)', async () => {
    const { schema, logs } = await instances(1);
    const [a] = logs as [PostgresEventLog];
    const lease = await acquired(a, 'recording-r1', 'host-a');
    // Another instance's take-over, caught between its update and its commit.
    const other = await admin.connect();
    try {
      await other.query('BEGIN');
      await other.query(
        `UPDATE "${schema}".leases SET holder = 'host-b', epoch = epoch + 1 WHERE name = $1`,
        ['recording-r1'],
      );
      const append = a.append('recording-r1', [tick(1)], { expectedVersion: 0, fence: lease });
      const settled = vi.fn();
      append.then(settled, settled);
      await vi.waitFor(async () => {
        const waiting = await admin.query(
          `SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND strpos(query, $1) > 0`,
          [`"${schema}".leases`],
        );
        expect(waiting.rowCount).toBe(1);
      });
      expect(settled).not.toHaveBeenCalled();
      await other.query('COMMIT');
      await expect(append).rejects.toThrow(LeaseLostError);
      expect(await a.readAll()).toEqual([]);
    } finally {
      other.release();
    }
  });

  it('keeps a note for the next holder, written only while the lease is held', async () => {
    const { clock, logs } = await instances(2);
    const [a, b] = logs as [PostgresEventLog, PostgresEventLog];
    expect(await b.leases.noteOf('recording-r1')).toBeNull();
    const first = await acquired(a, 'recording-r1', 'host-a');
    await a.leases.note(first, '{"resourceId":"res-1"}');
    clock.advanceBy(TTL);
    // Expired: the holder can no longer write it, and the next holder reads what it left.
    await expect(a.leases.note(first, null)).rejects.toThrow(LeaseLostError);
    const taken = await acquired(b, 'recording-r1', 'host-b');
    expect(await b.leases.noteOf('recording-r1')).toBe('{"resourceId":"res-1"}');
    await b.leases.note(taken, null);
    expect(await a.leases.noteOf('recording-r1')).toBeNull();
    await expect(b.leases.note(taken, 42 as unknown as string)).rejects.toThrow(TypeError);
  });

  it('uses the database server’s clock when given none', async () => {
    const schema = freshSchema();
    const log = await openPostgresLog(url, { schema, leaseTtlMs: 60_000 });
    opened.push(log);
    const before = Date.now();
    const lease = await acquired(log, 'recording-r1', 'host-a');
    // Same machine: the server's clock and ours agree to well within the lease's length.
    expect(Math.abs(lease.expiresAt - (before + 60_000))).toBeLessThan(5_000);
    await log.append('recording-r1', [tick(1)], { expectedVersion: 0, fence: lease });
    expect(await log.leases.renew(lease)).toMatchObject({ epoch: 1 });
  });

  it('refuses bad lease arguments with a TypeError', async () => {
    const { logs } = await instances(1);
    await expect(logs[0]!.leases.acquire('', 'host-a')).rejects.toThrow(TypeError);
    await expect(logs[0]!.leases.renewAll('')).rejects.toThrow(TypeError);
    const fence = { name: 'recording-r1', holder: 'host-a' } as unknown as Lease;
    await expect(
      logs[0]!.append('clock', [tick(1)], { expectedVersion: 0, fence }),
    ).rejects.toThrow(TypeError);
    await expect(logs[0]!.leases.renew(fence)).rejects.toThrow(TypeError);
  });
});
