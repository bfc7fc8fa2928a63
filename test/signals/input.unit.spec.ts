import { describe, expect, it } from 'vitest';
import { normalizeInput } from '../../src/signals/index.js';
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
    [{ at: 1, type: 'start', recording: 'r1', cname: 'c', uid: '1', mode: 'hologram' }, 'mode'],
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
