// A receive says what it appended, so a host (an inspector's live feed) needs no internal helper
// to know what the log holds for it.
import { describe, expect, it } from 'vitest';
import { createMemoryLog, Journal } from '../../src/index.js';

const T0 = 1_700_000_000_000;

describe('Journal receive results', () => {
  it('carry the item appended: the input as logged, or the reject with its reason', async () => {
    const log = createMemoryLog();
    const journal = await Journal.open(log);
    const input = await journal.receive({ at: T0, type: 'tick' });
    expect(input.item).toEqual({ kind: 'input', at: T0, record: { at: T0, type: 'tick' } });
    const reject = await journal.receiveUntrusted('{"not": "a record"}', T0 + 5);
    expect(reject.item).toMatchObject({ kind: 'reject', at: T0 + 5, raw: '{"not": "a record"}' });
    const again = await journal.receive({ at: T0, type: 'tick' });
    expect(again).toMatchObject({ repeated: true, position: 1, outputs: [] });
    expect(again.item).toEqual(input.item);
    const logged = (await log.readAll()).map((entry) => entry.item);
    expect(logged).toEqual([input.item, reject.item]);
    await journal.close();
  });
});
