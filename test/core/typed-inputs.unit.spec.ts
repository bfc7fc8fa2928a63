// The host's entry points are typed: a record with a misspelt type or field does not compile
// (`npm run typecheck` fails on an unused @ts-expect-error), and still gets a recorded reject
// at run time. Values nobody checked go through the explicit `…Untrusted` entries.
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  createCore,
  createMemoryLog,
  Journal,
  replay,
  replayUntrusted,
  step,
  stepUntrusted,
  type TraceRecord,
  type TraceRecordType,
} from '../../src/index.js';

const T0 = 1_700_000_000_000;

describe('typed entry points for the records a host builds', () => {
  it('refuses a misspelt record at compile time in step, replay and Journal.receive', async () => {
    // @ts-expect-error 'strat' is no record type, 'recordin' no field
    const stepped = step(createCore(), { at: T0, type: 'strat', recordin: 'r1' });
    expect(stepped.outputs).toMatchObject([{ kind: 'decision', decision: 'rejected' }]);

    // @ts-expect-error a start needs recording, cname, uid and mode
    const replayed = replay([{ at: T0, type: 'start', recording: 'r1' }]);
    expect(replayed.state.recordings.size).toBe(0);

    const journal = await Journal.open(createMemoryLog());
    const start = { at: T0, type: 'start', recording: 'r1', cname: 'c', uid: '1' } as const;
    // A mode recwatch does not know yet is kept (docs/lifecycle.md), so any text types; one that
    // is no mode name is refused when received.
    const received = await journal.receive({ ...start, mode: 'mixed up' });
    expect(received.outputs).toMatchObject([{ decision: 'rejected' }]);
    await journal.close();
  });

  it('completes every record type, commands, results, notifications and ticks', () => {
    expectTypeOf<TraceRecordType>().toEqualTypeOf<
      | 'start'
      | 'started'
      | 'startFailed'
      | 'query'
      | 'stopResult'
      | 'notification'
      | 'tick'
      | 'startSent'
      | 'resumed'
      | 'options'
      | 'stop'
    >();
    expectTypeOf(step).parameter(1).toEqualTypeOf<TraceRecord>();
    expectTypeOf(Journal.prototype.receive).parameter(0).toEqualTypeOf<TraceRecord>();
  });

  it('takes anything through the untrusted entries, deciding what does not validate', () => {
    expectTypeOf(stepUntrusted).parameter(1).toEqualTypeOf<unknown>();
    expectTypeOf(replayUntrusted).parameter(0).toEqualTypeOf<Iterable<unknown>>();
    const raw: unknown = JSON.parse('{"at": 5, "type": "strat"}');
    expect(stepUntrusted(createCore(), raw).outputs).toMatchObject([
      { decision: 'rejected', reason: expect.stringMatching(/^type: /) },
    ]);
    const typed: TraceRecord = { at: T0, type: 'stop', recording: 'r1' };
    const both = [typed, raw];
    expect(replayUntrusted(both).state.position).toBe(2);
  });
});
