import { describe, expect, it } from 'vitest';
import { rejectLine } from '../../src/core/index.js';
import { readTrace, writeTrace } from '../../src/index.js';

describe('trace format v1', () => {
  it('reads one record per line, ignoring blank lines and unknown fields', () => {
    const text = '{"at":1,"type":"tick","note":"x"}\n\n{"at":2,"type":"stop","recording":"r1"}\n';
    expect(readTrace(text)).toEqual({
      records: [
        { kind: 'input', line: 1, record: { at: 1, type: 'tick', note: 'x' } },
        { kind: 'input', line: 3, record: { at: 2, type: 'stop', recording: 'r1' } },
      ],
      problems: [],
    });
  });

  it('reports a bad line with its line number and skips it', () => {
    const text =
      '{"at":1,"type":"tick"}\n{"at":2,"type":\n{"type":"tick"}\n{"at":3,"type":"warp"}\n{"at":4,"type":"tick"}\n';
    const { records, problems } = readTrace(text);
    expect(records.map((r) => r.line)).toEqual([1, 5]);
    expect(problems.map((p) => p.line)).toEqual([2, 3, 4]);
    expect(problems[0]?.message).toMatch(/^not JSON: /);
    expect(problems[1]?.message).toMatch(/^at: /);
    expect(problems[2]?.message).toMatch(/^type: /);
  });

  it('keeps a notification whose body is bad as an input: the core rejects it with a reason', () => {
    const { records } = readTrace('{"at":1,"type":"notification","body":{"eventType":40}}');
    expect(records).toHaveLength(1);
  });

  it('round-trips records and rejects through write and read', () => {
    const records = [
      { at: 5, type: 'tick' },
      rejectLine(6, 'at: expected a number', { type: 'tick' }),
    ];
    expect(readTrace(writeTrace(records)).records).toEqual([
      { kind: 'input', line: 1, record: { at: 5, type: 'tick' } },
      { kind: 'reject', line: 2, at: 6, reason: 'at: expected a number', raw: { type: 'tick' } },
    ]);
  });

  it('writes a body or raw value received as bytes as the text it carried', () => {
    const bytes = (text: string) => new TextEncoder().encode(text);
    const body = '{"eventType":40,"payload":{"sid":"S1"}}';
    const written = writeTrace([
      { at: 5, type: 'notification', body: bytes(body) },
      rejectLine(6, 'body: not JSON', bytes('{"eventType":')),
    ]);
    expect(readTrace(written).records).toEqual([
      { kind: 'input', line: 1, record: { at: 5, type: 'notification', body } },
      { kind: 'reject', line: 2, at: 6, reason: 'body: not JSON', raw: '{"eventType":' },
    ]);
  });
});
