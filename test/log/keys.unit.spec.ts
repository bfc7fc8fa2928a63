import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LogItem } from '../../src/index.js';
import { idempotencyKeys } from '../../src/log/index.js';
import { legacyNotificationBody, notificationBody } from '../fixtures/agora.js';
import { notification, query, rawNotification, reject, stop, tick } from './items.js';

describe('idempotencyKeys', () => {
  it('keys a notification by sid, recorder uid, eventType and sequence, and by sid and noticeId', () => {
    const item = notification(9, {
      eventType: 40,
      sid: 'S1',
      uid: '1001',
      sequence: 3,
      noticeId: 'n-1',
    });
    expect(idempotencyKeys(item)).toEqual(['notification["S1","1001",40,3]', 'notice["S1","n-1"]']);
  });

  it('gives two recorders of one sid that send the same eventType and sequence distinct keys (rule 8)', () => {
    // After a failover the new recorder may count `sequence` from 0 again.
    const before = notification(9, { eventType: 43, sid: 'S1', uid: '1001', sequence: 0 });
    const after = notification(9, { eventType: 43, sid: 'S1', uid: '2002', sequence: 0 });
    const keysOfBefore = idempotencyKeys(before);
    expect(idempotencyKeys(after).filter((key) => keysOfBefore.includes(key))).toEqual([]);
  });

  it('gives one noticeId on two sids distinct keys, as dedupe remembers noticeIds per sid', () => {
    const a = notification(9, { eventType: 40, sid: 'S1', sequence: 3, noticeId: 'n-1' });
    const b = notification(9, { eventType: 31, sid: 'S2', sequence: 7, noticeId: 'n-1' });
    const keysOfA = idempotencyKeys(a);
    expect(idempotencyKeys(b).filter((key) => keysOfA.includes(key))).toEqual([]);
  });

  it('keys a notification the same whatever its envelope or form (object, text, bytes)', () => {
    const options = {
      eventType: 12,
      sid: 'S1',
      uid: '77',
      sequence: 4,
      noticeId: 'n-4',
      sendts: 5,
    };
    const body = notificationBody(options);
    const text = JSON.stringify(body);
    const forms = [body, legacyNotificationBody(options), text, new TextEncoder().encode(text)].map(
      (form, index) => idempotencyKeys(rawNotification(index, form)),
    );
    const expected = ['notification["S1","77",12,4]', 'notice["S1","n-4"]'];
    expect(forms).toEqual([expected, expected, expected, expected]);
  });

  it('keys a query by recording, sid, time and what it answered', () => {
    const [key] = idempotencyKeys(query(5000, 'r1', 'S1'));
    expect(key).toMatch(/^query\["r1","S1",5000,"[\w-]{43}"\]$/);
    expect(idempotencyKeys(query(5000, 'r1', 'S1'))).toEqual([key]);
    expect(idempotencyKeys(query(5001, 'r1', 'S1'))).not.toEqual([key]);
  });

  it('gives two different query answers in the same millisecond two keys', () => {
    const answer = (httpStatus: number, body: unknown): LogItem => ({
      kind: 'input',
      at: 5000,
      record: { at: 5000, type: 'query', recording: 'r1', sid: 'S1', httpStatus, body },
    });
    const alive = idempotencyKeys(answer(200, { serverResponse: { status: 5 } }));
    const busy = idempotencyKeys(answer(503, { message: 'busy' }));
    expect(alive).not.toEqual(busy);
    expect(idempotencyKeys(answer(503, { message: 'busy' }))).toEqual(busy);
  });

  it('keys other commands by type, recording, time and content, and a tick by its time', () => {
    expect(idempotencyKeys(stop(7, 'r2'))[0]).toMatch(/^stop\["r2",7,"[\w-]{43}"\]$/);
    const start = (uid: string): LogItem => ({
      kind: 'input',
      at: 7,
      record: { at: 7, type: 'start', recording: 'r2', cname: 'c', uid, mode: 'mix' },
    });
    expect(idempotencyKeys(start('1'))[0]).toMatch(/^start\["r2",7,"[\w-]{43}"\]$/);
    expect(idempotencyKeys(start('1'))).toEqual(idempotencyKeys(start('1')));
    expect(idempotencyKeys(start('1'))).not.toEqual(idempotencyKeys(start('2')));
    expect(idempotencyKeys(tick(7))).toEqual(['tick[7]']);
  });

  it('gives no global key to an empty noticeId: different notifications share no key', () => {
    const a = notification(9, { eventType: 40, sid: 'S1', sequence: 3, noticeId: '' });
    const b = notification(9, { eventType: 31, sid: 'S2', sequence: 7, noticeId: '' });
    const keysOfA = idempotencyKeys(a);
    expect(keysOfA).not.toContain('notice[""]');
    expect(idempotencyKeys(b).filter((key) => keysOfA.includes(key))).toEqual([]);
    expect(idempotencyKeys(a)).toEqual(keysOfA);
  });

  it('keys a reject by its raw value, not by when it was received', () => {
    const [key] = idempotencyKeys(reject(1, { type: 'teleport' }, 'one reason'));
    expect(key).toMatch(/^reject\[[\w-]{43}\]$/);
    expect(idempotencyKeys(reject(1, { type: 'teleport' }, 'another reason'))).toEqual([key]);
    expect(idempotencyKeys(reject(2, { type: 'teleport' }))).toEqual([key]);
    expect(idempotencyKeys(reject(1, { type: 'teleport!' }))).not.toEqual([key]);
  });

  it('keys a rejected webhook body by the body, not the receive time it was stamped with', () => {
    const wrapped = (at: number, body: unknown) => reject(at, { at, type: 'notification', body });
    const [key] = idempotencyKeys(wrapped(1000, { noticeId: 'x', payload: 'junk' }));
    expect(idempotencyKeys(wrapped(61_000, { noticeId: 'x', payload: 'junk' }))).toEqual([key]);
    expect(idempotencyKeys(wrapped(1000, { noticeId: 'y', payload: 'junk' }))).not.toEqual([key]);
    // A time that is not one is part of what was refused: it stays in the key.
    expect(idempotencyKeys(reject(5, { at: -1, type: 'notification', body: 'b' }))).not.toEqual(
      idempotencyKeys(reject(5, { at: -2, type: 'notification', body: 'b' })),
    );
  });

  it('tells raw bytes from the same text', () => {
    const text = 'AQID';
    expect(idempotencyKeys(reject(1, text))).not.toEqual(
      idempotencyKeys(reject(1, new Uint8Array([1, 2, 3]))),
    );
  });

  it('gives distinct queries distinct keys, whatever characters their ids hold', () => {
    const ids = fc.tuple(fc.string(), fc.string(), fc.nat());
    fc.assert(
      fc.property(ids, ids, ([r1, s1, at1], [r2, s2, at2]) => {
        const same = r1 === r2 && s1 === s2 && at1 === at2;
        const [a] = idempotencyKeys(query(at1, r1, s1));
        const [b] = idempotencyKeys(query(at2, r2, s2));
        expect(a === b).toBe(same);
      }),
    );
  });
});
