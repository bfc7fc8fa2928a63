import { describe, expect, it } from 'vitest';
import { normalizeInput, parseTraceRecord } from '../../src/signals/index.js';
import { recordSchema } from '../../src/signals/input.js';
import { notificationBody, queryBody, SID } from '../fixtures/agora.js';

describe('normalizeInput', () => {
  it('passes commands through', () => {
    const start = { at: 1, type: 'start', recording: 'r1', cname: 'room1', uid: 1001, mode: 'mix' };
    expect(normalizeInput(start)).toEqual({ ok: true, value: { ...start, uid: '1001' } });
  });

  it('classifies a query result', () => {
    const query = {
      at: 5,
      type: 'query',
      recording: 'r1',
      sid: SID,
      httpStatus: 200,
      body: queryBody(5),
    };
    expect(normalizeInput(query)).toMatchObject({
      ok: true,
      value: { type: 'query', sid: SID, outcome: { kind: 'alive', status: 5 } },
    });
  });

  it('reads a query with no response as a serverError', () => {
    const query = { at: 5, type: 'query', recording: 'r1', sid: SID, httpStatus: null, body: null };
    expect(normalizeInput(query)).toMatchObject({
      ok: true,
      value: { outcome: { kind: 'serverError' } },
    });
  });

  it('parses a notification body', () => {
    const input = {
      at: 9,
      type: 'notification',
      body: notificationBody({ eventType: 40, sequence: 2 }),
    };
    expect(normalizeInput(input)).toMatchObject({
      ok: true,
      value: { at: 9, type: 'notification', notification: { eventType: 40, sequence: 2 } },
    });
  });

  it('ignores unknown fields', () => {
    expect(normalizeInput({ at: 3, type: 'tick', note: 'x' })).toEqual({
      ok: true,
      value: { at: 3, type: 'tick' },
    });
  });

  it.each([
    [{ type: 'tick' }, 'at'],
    [{ at: -1, type: 'tick' }, 'at'],
    [{ at: 1, type: 'teleport' }, 'type'],
    [{ at: 1, type: 'start', recording: 'r1', cname: 'c', uid: '1', mode: 'holo/gram' }, 'mode'],
    [{ at: 1, type: 'notification', body: { eventType: 40 } }, 'body.payload'],
    [{ at: 1, type: 'startFailed', recording: 'r1', httpStatus: 200, body: {} }, 'httpStatus'],
    // An HTTP status is a whole number 100..599 (or null: no response), nothing else.
    [
      { at: 1, type: 'query', recording: 'r1', sid: 'S1', httpStatus: 99999, body: {} },
      'httpStatus',
    ],
    [{ at: 1, type: 'stopResult', recording: 'r1', httpStatus: 1.5, body: {} }, 'httpStatus'],
    [{ at: 1, type: 'startFailed', recording: 'r1', httpStatus: -5, body: {} }, 'httpStatus'],
    [{ at: 1, type: 'query', recording: 'r1', sid: 'S1', httpStatus: 99, body: {} }, 'httpStatus'],
    [null, '(root)'],
  ])('rejects %j at %s', (raw, path) => {
    const result = normalizeInput(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.issues.map((issue) => issue.path)).toContain(path);
  });
});

describe('modes: raw (Individual Recording v2) and modes recwatch does not know yet', () => {
  const start = (mode: unknown) => ({
    at: 1,
    type: 'start',
    recording: 'r1',
    cname: 'room1',
    uid: '1001',
    mode,
  });

  it.each(['raw', 'mix', 'individual', 'web', 'hologram'])('accepts and keeps mode %s', (mode) => {
    expect(parseTraceRecord(start(mode))).toEqual({ ok: true, value: start(mode) });
    // The schema's path (a numeric uid is not the canonical shape) keeps it too.
    expect(parseTraceRecord({ ...start(mode), uid: 1001 })).toMatchObject({
      ok: true,
      value: { mode },
    });
  });

  it.each(['', 'mix/../../acquire', 'a b', 7])(
    'refuses %j, which cannot be a mode name',
    (mode) => {
      const result = parseTraceRecord(start(mode));
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.issues.map((issue) => issue.path)).toContain('mode');
    },
  );
});

describe('sentAt: when a call was sent (rule 9)', () => {
  const query = {
    at: 100,
    type: 'query',
    recording: 'r1',
    sid: 'S1',
    httpStatus: 404,
    body: { code: 404 },
  };

  it.each([
    ['query', query],
    [
      'started',
      { at: 100, type: 'started', recording: 'r1', resourceId: 'R', sid: 'S1', uid: '1' },
    ],
    ['startFailed', { at: 100, type: 'startFailed', recording: 'r1', httpStatus: 503, body: {} }],
    ['stopResult', { at: 100, type: 'stopResult', recording: 'r1', httpStatus: 200, body: {} }],
  ])('is kept on a %s record, on both readers', (_type, record) => {
    expect(parseTraceRecord({ ...record, sentAt: 95 })).toEqual({
      ok: true,
      value: { ...record, sentAt: 95 },
    });
    // The schema (the liberal reader behind the fast one) keeps it alike.
    expect(recordSchema.parse({ ...record, sentAt: 95 })).toEqual({ ...record, sentAt: 95 });
  });

  it('reaches the query signal', () => {
    expect(normalizeInput({ ...query, sentAt: 95 })).toMatchObject({
      ok: true,
      value: { type: 'query', sentAt: 95, at: 100 },
    });
  });

  it('reads a sentAt after the answer arrived (a clock that stepped back) as the answer time', () => {
    expect(parseTraceRecord({ ...query, sentAt: 101 })).toMatchObject({
      ok: true,
      value: { sentAt: 101 },
    });
    expect(normalizeInput({ ...query, sentAt: 101 })).toMatchObject({
      ok: true,
      value: { type: 'query', sentAt: 100, at: 100 },
    });
  });

  it.each([
    ['not a time', 'soon'],
    ['a fraction', 95.5],
    ['negative', -1],
  ])('is refused when %s', (_why, sentAt) => {
    const result = parseTraceRecord({ ...query, sentAt });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.issues.map((issue) => issue.path)).toContain('sentAt');
  });
});
