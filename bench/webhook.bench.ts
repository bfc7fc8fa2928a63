// The webhook rows: latency at 2,000 req/s paced (our own open-loop generator, each response's
// own latency), and, kept so the history reads, the former autocannon measure of it; the most
// req/s with p99 ≤ 50 ms; each of recwatch's webhook handler (signed bodies, SQLite log, 200
// only once durable) against an empty node:http server in the same run. Load from this process;
// each server in a child process of its own (webhook-server.ts).
import { type ChildProcess, fork } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { allEntries, openSqliteLog, type SqliteDurability } from '../src/log/index.js';
import { CNAME } from '../test/fixtures/agora.js';
import { tempDir } from '../test/fixtures/temp-dir.js';
import { type PacedLoad, type PacedRequest, pacedLoad, pooled } from './paced-load.js';
import { type Row, round, type SuiteContext, type SuiteResult } from './row.js';
import { BENCH_WEBHOOK_SECRET, LIVE_RECORDINGS } from './webhook-constants.js';

/** What the server's process holds, after a GC (bytes). */
export interface ChildMemory {
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
  readonly externalBytes: number;
}

/** A server under load, in its own process. */
export interface Served {
  readonly url: string;
  memory(): Promise<ChildMemory>;
  close(): Promise<void>;
}

/** Starts a server of `kind` in a child process (webhook-server.ts). */
export async function serve(
  kind: 'empty' | 'supervisor',
  file?: string,
  durability: SqliteDurability = 'full',
): Promise<Served> {
  const script = new URL('./webhook-server.js', import.meta.url);
  const child: ChildProcess = fork(script, file === undefined ? [kind] : [kind, file, durability], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const [message] = (await once(child, 'message')) as [{ port: number }];
  return {
    url: `http://127.0.0.1:${message.port}`,
    async memory() {
      const answer = once(child, 'message') as Promise<[ChildMemory]>;
      child.send('memory');
      return (await answer)[0];
    },
    async close() {
      const closed = once(child, 'exit');
      child.send('close');
      await closed;
    },
  };
}

/** Signed notification bodies, numbered so every acknowledged one can be found in the log. */
export function bodies(start: number) {
  let next = start;
  const sequences = new Array<number>(LIVE_RECORDINGS).fill(0);
  return (): { noticeId: string; body: string; signature: string } => {
    const n = next++;
    const i = n % LIVE_RECORDINGS;
    sequences[i] = (sequences[i] as number) + 1;
    const noticeId = `2000001428:4330:${n}`;
    const sendts = Date.now();
    const body = JSON.stringify({
      noticeId,
      productId: 3,
      eventType: 33,
      notifyMs: sendts + 40,
      payload: {
        cname: CNAME,
        uid: String(1000 + i),
        sid: `S${i}`,
        sequence: sequences[i],
        sendts,
        serviceType: 0,
        details: { msgName: 'uploading_progress', progress: n % 10_000 },
      },
    });
    const signature = createHmac('sha256', BENCH_WEBHOOK_SECRET).update(body).digest('hex');
    return { noticeId, body, signature };
  };
}

export interface Load {
  readonly requests: number;
  readonly ok: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
  readonly requestsPerSecond: number;
  /** From every response's own time (µs resolution), ms. */
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
  readonly maxMs: number;
  /** autocannon's histogram (whole ms; corrected for coordinated omission when rate-limited). */
  readonly autocannonP99Ms: number;
  readonly autocannonP999Ms: number;
}

const percentile = (sorted: readonly number[], q: number) =>
  sorted.length === 0
    ? 0
    : (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number);

/** One autocannon run; `acked` gets the noticeId of every body answered 200. */
export async function load(
  url: string,
  options: { connections: number; seconds: number; rate?: number },
  next: ReturnType<typeof bodies>,
  acked?: Set<string>,
): Promise<Load> {
  const times: number[] = [];
  const config: autocannon.Options = {
    url: `${url}/agora`,
    connections: options.connections,
    duration: options.seconds,
    ...(options.rate === undefined ? {} : { overallRate: options.rate }),
    requests: [
      {
        method: 'POST',
        setupRequest: (request, context) => {
          const { noticeId, body, signature } = next();
          (context as { noticeId?: string }).noticeId = noticeId;
          return {
            ...request,
            body,
            headers: { 'content-type': 'application/json', 'Agora-Signature-V2': signature },
          };
        },
        onResponse: (status, _body, context) => {
          const noticeId = (context as { noticeId?: string }).noticeId;
          if (status === 200 && noticeId !== undefined) acked?.add(noticeId);
        },
      },
    ],
  };
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(config, (error, done) => (error ? reject(error) : resolve(done)));
    instance.on('response', (_client, _status, _bytes, ms) => {
      times.push(ms);
    });
  });
  times.sort((a, b) => a - b);
  return {
    requests: result.requests.total,
    ok: result['2xx'],
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    requestsPerSecond: Math.round(result.requests.total / result.duration),
    p50Ms: round(percentile(times, 0.5), 3),
    p99Ms: round(percentile(times, 0.99), 3),
    p999Ms: round(percentile(times, 0.999), 3),
    maxMs: round(times.at(-1) ?? 0, 3),
    autocannonP99Ms: result.latency.p99,
    autocannonP999Ms: (result.latency as unknown as { p99_9: number }).p99_9,
  };
}

