import { describe, expect, it } from 'vitest';
import {
  at,
  notify,
  Recording,
  recordingAlive,
  resumed,
  SID,
  start,
  started,
  startSent,
  stop,
  tick,
} from './drive.js';

describe('rule 12: recovery is an input (what `resumed` decides)', () => {
  it('re-queries a live recording whose last answer is older than the poll interval', () => {
    const r = recordingAlive();
    const outputs = r.send(resumed(600));
    expect(outputs).toContainEqual(
      expect.objectContaining({ type: 'query', sid: SID, priority: 'urgent' }),
    );
  });

  it('does not re-query a recording it heard from within the poll interval', () => {
    const r = recordingAlive();
    const last = r.context.lastQuery?.at ?? 0;
    const outputs = r.send({ type: 'resumed', at: last + 1_000 });
    expect(outputs.filter((o) => o.kind === 'effect' && o.type === 'query')).toEqual([]);
  });

  it('holds a verdict that fell due while the process was down until Agora was asked', () => {
    const r = new Recording();
    r.send(start(0), startSent(0.5), started(1));
    // The start deadline (91 s) passed while the host was down: a query first, the verdict later.
    r.send(resumed(200));
    expect(r.state).toBe('starting');
    expect(r.context.deadlines.startBy).toBe(at(230));
    expect(r.effects('query')).toHaveLength(1);
    r.send(tick(200));
    expect(r.state).toBe('starting');
  });

  it('re-sends the stop of a recording stopping when the process died', () => {
    const r = recordingAlive();
    r.send(stop(100));
    expect(r.effects('stop')).toHaveLength(1);
    r.send(resumed(110));
    expect(r.effects('stop')).toHaveLength(2);
  });

  it('leaves a restart delay and a start retry to their own deadlines', () => {
    const r = recordingAlive();
    r.send(notify(30, 11, { exitStatus: 0 }), started(31, 'S2'), notify(32, 40));
    r.send(notify(40, 11, { exitStatus: 0 }));
    expect(r.value).toEqual({ restarting: 'delay' });
    expect(r.send(resumed(41))).toEqual([]);
  });
});
