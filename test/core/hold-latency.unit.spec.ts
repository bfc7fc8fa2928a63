// The added latency per event type on the rule traces and issue 9's traces: a measurement for
// the record (printed), not a timing assertion. Observed times come from the traces themselves,
// so the figures are exact; the assertions check what the hold policy promises.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { holdLatency } from './hold-latency.js';

const traces = join(import.meta.dirname, '../traces');
const jsonl = (folder: string) =>
  readdirSync(folder)
    .filter((name) => name.endsWith('.jsonl'))
    .sort()
    .map((name) => join(folder, name));

describe('added latency of the hold policy', () => {
  it.each([
    ['the rule traces', traces],
    ['issue 9’s traces', join(traces, 'odd-signals')],
  ])('on %s: life events and stream news never wait for an earlier sequence', (label, folder) => {
    const rows = holdLatency(jsonl(folder));
    console.log(`hold latency on ${label} (ms): ${JSON.stringify(rows)}`);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows.filter((r) => [13, 30, 40, 42, 43, 44, 70].includes(r.eventType)))
      expect(row.waitedForOrder).toBe(0);
  });
});
