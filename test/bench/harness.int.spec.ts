// The bench harness on a tiny configuration: it runs, judges rows, and writes well-formed JSON.
// No timing is asserted (the figures of a busy CI box mean nothing); only the shape and the rules.
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BenchUsageError,
  missesOf,
  parseArgs,
  runBench,
  selectSuites,
} from '../../bench/harness.js';
import type { Row } from '../../bench/row.js';
import { SUITES, type Suite } from '../../bench/suites.js';
import { tempDir } from '../fixtures/temp-dir.js';

const dirs: ReturnType<typeof tempDir>[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) dir.remove();
});
const outFile = () => {
  const dir = tempDir('recwatch-bench-spec-');
  dirs.push(dir);
  return dir.file('results.json');
};

const row = (name: string, ok: boolean): Row => ({
  row: name,
  what: 'a fake row',
  figures: { ms: 1 },
  ratio: ok ? 2 : 0.5,
  target: { kind: 'ratioAtLeast', value: 1 },
  ok,
  ...(ok ? {} : { miss: 'ratio 0.5 < target 1' }),
});

const fakeSuites: Suite[] = [
  { name: 'good', rows: ['fast'], run: async () => ({ rows: [row('fast', true)] }) },
  {
    name: 'bad',
    rows: ['slow', 'fine'],
    run: async () => ({ rows: [row('slow', false), row('fine', true)] }),
  },
];

describe('bench command line', () => {
  it('reads --only (repeated or comma-separated), --check, --tiny, --out and bare suite names', () => {
    expect(
      parseArgs(
        ['core', '--only', 'rebuild,ingest', '--check', '--tiny', '--out', 'x.json'],
        'd.json',
      ),
    ).toEqual({
      only: ['core', 'rebuild', 'ingest'],
      check: true,
      tiny: true,
      out: 'x.json',
    });
    expect(parseArgs([], 'd.json')).toEqual({ only: [], check: false, tiny: false, out: 'd.json' });
  });

  it('refuses an unknown flag and a flag without its value', () => {
    expect(() => parseArgs(['--fast'], 'd.json')).toThrow(BenchUsageError);
    expect(() => parseArgs(['--only'], 'd.json')).toThrow(BenchUsageError);
    expect(() => parseArgs(['--out', '--check'], 'd.json')).toThrow(BenchUsageError);
  });

  it('finds a suite by its name or by one of its rows, and names what it does not know', () => {
    expect(selectSuites(fakeSuites, ['slow']).map((s) => s.name)).toEqual(['bad']);
    expect(selectSuites(fakeSuites, ['good']).map((s) => s.name)).toEqual(['good']);
    expect(selectSuites(fakeSuites, []).map((s) => s.name)).toEqual(['good', 'bad']);
    expect(() => selectSuites(fakeSuites, ['nope'])).toThrow(/no suite or row nope/);
  });

  it('every row of the registry is claimed by exactly one suite', () => {
    const rows = SUITES.flatMap((suite) => suite.rows);
    expect(new Set(rows).size).toBe(rows.length);
    for (const name of [
      'core',
      'replay',
      'webhook-latency',
      'webhook-throughput',
      'scheduler',
      'ingest-sqlite',
      'rebuild',
      'scaling',
      'memory',
    ])
      expect(rows).toContain(name);
  });
});

describe('judging rows', () => {
  it('lists each missed row with its reason, and a suite that reports itself not ok', () => {
    expect(missesOf('bad', { rows: [row('slow', false), row('fine', true)] })).toEqual([
      { suite: 'bad', row: 'slow', why: 'ratio 0.5 < target 1' },
    ]);
    expect(missesOf('memory', { rows: [], ok: false })).toEqual([
      { suite: 'memory', row: '(suite)', why: 'the suite reports not ok' },
    ]);
    expect(missesOf('good', { rows: [row('fast', true)] })).toEqual([]);
  });

  it('writes the rows it ran and keeps the figures of the suites it did not run', async () => {
    const out = outFile();
    writeFileSync(out, JSON.stringify({ suites: { earlier: { rows: [], kept: true } } }));
    const { misses } = await runBench(
      fakeSuites,
      { only: ['slow'], check: true, tiny: true, out },
      () => {},
    );
    expect(misses).toEqual([{ suite: 'bad', row: 'slow', why: 'ratio 0.5 < target 1' }]);
    const written = JSON.parse(readFileSync(out, 'utf8')) as {
      suites: Record<string, { rows?: Row[]; kept?: boolean }>;
    };
    expect(written.suites.earlier?.kept).toBe(true);
    expect(written.suites.good).toBeUndefined();
    expect(written.suites.bad?.rows?.map((r) => r.row)).toEqual(['slow', 'fine']);
  });
});

describe('the real suites, tiny', () => {
  it('core, rebuild and scheduler run and give well-formed rows', async () => {
    const out = outFile();
    await runBench(
      SUITES,
      { only: ['core', 'rebuild', 'scheduler'], check: false, tiny: true, out },
      () => {},
    );
    const written = JSON.parse(readFileSync(out, 'utf8')) as {
      cores: number;
      suites: Record<string, { rows: Row[]; node: string }>;
    };
    expect(written.cores).toBeGreaterThan(0);
    const rows = Object.values(written.suites).flatMap((suite) => suite.rows);
    expect(rows.map((r) => r.row).sort()).toEqual(
      [
        'core',
        'core-vs-cpu-bound',
        'core-vs-xstate-fold',
        'core-vs-enqueue-actors',
        'rebuild',
        'replay',
        'replay-vs-xstate-fold',
        'replay-vs-enqueue-actors',
        'scheduler',
      ].sort(),
    );
    for (const r of rows) {
      expect(typeof r.what).toBe('string');
      expect(typeof r.ok).toBe('boolean');
      expect(Object.keys(r.figures).length).toBeGreaterThan(0);
      if (r.ratio !== undefined) expect(Number.isFinite(r.ratio) && r.ratio > 0).toBe(true);
      if (!r.ok) expect(typeof r.miss).toBe('string');
    }
    // The scheduler row's rules hold whatever the speed: the budget and no 429.
    const scheduler = rows.find((r) => r.row === 'scheduler');
    expect(scheduler?.figures.busiestSecond).toBeLessThanOrEqual(10);
    expect(scheduler?.figures.simulator429).toBe(0);
    // The rebuild started from the snapshot and rebuilt every recording.
    const rebuild = rows.find((r) => r.row === 'rebuild');
    expect(rebuild?.figures.snapshotPosition).toBeGreaterThan(0);
    expect(rebuild?.figures.recordings).toBe(200);
  }, 180_000);
});
