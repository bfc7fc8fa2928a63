// A paced (open-loop) load generator for the webhook rows: requests go out on a fixed schedule,
// `rate` a second spread evenly (a timer every ms sends those due), over keep-alive node:http
// connections, whatever the answers do; each response's own latency, from the moment its
// request was issued to the end of its answer, goes into a histogram (node:perf_hooks, µs).
// autocannon's `overallRate` sends each second's requests as one burst, and its histogram has
// whole-ms buckets: at 2,000 req/s it read a p99 of 34 ms where the responses took 9.7 ms.
import { Agent, request } from 'node:http';
import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';
import { setTimeout as timer } from 'node:timers';
import { round } from './row.js';

/** What one paced run measured. Latencies in ms, from each request's own histogram. */
export interface PacedLoad {
  readonly requests: number;
  readonly ok: number;
  /** Connection errors and timeouts. */
  readonly errors: number;
  readonly non2xx: number;
  /** Requests issued ÷ the run's wall time. */
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
  readonly maxMs: number;
  /**
   * How late the generator itself issued requests against the schedule (its timer and event
   * loop, on a shared machine): p99 and max, ms. Not part of the latencies above.
   */
  readonly scheduleLagP99Ms: number;
  readonly scheduleLagMaxMs: number;
}

/** One request the generator sends: its body and headers, and a name to report it acked by. */
export interface PacedRequest {
  readonly id: string;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Default POST (a GET is sent without a body). */
  readonly method?: 'GET' | 'POST';
  /** Path and query, default the URL's path. */
  readonly path?: string;
  /** Also gets this request's latency (µs): a histogram per kind of request. */
  readonly histogram?: RecordableHistogram;
}

const REQUEST_TIMEOUT_MS = 10_000;

/**
 * Sends `rate` requests a second for `seconds` to `url` (POST, or each request's own method and
 * path), paced, on at most `connections` keep-alive connections; resolves once every request is
 * answered or failed. `acked` gets the id of each request answered 200 (or 201 to a POST);
 * `histogram`, when given, also gets every latency (µs), so several runs can be pooled.
 */
export async function pacedLoad(
  url: string,
  options: { readonly rate: number; readonly seconds: number; readonly connections: number },
  next: () => PacedRequest,
  acked?: Set<string>,
  histogram?: RecordableHistogram,
): Promise<PacedLoad> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const latency = createHistogram();
  const lag = createHistogram();
  const total = Math.round(options.rate * options.seconds);
  const target = new URL(url);
  let sent = 0;
  let settled = 0;
  let ok = 0;
  let errors = 0;
  let non2xx = 0;
  const start = performance.now();
  await new Promise<void>((resolve) => {
    const finish = () => {
      settled += 1;
      if (settled === total) resolve();
    };
    const send = () => {
      const { id, body, headers, method = 'POST', path = target.pathname, ...own } = next();
      const issued = performance.now();
      let done = false;
      const fail = () => {
        if (done) return;
        done = true;
        errors += 1;
        finish();
      };
      const req = request(
        {
          host: target.hostname,
          port: target.port,
          path,
          method,
          agent,
          headers:
            method === 'GET' ? headers : { ...headers, 'content-length': Buffer.byteLength(body) },
        },
        (response) => {
          response.resume();
          response.on('end', () => {
            if (done) return;
            done = true;
            const micros = Math.max(1, Math.round((performance.now() - issued) * 1000));
            latency.record(micros);
            histogram?.record(micros);
            own.histogram?.record(micros);
            const status = response.statusCode ?? 0;
            if (status === 200 || (method === 'POST' && status === 201)) {
              ok += 1;
              acked?.add(id);
            } else non2xx += 1;
            finish();
          });
          response.on('error', fail);
        },
      );
      req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error('timeout')));
      req.on('error', fail);
      req.end(method === 'GET' ? undefined : body);
    };
    const tick = () => {
      const now = performance.now();
      const due = Math.min(total, Math.floor(((now - start) / 1000) * options.rate) + 1);
      for (; sent < due; sent += 1) {
        const scheduled = start + (sent * 1000) / options.rate;
        lag.record(Math.max(1, Math.round((now - scheduled) * 1000)));
        send();
      }
      if (sent < total) timer(tick, 1);
    };
    tick();
  });
  const seconds = (performance.now() - start) / 1000;
  agent.destroy();
  const ms = (micros: number) => round(micros / 1000, 3);
  return {
    requests: total,
    ok,
    errors,
    non2xx,
    requestsPerSecond: Math.round(total / seconds),
    p50Ms: ms(latency.percentile(50)),
    p99Ms: ms(latency.percentile(99)),
    p999Ms: ms(latency.percentile(99.9)),
    maxMs: ms(latency.max),
    scheduleLagP99Ms: ms(lag.percentile(99)),
    scheduleLagMaxMs: ms(lag.max),
  };
}

/** p50/p99/p99.9/max (ms) of a pooled histogram of µs. */
export function pooled(histogram: RecordableHistogram) {
  const ms = (micros: number) => round(micros / 1000, 3);
  return {
    requests: histogram.count,
    p50Ms: ms(histogram.percentile(50)),
    p99Ms: ms(histogram.percentile(99)),
    p999Ms: ms(histogram.percentile(99.9)),
    maxMs: ms(histogram.max),
  };
}