/** The noticeIds of every notification in a SQLite log. */
async function loggedNoticeIds(file: string): Promise<Set<string>> {
  const log = await openSqliteLog(file, { readOnly: true });
  const ids = new Set<string>();
  for await (const entry of allEntries(log)) {
    const item = entry.item as { kind: string; record?: { type?: string; body?: unknown } };
    if (item.kind !== 'input' || item.record?.type !== 'notification') continue;
    const body = item.record.body;
    const parsed = typeof body === 'string' ? (JSON.parse(body) as unknown) : body;
    const noticeId = (parsed as { noticeId?: unknown } | null)?.noticeId;
    if (typeof noticeId === 'string') ids.add(noticeId);
  }
  await log.close();
  return ids;
}

const CONNECTION_LADDER = [1, 2, 4, 8, 16, 32, 64, 128] as const;
/** The throughput row's target: at least this share of the empty server's most req/s. */
const THROUGHPUT_TARGET = 0.5;
const P99_BOUND_MS = 50;

/** The most req/s whose p99 stays ≤ 50 ms with no error, over a ladder of connection counts. */
async function maxThroughput(
  url: string,
  seconds: number,
  ladder: readonly number[],
  next: ReturnType<typeof bodies>,
) {
  const steps: (Load & { connections: number })[] = [];
  let best: (Load & { connections: number }) | null = null;
  for (const connections of ladder) {
    const step = { connections, ...(await load(url, { connections, seconds }, next)) };
    steps.push(step);
    const p99 = Math.max(step.p99Ms, step.autocannonP99Ms);
    const clean = step.errors === 0 && step.timeouts === 0 && step.non2xx === 0;
    if (!clean || p99 > P99_BOUND_MS) break;
    // Every step within the bound counts: one noisy 3-s step past the knee must not end the
    // ladder (on a shared machine one once read 361 req/s at 2 connections after 781 at 1).
    if (best === null || step.requestsPerSecond > best.requestsPerSecond) best = step;
  }
  return {
    requestsPerSecond: best?.requestsPerSecond ?? 0,
    atConnections: best?.connections ?? null,
    p99Ms: best?.p99Ms ?? null,
    steps: steps.map((s) => ({
      connections: s.connections,
      requestsPerSecond: s.requestsPerSecond,
      p99Ms: s.p99Ms,
      errors: s.errors + s.timeouts + s.non2xx,
    })),
  };
}

/** The same bodies as `bodies`, as the paced generator sends them. */
function pacedBodies(start: number): () => PacedRequest {
  const next = bodies(start);
  return () => {
    const { noticeId, body, signature } = next();
    return {
      id: noticeId,
      body,
      headers: { 'content-type': 'application/json', 'Agora-Signature-V2': signature },
    };
  };
}

const PACED_SIDES = ['empty', 'recwatch', 'recwatchNormal'] as const;
type PacedSide = (typeof PACED_SIDES)[number];

/**
 * The paced latency rounds: the empty server, recwatch on a SQLite log with durability 'full'
 * and with 'normal', each for `seconds` at `rate` per round, the three in a rotating order
 * (round r starts with side r mod 3), every server kept up across the rounds. Each side's
 * latencies are pooled over the rounds; every body recwatch acknowledged is looked up in its log.
 */
