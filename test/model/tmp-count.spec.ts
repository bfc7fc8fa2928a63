import { it } from 'vitest';
import { getShortestPaths } from 'xstate/graph';
import { recordingMachine } from '../../machines/index.js';
import { eventsFor } from './events.js';

it('count', () => {
  for (const limit of [1_000_000, 3_000_000]) {
    const keys = new Set<string>();
    try {
      getShortestPaths(recordingMachine, {
        input: { recording: 'r1' },
        events: eventsFor,
        serializeState: (s: any) => {
          const c = s.context;
          const k = JSON.stringify([
            s.value,
            c.failover.haAttempts,
            c.restarts,
            c.monitoring.backoff,
            c.attempt?.retries ?? null,
            c.failover.hint !== null,
            c.orphans.some((o: any) => o.sid !== null),
            c.orphans.some((o: any) => o.sid === null),
            c.session !== null && c.deadlines.startBy === null,
          ]);
          keys.add(k);
          return k;
        },
        limit,
      });
      console.log('ok', limit, keys.size);
      return;
    } catch (e) {
      console.log('fail', limit, keys.size, String(e));
    }
  }
});
