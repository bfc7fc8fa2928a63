// The leases gauge on a log shared by several instances (PostgreSQL): what this instance holds,
// through `supervisor.usage()` and the OpenTelemetry gauge alike.
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { afterEach, expect, it } from 'vitest';
import { createSupervisor, type Supervisor, VirtualClock } from '../../src/index.js';
import { openPostgresLog, type PostgresEventLog } from '../../src/postgres.js';
import { describePostgres, freshSchema } from '../fixtures/postgres.js';

class CollectingReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

describePostgres('the leases gauge', (url) => {
  let supervisor: Supervisor | undefined;
  let log: PostgresEventLog | undefined;
  afterEach(async () => {
    await supervisor?.close();
    await log?.close();
  });

  it('counts the leases this instance holds, in usage() and in the gauge', async () => {
    const clock = new VirtualClock(1_000_000);
    log = await openPostgresLog(url, { schema: freshSchema('otel'), clock, leaseTtlMs: 30_000 });
    const reader = new CollectingReader();
    supervisor = await createSupervisor({
      // Nothing listens there: the starts fail and are retried, the recordings stay active.
      agora: {
        appId: 'app',
        customerId: 'c',
        customerSecret: 's',
        baseUrl: 'http://127.0.0.1:9',
        retryDelaysMs: [],
      },
      clientRequest: () => ({}),
      log,
      clock,
      instance: 'host-a',
      heartbeatMs: 1_000,
      meterProvider: new MeterProvider({ readers: [reader] }),
    });
    const leases = async () => {
      const { resourceMetrics } = await reader.collect();
      const metric = resourceMetrics.scopeMetrics
        .flatMap((scope) => scope.metrics)
        .find((one) => one.descriptor.name === 'recwatch.leases');
      return metric?.dataPoints.map((point) => point.value);
    };
    expect(supervisor.usage().leases).toBe(0);
    expect(await leases()).toEqual([0]);
    for (const recording of ['r1', 'r2'])
      await supervisor.start({ recording, cname: recording, uid: '1', mode: 'mix' });
    // A beat's claims are PostgreSQL round trips that `settle()` does not wait for, and the
    // next beat is timed from the end of the last: one virtual second at a time, each followed
    // by up to 1 s of real time for its round trips (a bare count of beats failed on a busy
    // machine). Ten virtual seconds at most: the starts keep failing, and in the end the
    // recordings give up.
    const holdsBoth = () => supervisor?.usage().leases === 2;
    for (let beat = 0; beat < 10 && !holdsBoth(); beat += 1) {
      await clock.advanceBy(1_000);
      await supervisor.settle();
      for (let wait = 0; wait < 50 && !holdsBoth(); wait += 1) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    expect(supervisor.usage().leases).toBe(2);
    expect(await leases()).toEqual([2]);
  }, 60_000);
});