async function pacedRounds(
  dir: ReturnType<typeof tempDir>,
  options: { rate: number; seconds: number; rounds: number; connections: number },
) {
  const files = { full: dir.file('paced-full.db'), normal: dir.file('paced-normal.db') };
  const servers: Record<PacedSide, Served> = {
    empty: await serve('empty'),
    recwatch: await serve('supervisor', files.full, 'full'),
    recwatchNormal: await serve('supervisor', files.normal, 'normal'),
  };
  const acked = { recwatch: new Set<string>(), recwatchNormal: new Set<string>() };
  const histograms = Object.fromEntries(
    PACED_SIDES.map((side) => [side, createHistogram()]),
  ) as Record<PacedSide, RecordableHistogram>;
  const runs = Object.fromEntries(PACED_SIDES.map((side) => [side, [] as PacedLoad[]])) as Record<
    PacedSide,
    PacedLoad[]
  >;
  // Numbered apart per side, so no side ever receives a body twice.
  const next = {
    empty: pacedBodies(0),
    recwatch: pacedBodies(10_000_000),
    recwatchNormal: pacedBodies(20_000_000),
  };
  try {
    // Warm-up: one second each, not counted.
    for (const side of PACED_SIDES) {
      await pacedLoad(servers[side].url, { ...options, seconds: 1 }, next[side]);
    }
    for (let r = 0; r < options.rounds; r += 1) {
      for (let k = 0; k < PACED_SIDES.length; k += 1) {
        const side = PACED_SIDES[(r + k) % PACED_SIDES.length] as PacedSide;
        const ack = side === 'empty' ? undefined : acked[side];
        runs[side].push(
          await pacedLoad(servers[side].url, options, next[side], ack, histograms[side]),
        );
      }
    }
  } finally {
    for (const side of PACED_SIDES) await servers[side].close();
  }
  const missing = async (file: string, ids: Set<string>) => {
    const logged = await loggedNoticeIds(file);
    return { acknowledged: ids.size, missing: [...ids].filter((id) => !logged.has(id)).length };
  };
  const side = (name: PacedSide) => {
    const each = runs[name];
    const sum = (key: 'requests' | 'ok' | 'errors' | 'non2xx') =>
      each.reduce((total, run) => total + run[key], 0);
    return {
      ...pooled(histograms[name]),
      ok: sum('ok'),
      errors: sum('errors'),
      non2xx: sum('non2xx'),
      rounds: each.map(({ requestsPerSecond, p50Ms, p99Ms, p999Ms, maxMs, scheduleLagP99Ms }) => ({
        requestsPerSecond,
        p50Ms,
        p99Ms,
        p999Ms,
        maxMs,
        scheduleLagP99Ms,
      })),
    };
  };
  return {
    empty: side('empty'),
    recwatch: { ...side('recwatch'), ...(await missing(files.full, acked.recwatch)) },
    recwatchNormal: {
      ...side('recwatchNormal'),
      ...(await missing(files.normal, acked.recwatchNormal)),
    },
  };
}

