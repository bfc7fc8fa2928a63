import { describe, expect, it } from 'vitest';
import { InvalidTimeError } from '../../src/index.js';
import { toLogItem } from '../../src/log/index.js';
import { notificationBody } from '../fixtures/agora.js';

describe('toLogItem', () => {
  it('makes a valid input an input item at its own time, its record validated', () => {
    const raw = { at: 5, type: 'start', recording: 'r1', cname: 'c', uid: 1001, mode: 'mix', x: 1 };
    expect(toLogItem(raw, 9)).toEqual({
      kind: 'input',
      at: 5,
      record: { at: 5, type: 'start', recording: 'r1', cname: 'c', uid: '1001', mode: 'mix' },
    });
  });

  it('keeps a notification body untouched', () => {
    const text = JSON.stringify(notificationBody({ eventType: 40 }));
    const item = toLogItem({ at: 5, type: 'notification', body: text }, 9);
    expect(item).toEqual({
      kind: 'input',
      at: 5,
      record: { at: 5, type: 'notification', body: text },
    });
  });

  it('makes an invalid input a reject at the time received, with the reason and the raw value', () => {
    const raw = { type: 'tick' };
    expect(toLogItem(raw, 9)).toEqual({
      kind: 'reject',
      at: 9,
      reason: expect.stringMatching(/^at:/),
      raw,
    });
  });

  it('rejects a notification whose body does not parse, keeping the whole input', () => {
    const raw = { at: 5, type: 'notification', body: '{"eventType":' };
    expect(toLogItem(raw, 9)).toMatchObject({
      kind: 'reject',
      reason: expect.stringMatching(/^body/),
      raw,
    });
  });

  it('keeps a value JSON cannot hold as its inspection, never dropping it', () => {
    const item = toLogItem({ at: 10n }, 9);
    expect(item).toMatchObject({ kind: 'reject', raw: '{ at: 10n }' });
    expect(item.kind === 'reject' && item.reason).toMatch(/raw value kept as text/);
  });

  it('rejects an input whose body JSON cannot hold', () => {
    const body: Record<string, unknown> = notificationBody({ eventType: 40 });
    body.loop = body;
    const item = toLogItem({ at: 5, type: 'notification', body }, 9);
    expect(item).toMatchObject({
      kind: 'reject',
      at: 9,
      reason: expect.stringMatching(/^body\.loop: a cycle/),
    });
  });

  it('rejects on receipt what would break serialization later: deep nesting, BigInt', () => {
    let details: Record<string, unknown> = {};
    for (let i = 0; i < 4_100; i += 1) details = { x: details };
    const deep = notificationBody({ eventType: 43, details });
    for (const body of [deep, JSON.stringify(deep)]) {
      const item = toLogItem({ at: 5, type: 'notification', body }, 9);
      expect(item).toMatchObject({
        kind: 'reject',
        reason: expect.stringMatching(/nested deeper than 64 levels/),
      });
    }
    const big = notificationBody({ eventType: 43, details: { bytes: 10n } });
    expect(toLogItem({ at: 5, type: 'notification', body: big }, 9)).toMatchObject({
      kind: 'reject',
      reason: 'body.payload.details.bytes: a BigInt is not JSON (raw value kept as text)',
    });
  });

  it('refuses a receive time that is not one, with a typed error', () => {
    for (const receivedAt of [Number.NaN, -1, 1.5, 1e22, 8_640_000_000_000_001, Infinity]) {
      expect(() => toLogItem({ at: 1, type: 'tick' }, receivedAt)).toThrow(InvalidTimeError);
    }
  });
});
