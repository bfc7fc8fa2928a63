// The lease heartbeat on a virtual clock: one renewal per beat, losses reported.
import pg from 'pg';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { VirtualClock } from '../../src/index.js';
import {
  type Lease,
  openPostgresLog,
  type PostgresEventLog,
  startHeartbeat,
} from '../../src/postgres.js';
import { describePostgres, freshSchema } from '../fixtures/postgres.js';

const TTL = 9_000;

describePostgres('PostgreSQL lease heartbeat', (url) => {
  let admin: pg.Pool;
  const opened: PostgresEventLog[] = [];
  beforeAll(() => {
    admin = new pg.Pool({ connectionString: url, max: 1 });
  });
  afterEach(async () => {
    for (const log of opened.splice(0)) await log.close();
  });
  afterAll(() => admin.end());

  async function setUp() {
    const clock = new VirtualClock(0);
    const schema = freshSchema();
    const [a, b] = [
      await openPostgresLog(url, { schema, clock, leaseTtlMs: TTL }),
      await openPostgresLog(url, { schema, clock, leaseTtlMs: TTL }),
    ];
    opened.push(a, b);
    const take = async (log: PostgresEventLog, name: string, holder: string): Promise<Lease> => {
      const lease = await log.leases.acquire(name, holder);
      if (lease === null) throw new Error(`${holder} did not get ${name}`);
      return lease;
    };
    return { clock, schema, a, b, take };
  }

  it('keeps leases alive across many lease lengths, beating every third of one', async () => {
    const { clock, a, b, take } = await setUp();
    const lost = vi.fn();
    const heartbeat = startHeartbeat(a.leases, { holder: 'host-a', clock, onLost: lost });
    try {
      heartbeat.track(await take(a, 'recording-r1', 'host-a'));
      heartbeat.track(await take(a, 'recording-r2', 'host-a'));
      for (let beat = 1; beat <= 9; beat += 1) {
        clock.advanceBy(TTL / 3);
        await vi.waitFor(() =>
          expect(heartbeat.held().map((lease) => lease.expiresAt)).toEqual([
            clock.now() + TTL,
            clock.now() + TTL,
          ]),
        );
      }
      expect(await b.leases.acquire('recording-r1', 'host-b')).toBeNull();
      expect(lost).not.toHaveBeenCalled();
    } finally {
      heartbeat.stop();
    }
    expect(clock.pending).toBe(0);
  });

  it('reports a lease taken over between beats, once, and keeps the others', async () => {
    const { clock, schema, a, take } = await setUp();
    const lost = vi.fn();
    const heartbeat = startHeartbeat(a.leases, { holder: 'host-a', clock, onLost: lost });
    try {
      const r1 = await take(a, 'recording-r1', 'host-a');
      heartbeat.track(r1);
      heartbeat.track(await take(a, 'recording-r2', 'host-a'));
      // Another instance's take-over (as after a pause longer than the lease).
      await admin.query(
        `UPDATE "${schema}".leases SET holder = 'host-b', epoch = epoch + 1 WHERE name = $1`,
        ['recording-r1'],
      );
      expect((await heartbeat.beat()).map((lease) => lease.name)).toEqual(['recording-r2']);
      expect(lost).toHaveBeenCalledExactlyOnceWith([r1]);
      expect(heartbeat.held().map((lease) => lease.name)).toEqual(['recording-r2']);
      await heartbeat.beat();
      expect(lost).toHaveBeenCalledOnce();
    } finally {
      heartbeat.stop();
    }
  });

  it('does not report a lease released on purpose', async () => {
    const { clock, a, take } = await setUp();
    const lost = vi.fn();
    const heartbeat = startHeartbeat(a.leases, { holder: 'host-a', clock, onLost: lost });
    try {
      const lease = await take(a, 'recording-r1', 'host-a');
      heartbeat.track(lease);
      await a.leases.release(lease);
      heartbeat.untrack(lease);
      expect(await heartbeat.beat()).toEqual([]);
      expect(lost).not.toHaveBeenCalled();
    } finally {
      heartbeat.stop();
    }
  });

  it('refuses to track another holder’s lease', async () => {
    const { clock, b, a, take } = await setUp();
    const heartbeat = startHeartbeat(a.leases, { holder: 'host-a', clock });
    try {
      const theirs = await take(b, 'recording-r1', 'host-b');
      expect(() => heartbeat.track(theirs)).toThrow(TypeError);
    } finally {
      heartbeat.stop();
    }
  });
});
