// A call about a recording is sent only while this instance holds the recording's lease: on every
// attempt, not only the first. An owner whose query got no answer waits before trying again; if
// it lost the lease meanwhile (it was paused past it, as the chaos suite's SIGSTOP zombie was, and
// another instance took the recording), the retry is not sent. Found by the chaos suite
// (test/chaos): a zombie continued mid-call sent its retry under another instance's lease.
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { createSupervisor, VirtualClock } from '../../src/index.js';
import { openPostgresLog } from '../../src/postgres.js';
import { agoraCuttingTheFirstQuery, watchingRetryWait } from '../fixtures/cut-first-query.js';
import { describePostgres, freshSchema } from '../fixtures/postgres.js';

const TTL = 20_000;
const RETRY_MS = 1_234;

describePostgres('a retried call on a shared log', (url) => {
  const admin = new pg.Pool({ connectionString: url, max: 1 });
  afterAll(() => admin.end());

  it('is not sent once the lease was lost while it waited', async () => {
    // Agora on loopback: acquire and start answered; the first query's connection is cut. The
    // supervisor's clock tells the test when the wait before the retry is armed.
    const clock = new VirtualClock(Date.UTC(2026, 0, 1));
    const { baseUrl, queries, close: closeAgora } = await agoraCuttingTheFirstQuery(clock);
    const retryWait = watchingRetryWait(clock, RETRY_MS);
    const schema = freshSchema('retry');
    const log = await openPostgresLog(url, { schema, clock, leaseTtlMs: TTL });
    const supervisor = await createSupervisor({
      agora: {
        appId: 'a',
        customerId: 'c',
        customerSecret: 's',
        baseUrl,
        retryDelaysMs: [RETRY_MS],
      },
      clientRequest: () => ({}),
      log,
      clock: retryWait.clock,
      instance: 'host-a',
      jitterMs: 0,
    });
    try {
      await supervisor.start({ recording: 'r1', cname: 'room1', uid: '1001', mode: 'mix' });
      // Up to the first query, whose connection is cut: the owner then waits to try again (the
      // supervisor's settle() would wait for that call, so the steps stop once its wait is armed).
      const settled = () => Promise.race([supervisor.settle(), retryWait.armed]);
      for (let step = 0; !retryWait.isArmed(); step += 1) {
        expect(step).toBeLessThan(300);
        await clock.advanceSettling(1_000, settled);
      }
      expect(queries).toHaveLength(1);
      // Meanwhile the lease went to another instance (this one was paused past it), which holds
      // it for the rest of the test.
      const taken = await admin.query(
        `UPDATE "${schema}".leases SET holder = 'host-b#0', epoch = epoch + 1, expires_at = $1
         WHERE name = 'recording:r1'`,
        [clock.now() + 10 * TTL],
      );
      expect(taken.rowCount).toBe(1);
      clock.advanceBy(RETRY_MS);
      await supervisor.settle();
      await clock.advanceSettling(30_000, () => supervisor.settle());
      expect(queries).toHaveLength(1);
    } finally {
      await supervisor.close();
      await log.close();
      await closeAgora();
    }
  });
});
