// Runs suites of the registry, judges their rows and writes results.json: what `npm run bench`
// does, as a function the smoke test can call on a tiny configuration.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import type { Row, SuiteResult } from './row.js';
import type { Suite } from './suites.js';

/** What `runBench` is asked to do (parsed from the command line by `parseArgs`). */
export interface BenchRequest {
  /** Suite or row names; empty runs every suite. */
  readonly only: readonly string[];
  /** Exit non-zero when a row misses its target. */
  readonly check: boolean;
  /** Small sizes, for the smoke test. */
  readonly tiny: boolean;
  /** Where results go (default bench/results.json); other suites' last figures are kept there. */
  readonly out: string;
}

/** A row that missed its target, as `--check` lists it. */
export interface Miss {
  readonly suite: string;
  readonly row: string;
  readonly why: string;
}

/** What `runBench` wrote, and the misses. */
export interface BenchOutcome {
  readonly results: Record<string, unknown>;
  readonly misses: readonly Miss[];
}

/** Thrown for a command line naming no suite or row (exit 64). */
export class BenchUsageError extends Error {
  override readonly name = 'BenchUsageError';
}

/**
 * Reads `[suite...] [--only <suite|row>]... [--check] [--tiny] [--out <file>]`.
 * @throws BenchUsageError for an unknown flag or a flag without its value.
 */
export function parseArgs(argv: readonly string[], defaultOut: string): BenchRequest {
  const only: string[] = [];
  let check = false;
  let tiny = false;
  let out = defaultOut;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    if (arg === '--check') check = true;
    else if (arg === '--tiny') tiny = true;
    else if (arg === '--only' || arg === '--out') {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--'))
        throw new BenchUsageError(`${arg} needs a value`);
      if (arg === '--only') only.push(...value.split(','));
      else out = value;
      i += 1;
    } else if (arg.startsWith('--')) throw new BenchUsageError(`unknown flag ${arg}`);
    else only.push(arg);
  }
  return { only, check, tiny, out };
}

/** The suites a request names (a suite by its name, or the suite reporting a named row). */
export function selectSuites(suites: readonly Suite[], only: readonly string[]): Suite[] {
  if (only.length === 0) return [...suites];
  const unknown = only.filter(
    (name) => !suites.some((s) => s.name === name || s.rows.includes(name)),
  );
  if (unknown.length > 0) {
    const known = suites.flatMap((s) => [s.name, ...s.rows]);
    throw new BenchUsageError(`no suite or row ${unknown.join(', ')} (known: ${known.join(', ')})`);
  }
  return suites.filter((s) => only.includes(s.name) || s.rows.some((row) => only.includes(row)));
}

/** Rows of a suite's result that missed, and the suite itself when it judged itself not ok. */
export function missesOf(suite: string, result: SuiteResult): Miss[] {
  const misses: Miss[] = result.rows
    .filter((row) => row.ok === false)
    .map((row: Row) => ({ suite, row: row.row, why: row.miss ?? 'target missed' }));
  if (result.ok === false && misses.length === 0)
    misses.push({ suite, row: '(suite)', why: 'the suite reports not ok' });
  return misses;
}

/** Runs the requested suites, writes the results file, and returns what missed. */
export async function runBench(
  suites: readonly Suite[],
  request: BenchRequest,
  progress: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<BenchOutcome> {
  const chosen = selectSuites(suites, request.only);
  const previous = existsSync(request.out)
    ? (JSON.parse(readFileSync(request.out, 'utf8')) as { suites?: Record<string, unknown> })
    : {};
  const results: Record<string, unknown> = { ...previous.suites };
  const misses: Miss[] = [];
  for (const suite of chosen) {
    const started = performance.now();
    progress(`bench: ${suite.name}...`);
    const date = new Date().toISOString();
    const result = await suite.run({ tiny: request.tiny });
    misses.push(...missesOf(suite.name, result));
    results[suite.name] = {
      date,
      node: process.version,
      loadAverage: loadavg().map((n) => Number(n.toFixed(2))),
      ...(request.tiny ? { tiny: true } : {}),
      ...result,
    };
    // Written after every suite, so a run cut short keeps what it measured.
    write(request.out, results);
    progress(`bench: ${suite.name} done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    for (const row of result.rows) {
      const ratio = row.ratio === undefined ? '' : ` ratio ${row.ratio}`;
      const target =
        row.target === undefined ? '' : ` (target ${row.target.kind} ${row.target.value})`;
      progress(`  ${row.row}:${ratio}${target} ${row.ok ? 'ok' : `MISS: ${row.miss ?? ''}`}`);
    }
  }
  return { results: write(request.out, results), misses };
}

function write(out: string, suites: Record<string, unknown>): Record<string, unknown> {
  const written = { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, suites };
  writeFileSync(out, `${JSON.stringify(written, null, 2)}\n`);
  return written;
}
