import { describe, expect, it } from 'vitest';
import { alive, at, notify, queryFails, recordingAlive, session, tick, wakeAt } from './drive.js';

describe('rule 3: a 404 is ambiguous', () => {
  it('probes after a 404 in recording: queries again after 5, 10, 15 s', () => {
    const r = recordingAlive();
    expect(wakeAt(r.send(queryFails(66, 'notFound')))).toBe(at(71));
    expect(r.value).toEqual({ recording: 'probing' });
    r.send(tick(71));
    expect(wakeAt(r.send(queryFails(71, 'notFound')))).toBe(at(81));
    r.send(tick(81));
    expect(wakeAt(r.send(queryFails(81, 'notFound')))).toBe(at(96));
    expect(r.state).toBe('recording');
  });

  it('returns to recording on a 200 with 4 or 5 during probing', () => {
    const r = recordingAlive();
    r.send(queryFails(66, 'notFound'), tick(71), alive(71, 5));
    expect(r.value).toEqual({ recording: 'healthy' });
    expect(r.context.monitoring.backoff).toBeNull();
  });

  it('quits as lost when probing runs out with no failover evidence', () => {
    const r = recordingAlive({ restartBudget: 0 });
    r.send(queryFails(66, 'notFound'), queryFails(71, 'notFound'), queryFails(81, 'notFound'));
    r.send(queryFails(96, 'notFound'));
    expect(r.state).toBe('quit');
    expect(r.context.quitReason).toBe('lost');
  });

  it('lets the failover deadline govern 404s in failoverPending, not the probing steps', () => {
    const r = recordingAlive({ restartBudget: 0 });
    r.send(notify(60, 12, { newUid: '2002' }));
    for (const s of [75, 80, 90, 100, 120, 140]) r.send(queryFails(s, 'notFound'));
    expect(r.state).toBe('failoverPending');
    r.send(tick(150));
    expect(r.context.quitReason).toBe('failoverTimeout');
  });

  it('queries at once on a fatal error (event 1, errorLevel 5), not on a lesser one', () => {
    const r = recordingAlive();
    expect(r.send(notify(10, 1, { errorLevel: 5 }))).toContainEqual({
      kind: 'effect',
      recording: 'r1',
      type: 'query',
      priority: 'urgent',
      ...session(),
    });
    expect(r.send(notify(11, 1, { errorLevel: 3 })).filter((o) => o.type === 'query')).toEqual([]);
    expect(r.state).toBe('recording');
  });

  it('waits out a possible failover when probing runs out after an ambiguous leave', () => {
    const r = recordingAlive({ restartBudget: 0 });
    r.send(notify(60, 41, { leaveCode: 2 }));
    r.send(queryFails(61, 'notFound'), queryFails(66, 'notFound'), queryFails(76, 'notFound'));
    r.send(queryFails(91, 'notFound'));
    expect(r.state).toBe('failoverPending');
    expect(r.session.haAttempts).toBe(0);
    r.send(notify(100, 40, { uid: '3003' }));
    expect(r.state).toBe('recording');
  });

  it('concludes lost if the hint is older than the failover window', () => {
    const r = recordingAlive({ restartBudget: 0 });
    r.send(notify(10, 41, { leaveCode: 2 }), alive(11, 5));
    r.send(queryFails(200, 'notFound'), queryFails(205, 'notFound'), queryFails(215, 'notFound'));
    r.send(queryFails(230, 'notFound'));
    expect(r.context.quitReason).toBe('lost');
  });
});
