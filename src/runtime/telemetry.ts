// The supervisor's metrics through OpenTelemetry's API: what `recwatch serve` shows at /metrics,
// for hosts that embed the supervisor. Read from what the supervisor already exposes (its steps,
// events, pictures and usage) and the journal's append times; with no MeterProvider registered
// the API's meter is a no-op and nothing is followed at all.
import {
  createNoopMeter,
  type Meter,
  type MeterProvider,
  metrics,
  type ObservableResult,
} from '@opentelemetry/api';
import type { Subscription } from 'rxjs';
import { LIFECYCLE_STATES } from '../../machines/index.js';
import { classifyCall, classifyQuery } from '../signals/index.js';
import { packageVersion } from './package-version.js';
import type { Supervisor } from './supervisor-api.js';

/** The meter's name (the instrumentation scope of every instrument below). */
export const METER_NAME = 'recwatch';

/** Append times are recorded in seconds (OpenTelemetry's unit for durations). */
const APPEND_BUCKETS_S = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

/** A supervisor's instruments; `appended` is the journal's `onAppend`. */
export interface SupervisorTelemetry {
  /** Records one append's time, ms. */
  appended(ms: number): void;
  /** Stops following the supervisor and observing its gauges. */
  close(): void;
}

// Read once (a walk up to the package.json), only by hosts that measure.
let version: string | undefined;

/**
 * The meter of `provider` (default the global one of `@opentelemetry/api`), or null when it is
 * the API's no-op meter (no provider registered) or `provider` is false: nothing is then followed.
 */
export function recwatchMeter(provider: MeterProvider | false | undefined): Meter | null {
  if (provider === false) return null;
  version ??= packageVersion();
  const meter = (provider ?? metrics.getMeterProvider()).getMeter(METER_NAME, version);
  return meter === createNoopMeter() ? null : meter;
}

/**
 * Creates the instruments on `meter` and follows `supervisor` into them. Names, units and
 * attributes (docs/service.md#metrics; an OpenTelemetry Prometheus exporter turns each into the
 * name `/metrics` shows): `recwatch.recordings{state}` (gauge), `recwatch.inputs{decision}`,
 * `recwatch.log.append.duration` (histogram, s), `recwatch.agora.calls{call,outcome}`,
 * `recwatch.agora.rate_limited{call}`, `recwatch.agora.qps.budget.used` (gauge, ratio 0..1),
 * `recwatch.agora.calls.queued` (gauge), `recwatch.leases` (gauge, shared logs only),
 * `recwatch.restarts`, `recwatch.quits{reason}`, `recwatch.failures{reason}`,
 * `recwatch.events{type}` (counters).
 */
