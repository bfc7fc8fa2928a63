// The chaos suite's history of leases: each holding from its acquisition to its last renewal's
// expiry, or to its release, as the log's own leases wrote them.
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { VirtualClock } from '../../src/index.js';
import { openPostgresLog } from '../../src/postgres.js';
import { describePostgres, freshSchema } from '../fixtures/postgres.js';
import { leaseSpans, recordLeaseHistory } from './lease-history.js';

const TTL = 10_000;

describePostgres('the leases history of a chaos run', (url) => {
  const admin = new pg.Pool({ connectionString: url, max: 1 });
  afterAll(() => admin.end());

  it('gives each holding its stretch: acquired, renewed, released, or expired and taken', async () => {
    const schema = freshSchema('history');
    const clock = new VirtualClock(1_000_000);
    const log = await openPostgresLog(url, { schema, clock, leaseTtlMs: TTL });
    try {
      await recordLeaseHistory(admin, schema);
      const { leases } = log;
      const a = await leases.acquire('recording:r1', 'host-a#1');
      clock.advanceBy(4_000);
      await leases.renew(a as NonNullable<typeof a>);
      // A lets it expire (it was paused); B takes it at 15 000 and releases it.
      clock.advanceBy(TTL);
      const b = await leases.acquire('recording:r1', 'host-b#1');
      expect(b?.epoch).toBe(2);
      clock.advanceBy(2_000);
      const released = Date.now();
      await leases.release(b as NonNullable<typeof b>);
      // The release is dated by the server's wall clock, mapped here to the run's clock.
      const spans = await leaseSpans(admin, schema, TTL, (wall) =>
        wall >= released ? 1_017_000 : 0,
      );
      expect(spans).toEqual([
        { name: 'recording:r1', holder: 'host-a#1', epoch: 1, from: 1_000_000, until: 1_014_000 },
        { name: 'recording:r1', holder: 'host-b#1', epoch: 2, from: 1_014_000, until: 1_017_000 },
      ]);
    } finally {
      await log.close();
    }
  });
});
