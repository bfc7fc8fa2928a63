import { describe, expect, it } from 'vitest';
import { streamOf } from '../../src/log/index.js';
import { notification, query, rawNotification, reject, stop, tick } from './items.js';

describe('streamOf', () => {
  it('puts records that name a recording in its stream', () => {
    expect(streamOf(stop(1, 'r7'))).toBe('recording-r7');
    expect(streamOf(query(1, 'r7', 'S1'))).toBe('recording-r7');
  });

  it('puts a notification in the stream of its sid', () => {
    expect(streamOf(notification(1, { eventType: 40, sid: 'S9' }))).toBe('sid-S9');
  });

  it('puts ticks in the clock stream and rejects in the rejects stream', () => {
    expect(streamOf(tick(1))).toBe('clock');
    expect(streamOf(reject(1, 'garbage'))).toBe('rejects');
  });

  it('puts a notification whose body cannot be read with the rejects', () => {
    expect(streamOf(rawNotification(1, 'not json'))).toBe('rejects');
  });
});
