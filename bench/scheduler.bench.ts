// The REST scheduler at its budget: 100,000 recordings each due a routine query every poll
// interval, one app id's 10 QPS, one simulated hour on a virtual clock, every call sent by the
// real Agora client to the simulator on loopback (which answers 429 past 10 calls a second).

import { DEFAULT_RECORDING_OPTIONS } from '../machines/index.js';
import { createAgoraClient } from '../src/agora/index.js';
import { VirtualClock } from '../src/clock/index.js';
import { RestScheduler, seededRandom } from '../src/runtime/index.js';
import { startSimulator } from '../src/sim/index.js';
import { round, type SuiteContext, type SuiteResult } from './row.js';

const QPS = 10;
const HOUR_MS = 3_600_000;
const T0 = Date.UTC(2026, 0, 1);

/** One query's life: when it was due, when the scheduler sent it. */
interface QueryTimes {
  readonly due: number;
  sent: number | null;
}

/**
 * The send times a fair scheduler at exactly the budget would give these due times (earliest due
 * first, at most `qps` calls in any second): the lag the budget alone forces on each query.
 */
function forcedSendTimes(dues: readonly number[], qps: number): number[] {
  const order = dues.map((due, index) => ({ due, index })).sort((a, b) => a.due - b.due);
  const out = new Array<number>(dues.length);
  const window: number[] = [];
  for (const { due, index } of order) {
    let at = due;
    if (window.length >= qps) at = Math.max(at, (window[window.length - qps] as number) + 1_000);
    window.push(at);
    out[index] = at;
  }
  return out;
}

/** The most calls in any 1,000 ms window of these (sorted) times. */
function busiestSecond(times: readonly number[]): number {
  let most = 0;
  let from = 0;
  for (let to = 0; to < times.length; to += 1) {
    while ((times[to] as number) - (times[from] as number) >= 1_000) from += 1;
    most = Math.max(most, to - from + 1);
  }
  return most;
}