/** The `webhook-latency`, `webhook-latency-autocannon` and `webhook-throughput` rows. */
export async function runWebhookBench(context: SuiteContext): Promise<SuiteResult> {
  const rate = 2_000;
  const seconds = context.tiny ? 2 : 30;
  const connections = 32;
  const dir = tempDir('recwatch-bench-webhook-');
  try {
    const paced = await pacedRounds(dir, {
      rate,
      seconds: context.tiny ? 1 : 10,
      rounds: context.tiny ? 1 : 3,
      connections,
    });

    // Latency at 2,000 req/s: the empty server, then recwatch.
    const emptyServer = await serve('empty');
    const warm = bodies(0);
    await load(emptyServer.url, { connections, seconds: 1, rate }, warm);
    const emptyLoad = await load(emptyServer.url, { connections, seconds, rate }, bodies(0));
    await emptyServer.close();

    const file = dir.file('webhook.db');
    const acked = new Set<string>();
    const served = await serve('supervisor', file);
    const ours = await load(served.url, { connections, seconds, rate }, bodies(0), acked);
    await served.close();
    const logged = await loggedNoticeIds(file);
    const missing = [...acked].filter((id) => !logged.has(id)).length;

    // Throughput: the empty server's maximum, then recwatch's, p99 ≤ 50 ms.
    const ladder = context.tiny ? [1, 8] : CONNECTION_LADDER;
    const stepSeconds = context.tiny ? 1 : 3;
    const emptyAgain = await serve('empty');
    const emptyMax = await maxThroughput(emptyAgain.url, stepSeconds, ladder, bodies(0));
    await emptyAgain.close();
    const throughputFile = dir.file('throughput.db');
    const servedAgain = await serve('supervisor', throughputFile);
    const oursMax = await maxThroughput(servedAgain.url, stepSeconds, ladder, bodies(0));
    await servedAgain.close();

    const pacedOurs = paced.recwatch;
    const pacedMisses = [
      ...(pacedOurs.p99Ms > 10 ? [`p99 ${pacedOurs.p99Ms} ms > 10 ms`] : []),
      ...(pacedOurs.p999Ms > 25 ? [`p99.9 ${pacedOurs.p999Ms} ms > 25 ms`] : []),
      ...(pacedOurs.errors + pacedOurs.non2xx > 0
        ? [`${pacedOurs.errors + pacedOurs.non2xx} errors`]
        : []),
      ...(pacedOurs.missing > 0 ? [`${pacedOurs.missing} acknowledged bodies not in the log`] : []),
    ];
    const clean = ours.errors === 0 && ours.timeouts === 0 && ours.non2xx === 0;
    const correctnessMisses = [
      ...(clean ? [] : [`${ours.errors + ours.timeouts + ours.non2xx} errors`]),
      ...(missing > 0 ? [`${missing} acknowledged bodies not in the log`] : []),
    ];
    const throughputRatio = round(
      oursMax.requestsPerSecond / Math.max(1, emptyMax.requestsPerSecond),
    );
    const pacedSeconds = context.tiny ? 1 : 10;
    const rows: Row[] = [
      {
        row: 'webhook-latency',
        what: `request → 200 at ${rate} req/s paced (open loop, a timer every ms sending those due, keep-alive node:http, at most ${connections} connections), each response's own latency in a µs histogram, ${paced.recwatch.rounds.length} rounds of ${pacedSeconds} s per side interleaved, pooled; signed bodies, createSupervisor on a SQLite log (durability 'full', 200 once durable); 'normal' beside it`,
        figures: {
          ...pacedOurs,
          durabilityNormal: paced.recwatchNormal,
        },
        baseline: {
          what: 'empty node:http server answering 200 at the same paced rate, same rounds',
          ...paced.empty,
        },
        ratio: round(paced.empty.p99Ms / Math.max(0.001, pacedOurs.p99Ms)),
        target: {
          kind: 'atMost',
          value: 10,
          of: 'p99 ms, with p99.9 ≤ 25 ms, zero errors and every acknowledged body in the log',
        },
        ok: pacedMisses.length === 0,
        ...(pacedMisses.length === 0 ? {} : { miss: pacedMisses.join('; ') }),
      },
      {
        row: 'webhook-latency-autocannon',
        what: `the former measure of webhook-latency: request → 200 at ${rate} req/s for ${seconds} s on loopback (autocannon overallRate, which sends each second's requests as one burst; ${connections} connections), signed bodies, createSupervisor on a SQLite log (200 once durable)`,
        figures: {
          ...ours,
          acknowledged: acked.size,
          inLog: logged.size,
          acknowledgedMissingFromLog: missing,
        },
        baseline: { what: 'empty node:http server answering 200 at the same rate', ...emptyLoad },
        ratio: round(emptyLoad.p99Ms / Math.max(0.001, ours.p99Ms)),
        // Kept for the history, judged only on errors and lost bodies: its bursts are not the
        // load the target is about (webhook-latency is).
        ok: correctnessMisses.length === 0,
        ...(correctnessMisses.length === 0 ? {} : { miss: correctnessMisses.join('; ') }),
      },
      {
        row: 'webhook-throughput',
        what: `the most req/s with p99 ≤ ${P99_BOUND_MS} ms and no error, over autocannon runs of ${stepSeconds} s at ${ladder.join(', ')} connections`,
        figures: oursMax,
        baseline: { what: 'empty node:http server, same ladder', ...emptyMax },
        ratio: throughputRatio,
        // Issue #24's target (it was 0.3× before).
        target: { kind: 'ratioAtLeast', value: THROUGHPUT_TARGET },
        ok: throughputRatio >= THROUGHPUT_TARGET,
        ...(throughputRatio >= THROUGHPUT_TARGET
          ? {}
          : { miss: `ratio ${throughputRatio} < target ${THROUGHPUT_TARGET}` }),
      },
    ];
    return { rows };
  } finally {
    dir.remove();
  }
}
