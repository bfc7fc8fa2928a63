// One fleet run: the simulator and an observer on one virtual clock, the host's plan played on
// it, the clock driven from timer to timer as fast as the machine allows (or capped at a pace),
// every change of belief noted, and the score against the ground truth at the end.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { VirtualClock } from '../clock/index.js';
import type { FleetObserver, ObserverContext } from '../sim/baselines/index.js';
import {
  type DeliveryRecord,
  type ProfileName,
  type RequestRecord,
  type ScheduledFault,
  type Simulator,
  startSimulator,
  type TruthRecord,
} from '../sim/index.js';
import { type FleetPlan, planFleet } from './plan.js';
import { type BeliefChange, type RestartDecision, type Score, score } from './score.js';

/** The clock's start: 2026-01-01T00:00:00Z. */
export const FLEET_T0 = Date.UTC(2026, 0, 1);

/** Options of `runFleet`. */
export interface FleetOptions {
  readonly profile: ProfileName;
  readonly seed: number;
  readonly recordings: number;
  /** Simulated length of the run, ms. */
  readonly durationMs: number;
  /** Makes the observer once the simulator is up. */
  readonly observer: (context: ObserverContext) => Promise<FleetObserver> | FleetObserver;
  /** At most this many simulated ms per real ms; undefined: as fast as the machine allows. */
  readonly speed?: number;
  /** Called after each step of the clock. */
  readonly onStep?: (progress: FleetProgress) => void;
  /** Aborting it ends the run early (at the current simulated time), scored so far. */
  readonly signal?: AbortSignal;
}

/** Where a run is. */
export interface FleetProgress {
  readonly now: number;
  readonly t0: number;
  readonly end: number;
  readonly simulator: Simulator;
  readonly observer: FleetObserver;
  /** Where the simulator posts notifications (the harness's loopback server). */
  readonly webhookUrl: string;
}

/** What a run leaves: the inputs of the score, and the score. */
export interface FleetRun {
  readonly observer: string;
  readonly profile: ProfileName;
  readonly seed: number;
  readonly plans: readonly FleetPlan[];
  readonly t0: number;
  /** Clock ms the run ended (earlier than planned when aborted). */
  readonly end: number;
  readonly aborted: boolean;
  readonly timelines: ReadonlyMap<string, readonly BeliefChange[]>;
  readonly restarts: readonly RestartDecision[];
  readonly truth: readonly TruthRecord[];
  readonly deliveries: readonly DeliveryRecord[];
  readonly requests: readonly RequestRecord[];
  /**
   * Each planned channel's life faults up to the end: drawn from the seed alone, so the same for
   * every observer of one seed and profile (what struck a session is in its truth's `faults`).
   */
  readonly faultSchedules: Readonly<Record<string, readonly ScheduledFault[]>>;
  readonly score: Score;
  /** Real ms the run took. */
  readonly wallMs: number;
}

/**
 * Runs a fleet against the simulator with one observer and scores it.
 * @example const run = await runFleet({ profile: 'chaos', seed: 7, recordings: 10, durationMs: 3_600_000, observer: (c) => new QueryOnlyBaseline(c) });
 */
