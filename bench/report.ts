// The rows of a results file as a Markdown table: what docs/performance.md shows, so refreshing
// its figures after a run is a paste (`node dist-bench/bench/report.js`).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Row } from './row.js';

interface Results {
  readonly cpu?: string;
  readonly cores?: number;
  readonly suites: Readonly<
    Record<string, { date?: string; node?: string; loadAverage?: number[]; rows?: Row[] }>
  >;
}

// The figure a row is about, in a few words.
function headline(row: Row): string {
  const f = row.figures as Record<string, unknown>;
  const b = (row.baseline ?? {}) as Record<string, unknown>;
  if (row.row === 'webhook-latency')
    return `p50/p99/p99.9 ${f.p50Ms}/${f.p99Ms}/${f.p999Ms} ms (autocannon p99 ${f.autocannonP99Ms}) at ${f.requestsPerSecond} req/s, ${f.errors} errors, ${f.acknowledgedMissingFromLog} acked missing from the log; empty server p99 ${b.p99Ms} ms`;
  if (row.row === 'webhook-throughput')
    return `${f.requestsPerSecond} req/s (at ${f.atConnections} connections); empty server ${b.requestsPerSecond} req/s`;
  if (row.row === 'serve-api-latency')
    return `p50/p99 ${f.p50Ms}/${f.p99Ms} ms over ${f.requests} requests, ${f.errors} errors; empty Hono app p50/p99 ${b.p50Ms}/${b.p99Ms} ms`;
  if (row.row === 'serve-sse-fanout') {
    const all = (f.allClients ?? {}) as Record<string, unknown>;
    const one = (b.allClients ?? {}) as Record<string, unknown>;
    return `to all ${f.clients} clients p50/p99 ${all.p50Ms}/${all.p99Ms} ms over ${f.events} events, ${f.missing} deliveries missing; 1 client p50/p99 ${one.p50Ms}/${one.p99Ms} ms`;
  }
  if (row.row === 'scheduler')
    return `${f.recordings} recordings, ${f.simulatedMinutes} simulated min in ${f.wallSeconds} s; busiest second ${f.busiestSecond} calls, ${f.simulator429} × 429; worst lag ${f.worstLagSeconds} s, of which beyond the budget ${f.worstLagBeyondForcedSeconds} s`;
  if (row.row === 'ingest-sqlite')
    return `${f.inputsPerSecond} inputs/s (${f.inputsPerCommit} per commit) vs ${b.inputsPerSecond}/s bare; ${f.vsOneCommitPerInput}× one commit per input`;
  if (row.row === 'rebuild')
    return `${f.recordings} recordings in ${f.ms} ms (snapshot at ${f.snapshotPosition}, tail ${f.tailReplayed}; ${f.withoutSnapshotMs} ms without it) vs ${b.ms} ms from memory`;
  if (row.row === 'ingest-postgres')
    return `${f.inputsPerSecond} inputs/s vs ${b.inputsPerSecond}/s with ${String(b.what ?? '')}`;
  if (row.row === 'memory') {
    const sizes = (f.sizes ?? []) as Record<string, unknown>[];
    const perSize = sizes.map(
      (s) =>
        `${s.recordings} recordings: heap ${s.heapBytesPerRecording} B, RSS ${s.rssBytesPerRecording} B per recording`,
    );
    const key = f.dedupeKey as Record<string, unknown> | undefined;
    return `${perSize.join('; ')}${key === undefined ? '' : `; one dedupe key ${key.heapBytesPerKey} B`}`;
  }
  if (row.row === 'scaling') {
    const sizes = (f.sizes ?? []) as Record<string, unknown>[];
    const loop = (f.loop ?? {}) as Record<string, Record<string, unknown>>;
    const steps = sizes.map((s) => `${s.liveCoreUsPerInput} µs at ${s.recordings}`).join(', ');
    return `LiveCore per input ${steps} (growth ${f.growth}); ${loop.log} log at 100k, longest loop pause ${loop.duringSnapshot?.maxPauseMs} ms while a snapshot is written, ${loop.betweenSnapshots?.maxPauseMs} ms between`;
  }
  if (row.row === 'snapshot-sqlite-loop' || row.row === 'snapshot-postgres-loop')
    return `longest loop pause ${f.longestPauseMs} ms while ${f.recordings} recordings (${f.textMB} MB in ${f.chunks} chunks) are saved; median save ${f.medianSaveMs} ms`;
  if ('inputsPerSecond' in f)
    return `${f.inputsPerSecond} inputs/s (${f.ms} ms) vs ${String(b.what ?? '').split(' (')[0]} ${b.ms} ms`;
  return '';
}

/** A Markdown table of every row in a results file. */
export function markdownRows(results: Results): string {
  const lines = ['| row | figures | ratio | target | ok |', '|---|---|---|---|---|'];
  for (const suite of Object.values(results.suites)) {
    for (const row of suite.rows ?? []) {
      const target =
        row.target === undefined
          ? '—'
          : `${row.target.kind === 'ratioAtLeast' ? '≥' : row.target.kind === 'atMost' ? '≤' : '≥'} ${row.target.value}${row.target.of === undefined ? '×' : ` (${row.target.of})`}`;
      lines.push(
        `| ${row.row} | ${headline(row)} | ${row.ratio ?? '—'} | ${target} | ${row.ok ? 'yes' : `**no**: ${row.miss ?? ''}`} |`,
      );
    }
  }
  return lines.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const path =
    process.argv[2] ?? fileURLToPath(new URL('../../bench/results.json', import.meta.url));
  console.log(markdownRows(JSON.parse(readFileSync(path, 'utf8')) as Results));
}
