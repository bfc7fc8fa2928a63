import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { picture, readTrace, replay, replayUntrusted, serializeCore } from '../../src/index.js';
import { root } from '../cli/recwatch.js';

const traces = join(root, 'test/traces');

describe('readTrace and replay fit together', () => {
  it('replays the lines readTrace gives to the picture the rule expects', () => {
    const text = readFileSync(join(traces, 'rule-07-restart.jsonl'), 'utf8');
    const expected = JSON.parse(
      readFileSync(join(traces, 'rule-07-restart.expected.json'), 'utf8'),
    );
    const { records } = readTrace(text);
    expect(picture(replay(records).state)).toEqual(expected);
    // The same as replaying the records themselves.
    const raw = records.map((line) => (line.kind === 'input' ? line.record : null));
    expect(JSON.stringify(serializeCore(replay(records).state))).toBe(
      JSON.stringify(serializeCore(replayUntrusted(raw.filter((r) => r !== null)).state)),
    );
  });

  it('records a reject line with its reason, at its position', () => {
    const text =
      '{"at":1,"type":"tick"}\n{"at":2,"type":"reject","reason":"type: invalid","raw":{"type":"warp"}}\n';
    const outputs: { decision?: string; reason?: string; position?: number }[] = [];
    const { state } = replay(readTrace(text).records, {
      onOutput: (o) => outputs.push(o as never),
    });
    expect(state.position).toBe(2);
    expect(outputs.at(-1)).toMatchObject({
      decision: 'rejected',
      reason: 'type: invalid',
      position: 2,
    });
  });

  it('keeps the first record of a trace that starts with a byte order mark', () => {
    const { records, problems } = readTrace('\ufeff{"at":1,"type":"tick"}\n{"at":2,"type":"tick"}');
    expect(problems).toEqual([]);
    expect(records.map((line) => line.line)).toEqual([1, 2]);
  });
});

describe('a reject line with a time that is not one', () => {
  it('is a problem line, not a reject', () => {
    const text = '{"at":1e22,"type":"reject","reason":"x","raw":null}\n{"at":1,"type":"tick"}\n';
    const { records, problems } = readTrace(text);
    expect(records.map((line) => line.line)).toEqual([2]);
    expect(problems.map((problem) => problem.line)).toEqual([1]);
  });
});