/** The `scheduler` row. */
export async function runSchedulerBench(context: SuiteContext): Promise<SuiteResult> {
  const recordings = context.tiny ? 200 : 100_000;
  const simulatedMs = context.tiny ? 120_000 : HOUR_MS;
  // Wall-time cap: past it the run stops and says how far simulated time got.
  const wallCapMs = context.tiny ? 60_000 : 300_000;
  const interval = DEFAULT_RECORDING_OPTIONS.pollIntervalMs;
  const clock = new VirtualClock(T0);
  const sim = await startSimulator({ seed: 17, profile: 'clean', clock, qpsLimit: QPS });
  const { appId, customerId, customerSecret } = sim.credentials;
  const agora = createAgoraClient({
    appId,
    customerId,
    customerSecret,
    baseUrl: sim.baseUrl,
    retryDelaysMs: [],
    clock,
  });
  const random = seededRandom(7);
  const scheduler = new RestScheduler({ clock, qps: QPS, jitterMs: 2_000, random });
  const queries: QueryTimes[] = [];
  const inFlight = new Set<Promise<unknown>>();
  let rateLimited = 0;
  const due = (recording: number) => {
    const query: QueryTimes = { due: clock.now(), sent: null };
    queries.push(query);
    void scheduler
      .schedule('routineQuery', () => {
        query.sent = clock.now();
        // In flight from here: settling waits for sent calls, not for the queue.
        const call = agora.query({
          resourceId: `R${recording}`,
          sid: `S${recording}`,
          mode: 'mix',
          cname: `room${recording}`,
          uid: String(1000 + recording),
        });
        inFlight.add(call);
        void call.finally(() => inFlight.delete(call)).catch(() => {});
        return call;
      })
      .then(
        (answer) => {
          if (answer.httpStatus === 429) {
            rateLimited += 1;
            scheduler.rateLimited();
          } else scheduler.answered();
          // As the machine does: the next query falls due one interval after this answer.
          clock.setTimeout(() => due(recording), interval);
        },
        () => {},
      );
  };
  // A fleet already running: each recording's next query falls due somewhere in one interval.
  for (let r = 0; r < recordings; r += 1) {
    clock.setTimeout(() => due(r), Math.floor(random() * interval));
  }
  const settle = async () => {
    // Sent calls answered, and the turns their answers take to re-arm their timers.
    do {
      if (inFlight.size > 0) await Promise.allSettled([...inFlight]);
      await new Promise((resolve) => setImmediate(resolve));
    } while (inFlight.size > 0);
  };
  const started = performance.now();
  const end = T0 + simulatedMs;
  let capped = false;
  await settle();
  for (let next = clock.nextAt(); next !== undefined && next <= end; next = clock.nextAt()) {
    clock.advanceTo(Math.max(next, clock.now()));
    await settle();
    if (performance.now() - started > wallCapMs) {
      capped = true;
      break;
    }
  }
  if (!capped) clock.advanceTo(end);
  const wallMs = performance.now() - started;
  const reached = clock.now() - T0;
  scheduler.close();
  const requests = sim.requests();
  await sim.close();

  const sentTimes = requests.map((r) => r.at).sort((a, b) => a - b);
  const simulator429 = requests.filter((r) => r.httpStatus === 429).length;
  const forced = forcedSendTimes(
    queries.map((q) => q.due),
    QPS,
  );
  let worstLag = 0;
  let worstForcedLag = 0;
  let worstExcess = Number.NEGATIVE_INFINITY;
  let unsentPastForced = 0;
  const now = clock.now();
  queries.forEach((query, index) => {
    const fair = forced[index] as number;
    worstForcedLag = Math.max(worstForcedLag, Math.min(fair, now) - query.due);
    if (query.sent === null) {
      // Not sent by the end: late only if a fair scheduler would have sent it by then.
      if (fair <= now) {
        unsentPastForced += 1;
        worstExcess = Math.max(worstExcess, now - fair);
      }
      return;
    }
    worstLag = Math.max(worstLag, query.sent - query.due);
    worstExcess = Math.max(worstExcess, query.sent - fair);
  });
  const busiest = busiestSecond(sentTimes);
  const allowedExcess = 2 * interval;
  const misses = [
    ...(busiest > QPS ? [`${busiest} requests in one second > ${QPS}`] : []),
    ...(simulator429 > 0 ? [`${simulator429} 429s from the simulator`] : []),
    ...(worstExcess > allowedExcess
      ? [
          `a query ${round(worstExcess / 1000, 1)} s later than the budget forces (> 2 × ${interval / 1000} s)`,
        ]
      : []),
    ...(capped
      ? [
          `stopped after ${round(wallMs / 1000, 1)} s of wall time at ${round(reached / 60_000, 1)} simulated minutes of ${simulatedMs / 60_000}`,
        ]
      : []),
  ];
  return {
    rows: [
      {
        row: 'scheduler',
        what: `RestScheduler, ${recordings} recordings each due a routine query every ${interval / 1000} s (after its last answer), ${QPS} QPS, ${simulatedMs / 60_000} simulated minutes on a VirtualClock, real Agora client against the simulator on loopback`,
        figures: {
          recordings,
          simulatedMinutes: round(reached / 60_000, 1),
          wallSeconds: round(wallMs / 1000, 1),
          queriesDue: queries.length,
          queriesSent: sentTimes.length,
          busiestSecond: busiest,
          simulator429,
          answered429: rateLimited,
          demandPerSecond: round(recordings / (interval / 1000), 1),
          worstLagSeconds: round(worstLag / 1000, 1),
          worstForcedLagSeconds: round(worstForcedLag / 1000, 1),
          worstLagBeyondForcedSeconds: round(Math.max(0, worstExcess) / 1000, 1),
          unsentThoughAFairSchedulerWouldHaveSent: unsentPastForced,
        },
        target: {
          kind: 'atMost',
          value: allowedExcess / 1000,
          of: `seconds of lag beyond what the budget forces; with at most ${QPS} requests a second and no 429`,
        },
        ok: misses.length === 0,
        ...(misses.length === 0 ? {} : { miss: misses.join('; ') }),
      },
    ],
  };
}
