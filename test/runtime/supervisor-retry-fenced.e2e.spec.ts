// A call about a recording is sent only while this instance holds the recording's lease: on every
// attempt, not only the first. An owner whose query got no answer waits before trying again; if
// it lost the lease meanwhile (it was paused past it, as the chaos suite's SIGSTOP zombie was, and
// another instance took the recording), the retry is not sent. Found by the chaos suite
// (test/chaos): a zombie continued mid-call sent its retry under another instance's lease.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { type Clock, createSupervisor, VirtualClock } from '../../src/index.js';
import { openPostgresLog } from '../../src/postgres.js';
import { describePostgres, freshSchema } from '../fixtures/postgres.js';

const TTL = 20_000;
const RETRY_MS = 1_234;

describePostgres('a retried call on a shared log', (url) => {
  const admin = new pg.Pool({ connectionString: url, max: 1 });
  afterAll(() => admin.end());

  it('is not sent once the lease was lost while it waited', async () => {
    // Agora on loopback: acquire and start answered; the first query's connection is cut.
    const queries: number[] = [];
    const clock = new VirtualClock(Date.UTC(2026, 0, 1));
    const agora = createServer((request, answer) => {
      request.resume();
      request.on('end', () => {
        const path = request.url ?? '';
        const json = (body: object) =>
          answer.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        if (path.endsWith('/acquire')) json({ resourceId: 'R1' });
        else if (path.endsWith('/start')) json({ resourceId: 'R1', sid: 'S1' });
        else if (path.endsWith('/query')) {
          queries.push(clock.now());
          if (queries.length === 1) answer.socket?.destroy();
          else json({ resourceId: 'R1', sid: 'S1', serverResponse: { status: 5 } });
        } else answer.writeHead(404).end();
      });
    });
    await new Promise<void>((resolve) => agora.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(agora.address() as AddressInfo).port}`;
    // The supervisor's clock tells the test when the wait before the retry is armed (its delay
    // is the only one of that length).
    let waitArmed = false;
    let armed: () => void = () => {};
    const retryWaits = new Promise<void>((resolve) => {
      armed = resolve;
    });
    const supervisorClock: Clock = {
      now: () => clock.now(),
      setTimeout(fire, delayMs) {
        if (delayMs === RETRY_MS) {
          waitArmed = true;
          armed();
        }
        return clock.setTimeout(fire, delayMs);
      },
      clearTimeout: (timer) => clock.clearTimeout(timer),
    };
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
      clock: supervisorClock,
      instance: 'host-a',
      jitterMs: 0,
    });
    try {
      await supervisor.start({ recording: 'r1', cname: 'room1', uid: '1001', mode: 'mix' });
      // Up to the first query, whose connection is cut: the owner then waits to try again (the
      // supervisor's settle() would wait for that call, so the steps stop once its wait is armed).
      const settled = () => Promise.race([supervisor.settle(), retryWaits]);
      for (let step = 0; !waitArmed; step += 1) {
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
      await new Promise<void>((resolve) => agora.close(() => resolve()));
    }
  });
});
