import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors/index.js';
import { decodeItem, encodeItem } from '../../src/log/codec.js';
import { query, rawNotification, reject } from './items.js';

describe('the stored form of items', () => {
  it('reads back what it wrote', () => {
    for (const item of [query(5), reject(6, { a: [1, 'two', null] }), reject(7, 'text')]) {
      expect(decodeItem(encodeItem(item))).toEqual(item);
    }
  });

  it('keeps raw bytes exactly, including a view into a larger buffer', () => {
    const buffer = new Uint8Array([9, 0xff, 0, 0x80, 9]);
    const view = buffer.subarray(1, 4);
    const decoded = decodeItem(encodeItem(rawNotification(1, view)));
    const body = decoded.kind === 'input' && 'body' in decoded.record && decoded.record.body;
    expect(body).toEqual(new Uint8Array([0xff, 0, 0x80]));
    expect(decodeItem(encodeItem(reject(1, Buffer.from([1, 2]))))).toMatchObject({
      raw: new Uint8Array([1, 2]),
    });
  });

  it('refuses a value JSON cannot hold with a TypeError', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => encodeItem(reject(1, cyclic))).toThrow(InvalidArgumentError);
    expect(() => encodeItem(reject(1, 10n))).toThrow(/not storable as JSON/);
  });

  it('refuses text that is not a stored item', () => {
    expect(() => decodeItem('{"kind":"other"}')).toThrow();
    expect(() => decodeItem('{"kind":')).toThrow();
  });
});
