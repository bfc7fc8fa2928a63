// Issue 9's inputs and their variants, one trace per case under test/traces/odd-signals/, each
// with the picture it must give (kinds 1-8: liberal reading, legacy leave codes, recorder-aware
// dedupe and order, failover evidence, no false gap after a stop, no needless hold, restart uid
// alternation, a refused stop kept supervised).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type CoreOutput,
  picture,
  type RecordingOutput,
  readTrace,
  replayUntrusted,
} from '../../src/index.js';

const folder = join(import.meta.dirname, '../traces/odd-signals');
const traces = readdirSync(folder)
  .filter((name) => name.endsWith('.jsonl'))
  .sort();

function run(name: string) {
  const { records, problems } = readTrace(readFileSync(join(folder, name), 'utf8'));
  expect(problems).toEqual([]);
  const outputs: CoreOutput[] = [];
  const { state } = replayUntrusted(
    records.map((line) => (line.kind === 'input' ? line.record : null)),
    { onOutput: (output) => outputs.push(output) },
  );
  return {
    state,
    outputs: outputs.filter((o): o is RecordingOutput => o.kind !== 'decision'),
    decisions: outputs.filter((o) => o.kind === 'decision'),
  };
}

describe('issue 9 traces', () => {
  it('has traces for each of the eight kinds', () => {
    const kinds = new Set(traces.map((name) => name.slice(0, 5)));
    expect([...kinds].sort()).toEqual(Array.from({ length: 8 }, (_, i) => `kind${i + 1}`));
  });

  it.each(traces)('%s gives its expected picture', (name) => {
    const expected = JSON.parse(
      readFileSync(join(folder, name.replace('.jsonl', '.expected.json')), 'utf8'),
    );
    expect(picture(run(name).state)).toEqual(expected);
  });

  it('reads every input of every trace: nothing is rejected', () => {
    for (const name of traces) {
      expect(run(name).decisions.filter((d) => d.decision === 'rejected')).toEqual([]);
    }
  });

  it('kind 1: the 200 with a string boolean is alive, so no second recorder is launched', () => {
    const { outputs } = run('kind1-string-boolean-in-file-entry.jsonl');
    expect(outputs.filter((o) => o.type === 'acquireAndStart')).toHaveLength(1);
    expect(outputs).toContainEqual(expect.objectContaining({ type: 'started', sid: 'SID-A' }));
  });

  it('kind 3: the new recorder’s first 40 is never a duplicate, under either reading', () => {
    for (const name of [
      'kind3-sequence-restarts-per-uid.jsonl',
      'kind3-sequence-continues.jsonl',
    ]) {
      const { decisions } = run(name);
      expect(decisions.filter((d) => d.decision !== 'applied')).toEqual([]);
    }
    const copies = run('kind3-copy-of-new-recorder.jsonl').decisions;
    expect(copies.filter((d) => d.decision === 'duplicate').map((d) => d.position)).toEqual([6]);
  });

  it('kinds 3 and 6: no notification waits in these traces (no added latency)', () => {
    for (const name of traces.filter((n) => /^kind[36]/.test(n))) {
      expect(run(name).decisions.filter((d) => d.decision === 'held')).toEqual([]);
    }
  });

  it('kind 5: news after a host stop is decided at once, with no gap', () => {
    const { decisions } = run('kind5-news-after-host-stop.jsonl');
    const after = decisions.filter((d) => d.position >= 7);
    expect(after.map((d) => [d.position, d.decision, d.gap, d.at])).toEqual([
      [7, 'stale', undefined, 32_000],
      [8, 'stale', undefined, 35_000],
    ]);
  });

  it.each([
    ['kind7-restart-after-lost-uses-backup-uid.jsonl', 'lost'],
    ['kind7-restart-after-failover-timeout.jsonl', 'failoverTimeout'],
  ])('kind 7: %s restarts with the backup uid', (name, reason) => {
    const { outputs } = run(name);
    const starts = outputs.filter((o) => o.type === 'acquireAndStart');
    expect(starts.map((o) => (o.type === 'acquireAndStart' ? o.uid : null))).toEqual([
      '1001',
      '1002',
    ]);
    expect(outputs).toContainEqual(expect.objectContaining({ type: 'quit', reason }));
  });

  it('kind 8: a refused stop is a configuration error; the recording is still queried', () => {
    const { outputs } = run('kind8-refused-stop-keeps-supervising.jsonl');
    expect(outputs).toContainEqual(
      expect.objectContaining({ type: 'configurationError', operation: 'stop', httpStatus: 401 }),
    );
    expect(outputs.filter((o) => o.type === 'failed')).toEqual([]);
    const queries = outputs.filter((o) => o.kind === 'effect' && o.type === 'query');
    expect(queries.at(-1)).toMatchObject({
      sid: 'SID-A',
      resourceId: 'RES-A',
      mode: 'mix',
      cname: 'room-a',
      uid: '1001',
    });
  });
});
