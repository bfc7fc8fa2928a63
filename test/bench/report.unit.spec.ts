// `node dist-bench/bench/report.js`: the rows of a results file as the Markdown table of
// docs/performance.md, each row's headline figure in words.
import { describe, expect, it } from 'vitest';
import { markdownRows } from '../../bench/report.js';
import type { Row } from '../../bench/row.js';

const snapshotRow = (name: string, longestPauseMs: number): Row => ({
  row: name,
  what: 'the event loop while a store keeps a snapshot',
  figures: { recordings: 100_000, textMB: 114.02, chunks: 109, longestPauseMs, medianSaveMs: 585 },
  target: { kind: 'atMost', value: 50, of: 'longest event-loop pause, ms' },
  ok: longestPauseMs <= 50,
  ...(longestPauseMs > 50 && { miss: `longest pause ${longestPauseMs} ms > 50 ms` }),
});

describe('markdownRows', () => {
  it("gives a snapshot row's longest pause, its size and its save time", () => {
    const table = markdownRows({
      suites: {
        'snapshot-store': {
          rows: [
            snapshotRow('snapshot-sqlite-loop', 8.88),
            snapshotRow('snapshot-postgres-loop', 61),
          ],
        },
      },
    });
    const [header, rule, sqlite, postgres] = table.split('\n');
    expect(header).toBe('| row | figures | ratio | target | ok |');
    expect(rule).toBe('|---|---|---|---|---|');
    expect(sqlite).toBe(
      '| snapshot-sqlite-loop | longest loop pause 8.88 ms while 100000 recordings (114.02 MB in 109 chunks) are saved; median save 585 ms | — | ≤ 50 (longest event-loop pause, ms) | yes |',
    );
    expect(postgres).toContain('longest loop pause 61 ms');
    expect(postgres).toContain('**no**: longest pause 61 ms > 50 ms');
  });

  it("gives the scaling row's step cost at each size and the loop's longest pauses", () => {
    const scaling: Row = {
      row: 'scaling',
      what: 'step cost and the event loop at 1k, 10k, 100k recordings',
      figures: {
        sizes: [
          { recordings: 1000, liveCoreUsPerInput: 10.9 },
          { recordings: 100000, liveCoreUsPerInput: 33.2 },
        ],
        growth: 3.05,
        loop: {
          log: 'sqlite-normal',
          duringSnapshot: { maxPauseMs: 243 },
          betweenSnapshots: { maxPauseMs: 53 },
        },
      },
      ok: false,
      miss: 'growth 3.05 (≤ 1.3)',
    };
    const line = markdownRows({ suites: { scaling: { rows: [scaling] } } }).split('\n')[2];
    expect(line).toContain(
      'LiveCore per input 10.9 µs at 1000, 33.2 µs at 100000 (growth 3.05); sqlite-normal log at 100k, longest loop pause 243 ms while a snapshot is written, 53 ms between',
    );
    expect(line).toContain('**no**: growth 3.05 (≤ 1.3)');
  });
});
