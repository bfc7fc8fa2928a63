import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCore, parseNotification, serializeCore, step } from '../../src/index.js';
import { normalizeInput } from '../../src/signals/index.js';
import { jsonShapeProblem } from '../../src/signals/json-shape.js';
import { at, start, started } from '../core/inputs.js';
import { notificationBody } from '../fixtures/agora.js';

const rejected = (raw: unknown) => {
  const result = normalizeInput(raw);
  return result.ok ? undefined : result.error.message;
};

describe('numbers out of range are rejects with their reason', () => {
  it('refuses times that are not integers in Date’s range', () => {
    for (const value of [8_640_000_000_000_001, 1e22, -1, 1.5, Number.MAX_VALUE]) {
      expect(rejected({ at: value, type: 'tick' })).toMatch(/^at: expected a time/);
    }
    expect(rejected({ at: 8_640_000_000_000_000, type: 'tick' })).toBeUndefined();
  });

  it('refuses a sendts of 310 digits (Infinity as a number), as text or as bytes', () => {
    const body = JSON.stringify(
      notificationBody({ eventType: 40, sid: 'S1', sequence: 1 }),
    ).replace(/"sendts":\d+/, `"sendts":"1${'0'.repeat(309)}"`);
    for (const form of [body, new TextEncoder().encode(body), JSON.parse(body)]) {
      const result = parseNotification(form);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.message).toMatch(/^payload\.sendts: expected a/);
    }
    const huge = notificationBody({ eventType: 40, sendts: 1e22 });
    expect(parseNotification(huge).ok).toBe(false);
  });

  it('refuses a sequence that is not a safe integer', () => {
    for (const sequence of [1e308, 2 ** 53, '1e308', `1${'0'.repeat(20)}`]) {
      const body = notificationBody({ eventType: 40, sequence });
      const result = parseNotification(body);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.message).toMatch(/^payload\.sequence: /);
    }
  });

  it('turns an out-of-range time into a rejected decision, never a state change', () => {
    let state = createCore();
    for (const input of [start(0), started(1, 'S1')]) ({ state } = step(state, input));
    const before = JSON.stringify(serializeCore(state));
    const { outputs, state: after } = step(state, { at: 1e22, type: 'tick' });
    expect(outputs).toMatchObject([{ kind: 'decision', decision: 'rejected' }]);
    const { position: _p, ...rest } = serializeCore(after);
    const { position: _q, ...was } = JSON.parse(before);
    expect(JSON.parse(JSON.stringify(rest))).toEqual(was);
  });
});

describe('values that cannot be serialized are refused on receipt', () => {
  it('steps a body with a cycle or a BigInt as a reject; the state still serializes', () => {
    let state = createCore();
    for (const input of [start(0), started(1, 'S1')]) ({ state } = step(state, input));
    const cyclic: Record<string, unknown> = notificationBody({ eventType: 43, sid: 'S1' });
    (cyclic.payload as Record<string, unknown>).details = { self: cyclic };
    const big = notificationBody({ eventType: 43, sid: 'S1', details: { n: 10n } });
    for (const body of [cyclic, big]) {
      const result = step(state, { at: at(2), type: 'notification', body });
      expect(result.outputs).toMatchObject([{ decision: 'rejected' }]);
      state = result.state;
    }
    expect(() => JSON.stringify(serializeCore(state))).not.toThrow();
  });
});

describe('rejects cost about what reading the input does', () => {
  it('reads a list of 10,000 nameless entries as no files, with no issue built per entry', () => {
    const fileList = Array.from({ length: 10_000 }, () => ({}));
    const body = notificationBody({ eventType: 31, details: { status: 0, fileList } });
    const result = parseNotification(body);
    // The files are news for the host; the quit they come with must still be read (issue 9).
    expect(result.ok && result.value.known && result.value.eventType === 31).toBe(true);
    expect(
      result.ok &&
        result.value.known &&
        result.value.eventType === 31 &&
        result.value.details.fileList,
    ).toEqual([]);
  });

  it('reads every named entry of a list and skips an odd one deep in it', () => {
    const good = Array.from({ length: 100 }, (_, i) => ({ fileName: `f${i}.ts` }));
    const ok = parseNotification(notificationBody({ eventType: 31, details: { fileList: good } }));
    expect(
      ok.ok && ok.value.known && ok.value.eventType === 31 && ok.value.details.fileList,
    ).toHaveLength(100);
    const odd = [...good, { fileName: 7 }, { filename: 'web.mp4' }];
    const result = parseNotification(
      notificationBody({ eventType: 31, details: { fileList: odd } }),
    );
    const names =
      result.ok && result.value.known && result.value.eventType === 31
        ? result.value.details.fileList?.map((file) => file.fileName)
        : [];
    expect(names).toHaveLength(101);
    expect(names?.at(-1)).toBe('web.mp4');
  });
});

describe('text edge cases', () => {
  it('reads a string body with a BOM as the same bytes in a Buffer are read', () => {
    const text = `\ufeff${JSON.stringify(notificationBody({ eventType: 40, sid: 'S1', sequence: 2 }))}`;
    const fromString = parseNotification(text);
    const fromBytes = parseNotification(Buffer.from(text, 'utf8'));
    expect(fromBytes.ok).toBe(true);
    expect(fromString).toEqual(fromBytes);
  });
});

describe('jsonShapeProblem', () => {
  it('finds nothing wrong in any JSON value, nor in shared (not cyclic) references', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => jsonShapeProblem(value) === undefined));
    const shared = { id: 'x' };
    expect(jsonShapeProblem({ a: shared, b: [shared, shared] })).toBeUndefined();
  });

  it('names the first cycle, a BigInt and excessive depth with their paths', () => {
    const root: Record<string, unknown> = { list: [{ ok: 1 }] };
    (root.list as unknown[]).push({ back: root });
    expect(jsonShapeProblem(root)).toEqual({
      path: 'list[1].back',
      problem: 'a cycle (the value contains itself)',
    });
    expect(jsonShapeProblem([{ n: 1n }])).toEqual({
      path: '[0].n',
      problem: 'a BigInt is not JSON',
    });
    let deep: unknown = 1;
    for (let i = 0; i < 64; i += 1) deep = [deep];
    expect(jsonShapeProblem(deep)).toBeUndefined();
    expect(jsonShapeProblem([deep])?.problem).toBe('nested deeper than 64 levels');
  });

  it('stops on shared references that JSON would write out exponentially', () => {
    let value: unknown = {};
    for (let i = 0; i < 40; i += 1) value = [value, value];
    expect(jsonShapeProblem(value)?.problem).toBe('more than 1000000 objects and arrays');
  });
});
