// What /metrics shows, in Prometheus text (prom-client): read from what the supervisor already
// exposes (its steps, events and pictures), so the runtime needs no hook of its own. Counters
// count from this process's start, as Prometheus expects.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Subscription } from 'rxjs';
import { callOf, recordingsByState, type Supervisor } from '../runtime/index.js';

/** The service's metrics, registered in their own registry. */
export interface ServeMetrics {
  readonly registry: Registry;
  /** Agora's webhook requests, by HTTP status. */
  readonly webhookRequestSeconds: Histogram<'status'>;
  /** Appends to the event log (the wrapped log's `append`). */
  readonly logAppendSeconds: Histogram;
  /** Outbound webhook attempts, by outcome (delivered, failed). */
  readonly outboundAttempts: Counter<'outcome'>;
  /** Open event streams. */
  readonly eventStreams: Gauge;
  /** Where `recwatch_http_requests_in_flight` reads its value. */
  requestsInFlight(read: () => number): void;
  /** Stops following the supervisor. */
  close(): void;
}

/**
 * Creates the metrics of one supervisor. Names (docs/service.md#metrics):
 * `recwatch_recordings{state}`, `recwatch_inputs_total{decision}`,
 * `recwatch_agora_webhook_request_duration_seconds{status}`, `recwatch_log_append_duration_seconds`,
 * `recwatch_agora_calls_total{call,outcome}`, `recwatch_agora_rate_limited_total{call}`,
 * `recwatch_restarts_total`, `recwatch_quits_total{reason}`, `recwatch_failures_total{reason}`,
 * `recwatch_events_total{type}`, `recwatch_agora_qps_budget_used`, `recwatch_agora_calls_queued`,
 * `recwatch_leases` (shared logs), `recwatch_outbound_webhook_attempts_total{outcome}`,
 * `recwatch_event_streams`, `recwatch_http_requests_in_flight`, and Node's defaults (`nodejs_eventloop_lag_seconds`, ...).
 */
export function createServeMetrics(supervisor: Supervisor): ServeMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  new Gauge({
    name: 'recwatch_recordings',
    help: 'Supervised recordings, by lifecycle state.',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      for (const [state, count] of recordingsByState(supervisor)) this.set({ state }, count);
    },
  });
  const inputs = new Counter({
    name: 'recwatch_inputs_total',
    help: "Inputs stepped by the core, by the core's decision.",
    labelNames: ['decision'],
    registers: [registry],
  });
  const calls = new Counter({
    name: 'recwatch_agora_calls_total',
    help: 'Agora REST calls whose outcome was logged (start, query, stop), by outcome.',
    labelNames: ['call', 'outcome'],
    registers: [registry],
  });
  const rateLimited = new Counter({
    name: 'recwatch_agora_rate_limited_total',
    help: 'Agora REST calls answered 429.',
    labelNames: ['call'],
    registers: [registry],
  });
  const restarts = new Counter({
    name: 'recwatch_restarts_total',
    help: 'Recordings restarted with a new sid.',
    registers: [registry],
  });
  const quits = new Counter({
    name: 'recwatch_quits_total',
    help: 'Recordings that quit, by reason.',
    labelNames: ['reason'],
    registers: [registry],
  });
  const failures = new Counter({
    name: 'recwatch_failures_total',
    help: 'Recordings that failed for good, by reason.',
    labelNames: ['reason'],
    registers: [registry],
  });
  const events = new Counter({
    name: 'recwatch_events_total',
    help: 'Domain events, by type.',
    labelNames: ['type'],
    registers: [registry],
  });
  new Gauge({
    name: 'recwatch_agora_qps_budget_used',
    help: "Share of the app id's REST budget used in the last second (calls sent / qps).",
    registers: [registry],
    collect() {
      const usage = supervisor.usage();
      this.set(usage.sentLastSecond / usage.qps);
    },
  });
  new Gauge({
    name: 'recwatch_agora_calls_queued',
    help: 'Agora REST calls waiting for the budget.',
    registers: [registry],
    collect() {
      this.set(supervisor.usage().queued);
    },
  });
  // Only on a log shared by several instances: a supervisor alone holds no lease.
  if (supervisor.usage().leases !== null) {
    new Gauge({
      name: 'recwatch_leases',
      help: 'Recordings whose lease this instance holds.',
      registers: [registry],
      collect() {
        this.set(supervisor.usage().leases ?? 0);
      },
    });
  }
  let readInFlight = () => 0;
  new Gauge({
    name: 'recwatch_http_requests_in_flight',
    help: 'HTTP requests being answered (this scrape included); a drain waits for them.',
    registers: [registry],
    collect() {
      this.set(readInFlight());
    },
  });
  const subscriptions: Subscription[] = [
    supervisor.steps$.subscribe((step) => {
      for (const output of step.outputs) {
        if (output.kind === 'decision') inputs.inc({ decision: output.decision });
      }
      if (step.item.kind !== 'input') return;
      const call = callOf(step.item.record);
      if (call === null) return;
      calls.inc({ call: call.call, outcome: call.outcome });
      if (call.status === 429) rateLimited.inc({ call: call.call });
    }),
    supervisor.events$.subscribe((event) => {
      events.inc({ type: event.type });
      if (event.type === 'restarted') restarts.inc();
      if (event.type === 'quit') quits.inc({ reason: event.reason });
      if (event.type === 'failed') failures.inc({ reason: event.reason });
    }),
  ];
  return {
    registry,
    webhookRequestSeconds: new Histogram({
      name: 'recwatch_agora_webhook_request_duration_seconds',
      help: "Time to answer Agora's notification service (durable append included), by status.",
      labelNames: ['status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    logAppendSeconds: new Histogram({
      name: 'recwatch_log_append_duration_seconds',
      help: 'Time of one append to the event log (a group commit included).',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers: [registry],
    }),
    outboundAttempts: new Counter({
      name: 'recwatch_outbound_webhook_attempts_total',
      help: 'Attempts to deliver an event to the host webhook, by outcome.',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    eventStreams: new Gauge({
      name: 'recwatch_event_streams',
      help: 'Open server-sent event streams.',
      registers: [registry],
    }),
    requestsInFlight(read) {
      readInFlight = read;
    },
    close() {
      for (const subscription of subscriptions) subscription.unsubscribe();
    },
  };
}