export function instrumentSupervisor(meter: Meter, supervisor: Supervisor): SupervisorTelemetry {
  const inputs = meter.createCounter('recwatch.inputs', {
    description: "Inputs stepped by the core, by the core's decision.",
    unit: '{input}',
  });
  const calls = meter.createCounter('recwatch.agora.calls', {
    description: 'Agora REST calls whose outcome was logged (start, query, stop), by outcome.',
    unit: '{call}',
  });
  const rateLimited = meter.createCounter('recwatch.agora.rate_limited', {
    description: 'Agora REST calls answered 429.',
    unit: '{call}',
  });
  const restarts = meter.createCounter('recwatch.restarts', {
    description: 'Recordings restarted with a new sid.',
    unit: '{restart}',
  });
  const quits = meter.createCounter('recwatch.quits', {
    description: 'Recordings that quit, by reason.',
    unit: '{quit}',
  });
  const failures = meter.createCounter('recwatch.failures', {
    description: 'Recordings that failed for good, by reason.',
    unit: '{failure}',
  });
  const events = meter.createCounter('recwatch.events', {
    description: 'Domain events, by type.',
    unit: '{event}',
  });
  const appendDuration = meter.createHistogram('recwatch.log.append.duration', {
    description: 'Time of one append to the event log (a group commit included).',
    unit: 's',
    advice: { explicitBucketBoundaries: APPEND_BUCKETS_S },
  });
  const recordings = meter.createObservableGauge('recwatch.recordings', {
    description: 'Supervised recordings, by lifecycle state.',
    unit: '{recording}',
  });
  const budget = meter.createObservableGauge('recwatch.agora.qps.budget.used', {
    description: "Share of the app id's REST budget used in the last second (calls sent / qps).",
    unit: '1',
  });
  const queued = meter.createObservableGauge('recwatch.agora.calls.queued', {
    description: 'Agora REST calls waiting for the budget.',
    unit: '{call}',
  });
  const leases = meter.createObservableGauge('recwatch.leases', {
    description: 'Recordings whose lease this instance holds (a log shared by several instances).',
    unit: '{lease}',
  });
  const observeRecordings = (result: ObservableResult) => {
    for (const [state, count] of recordingsByState(supervisor)) result.observe(count, { state });
  };
  const observeBudget = (result: ObservableResult) => {
    const usage = supervisor.usage();
    result.observe(usage.sentLastSecond / usage.qps);
  };
  const observeQueued = (result: ObservableResult) => result.observe(supervisor.usage().queued);
  const observeLeases = (result: ObservableResult) => {
    const held = supervisor.usage().leases;
    if (held !== null) result.observe(held);
  };
  recordings.addCallback(observeRecordings);
  budget.addCallback(observeBudget);
  queued.addCallback(observeQueued);
  leases.addCallback(observeLeases);
  const subscriptions: Subscription[] = [
    supervisor.steps$.subscribe((step) => {
      for (const output of step.outputs) {
        if (output.kind === 'decision') inputs.add(1, { decision: output.decision });
      }
      if (step.item.kind !== 'input') return;
      const call = callOf(step.item.record);
      if (call === null) return;
      calls.add(1, { call: call.call, outcome: call.outcome });
      if (call.status === 429) rateLimited.add(1, { call: call.call });
    }),
    supervisor.events$.subscribe((event) => {
      events.add(1, { type: event.type });
      if (event.type === 'restarted') restarts.add(1);
      else if (event.type === 'quit') quits.add(1, { reason: event.reason });
      else if (event.type === 'failed') failures.add(1, { reason: event.reason });
    }),
  ];
  return {
    appended(ms) {
      appendDuration.record(ms / 1_000);
    },
    close() {
      for (const subscription of subscriptions) subscription.unsubscribe();
      recordings.removeCallback(observeRecordings);
      budget.removeCallback(observeBudget);
      queued.removeCallback(observeQueued);
      leases.removeCallback(observeLeases);
    },
  };
}

const CALLS: Readonly<Record<string, string>> = {
  started: 'start',
  startFailed: 'start',
  query: 'query',
  stopResult: 'stop',
};

/**
 * How many supervised recordings are in each lifecycle state, every state listed (0 when none):
 * what the `recordings` gauge shows, through OpenTelemetry and at serve's /metrics alike.
 * @example recordingsByState(supervisor).get('recording') // 12
 */
export function recordingsByState(supervisor: Pick<Supervisor, 'list'>): Map<string, number> {
  const counts = new Map<string, number>(LIFECYCLE_STATES.map((state) => [state, 0]));
  for (const one of supervisor.list()) counts.set(one.state, (counts.get(one.state) ?? 0) + 1);
  return counts;
}

/**
 * A logged call result: which call, its outcome read as the core reads it (signals'
 * classifiers), and its HTTP status. Null for any other record.
 */
export function callOf(
  record: unknown,
): { call: string; outcome: string; status: number | null } | null {
  if (record === null || typeof record !== 'object' || !('type' in record)) return null;
  const type = String(record.type);
  const call = CALLS[type];
  if (call === undefined) return null;
  if (type === 'started') return { call, outcome: 'ok', status: 200 };
  const { httpStatus, body } = record as { httpStatus?: unknown; body?: unknown };
  const status = typeof httpStatus === 'number' ? httpStatus : null;
  const outcome =
    type === 'query' ? classifyQuery(status, body).kind : classifyCall(status, body).kind;
  return { call, outcome, status };
}