export async function runFleet(options: FleetOptions): Promise<FleetRun> {
  const wallStart = performance.now();
  const clock = new VirtualClock(FLEET_T0);
  const t0 = FLEET_T0;
  const planned = planFleet(options);
  let webhook: ((request: IncomingMessage, response: ServerResponse) => void) | undefined;
  // An observer that does not use notifications still has a URL that answers 200 (and ignores
  // them), so every run sees the same deliveries and retries.
  const server = createServer((request, response) => {
    if (webhook !== undefined) return webhook(request, response);
    request.resume();
    request.on('end', () => {
      response.writeHead(200);
      response.end();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const webhookUrl = `http://127.0.0.1:${port}/agora`;
  const restarts: RestartDecision[] = [];
  let simulator: Simulator | undefined;
  let observer: FleetObserver | undefined;
  try {
    simulator = await startSimulator({
      seed: options.seed,
      profile: options.profile,
      clock,
      webhookUrl,
      // Room for restarts while old sessions are still exiting: the plan itself stays far below.
      concurrencyLimit: Math.max(50, 2 * options.recordings),
      // Each run has its own log, so ids from the seed cannot meet an earlier run's; they keep a
      // seed's run the same run after run (nothing may then depend on how random ids sort).
      ids: 'seeded',
    });
    const sim = simulator;
    observer = await options.observer({
      clock,
      baseUrl: sim.baseUrl,
      credentials: sim.credentials,
      onRestart: (recording, at) => restarts.push({ recording, at }),
    });
    const watcher = observer;
    webhook = watcher.webhook;
    const timelines = new Map<string, BeliefChange[]>();
    const host = new Set<Promise<unknown>>();
    const act = (work: () => Promise<void>) => {
      const done = work().catch(() => {});
      host.add(done);
      void done.finally(() => host.delete(done));
    };
    for (const plan of planned) {
      clock.setTimeout(() => act(() => watcher.start(plan)), plan.startAt);
      if (plan.stopAt !== null)
        clock.setTimeout(() => act(() => watcher.stop(plan.recording)), plan.stopAt);
    }
    const settle = async () => {
      for (let round = 0; round < 2; round += 1) {
        await Promise.allSettled([...host]);
        await sim.settle();
        await settledOrWaitingOnClock(watcher, sim);
      }
    };
    const note = () => {
      const now = clock.now();
      for (const plan of planned) {
        if (t0 + plan.startAt > now) continue;
        const list = timelines.get(plan.recording) ?? [];
        const belief = watcher.belief(plan.recording);
        if (list.at(-1)?.belief !== belief) list.push({ at: now, belief });
        timelines.set(plan.recording, list);
      }
    };
    const end = t0 + options.durationMs;
    let aborted = false;
    await settle();
    while (clock.now() < end) {
      if (options.signal?.aborted === true) {
        aborted = true;
        break;
      }
      const next = clock.nextAt();
      clock.advanceTo(Math.min(Math.max(next ?? end, clock.now()), end));
      await settle();
      note();
      options.onStep?.({
        now: clock.now(),
        t0,
        end,
        simulator: sim,
        observer: watcher,
        webhookUrl,
      });
      if (options.speed !== undefined) await pace(options.speed, clock.now() - t0, wallStart);
    }
    const endAt = clock.now();
    const truth = sim.truth();
    const deliveries = sim.deliveries();
    const requests = sim.requests();
    const faultSchedules = Object.fromEntries(
      planned.map((plan) => [plan.cname, sim.scheduledFaults(plan.cname, endAt)]),
    );
    return {
      observer: watcher.name,
      profile: options.profile,
      seed: options.seed,
      plans: planned,
      t0,
      end: endAt,
      aborted,
      timelines,
      restarts,
      truth,
      deliveries,
      requests,
      faultSchedules,
      score: score({
        plans: planned,
        t0,
        end: endAt,
        timelines,
        restarts,
        truth,
        deliveries,
        requests,
      }),
      wallMs: performance.now() - wallStart,
    };
  } finally {
    await observer?.close().catch(() => {});
    await simulator?.close().catch(() => {});
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

// Event-loop turns with no request, no delivery and none of the observer's own I/O after which
// an observer that has not settled is taken to wait on the clock.
const QUIET_TURNS = 50;

// An observer's settle() may wait on the clock (a baseline's retry after a transport error, on
// its clock), so with a virtual clock that stands still until everyone settles, it would never
// settle (recwatch's supervisor does not count a call waiting to retry). Once the simulator has seen
// nothing new for QUIET_TURNS turns, and the observer has none of its own I/O under way (its
// log's commits, which the simulator never sees and which outlast many turns), the clock moves
// on (and the retry goes out). Without the last condition the clock moved on while a commit was
// under way, so the run depended on how fast the disk and the machine were.
async function settledOrWaitingOnClock(watcher: FleetObserver, sim: Simulator): Promise<void> {
  let settled = false;
  const done = watcher.settle().then(() => {
    settled = true;
  });
  const io = watcher.ownIo;
  const activity = () => sim.activity() + (io?.count ?? 0);
  let seen = activity();
  for (let quiet = 0; !settled && quiet < QUIET_TURNS; ) {
    // Waiting on its own I/O, not turn by turn: no turns spent polling while a commit runs.
    if (io !== undefined && io.inFlight > 0) await Promise.race([io.idle(), done]);
    else await new Promise((resolve) => setImmediate(resolve));
    const now = activity();
    quiet = now === seen && (io?.inFlight ?? 0) === 0 ? quiet + 1 : 0;
    seen = now;
  }
  if (settled) await done;
}

// Waits so that simulated time runs at most `speed` times real time.
async function pace(speed: number, simulatedMs: number, wallStart: number): Promise<void> {
  const ahead = simulatedMs / speed - (performance.now() - wallStart);
  if (ahead > 1) await new Promise((resolve) => setTimeout(resolve, ahead));
}
