// /metrics' gauges of the REST budget and the leases, read from `supervisor.usage()`.
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock/index.js';
import { createSupervisor, type Supervisor } from '../../src/runtime/index.js';
import { createServeMetrics, type ServeMetrics } from '../../src/serve/index.js';

let supervisor: Supervisor | undefined;
let metrics: ServeMetrics | undefined;
afterEach(async () => {
  metrics?.close();
  await supervisor?.close();
});

/** The value of an unlabelled metric in Prometheus text, or undefined when it is not there. */
async function read(name: string): Promise<number | undefined> {
  const text = await (metrics as ServeMetrics).registry.metrics();
  const line = text.split('\n').find((one) => one.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

describe('the service metrics of the REST budget', () => {
  it('shows the share of the budget in use and the calls queued; no leases on a log of its own', async () => {
    const clock = new VirtualClock(Date.UTC(2026, 0, 1));
    supervisor = await createSupervisor({
      // Nothing listens there: the acquires are sent and fail, which is all this needs.
      agora: {
        appId: 'app',
        customerId: 'c',
        customerSecret: 's',
        baseUrl: 'http://127.0.0.1:9',
        retryDelaysMs: [],
      },
      clientRequest: () => ({}),
      log: 'memory',
      qps: 2,
      clock,
    });
    metrics = createServeMetrics(supervisor);
    expect(await read('recwatch_agora_qps_budget_used')).toBe(0);
    expect(await read('recwatch_agora_calls_queued')).toBe(0);
    for (const recording of ['a', 'b', 'c'])
      await supervisor.start({ recording, cname: recording, uid: '1', mode: 'mix' });
    // Two acquires went at once on a budget of 2 per second; the third waits.
    expect(await read('recwatch_agora_qps_budget_used')).toBe(1);
    expect(await read('recwatch_agora_calls_queued')).toBe(1);
    expect(await read('recwatch_leases')).toBeUndefined();
  });
});
