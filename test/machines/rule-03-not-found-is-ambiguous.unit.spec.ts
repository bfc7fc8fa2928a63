import { describe, expect, it } from 'vitest';
import { alive, at, notify, queryFails, recordingAlive, session, tick, wakeAt } from './drive.js';

describe('rule 3: a 404 is ambiguous', () => {
  it('probes after a 404 in recording: queries again after 5, 10, 15, 30, 35 s (95 s in all)', () => {
    const r = recordingAlive({ restartBudget: 0 });
    const waits: number[] = [];
    let now = 66;
    for (let i = 0; i < 5; i += 1) {
      const wake = wakeAt(r.send(queryFails(now, 'notFound'))) ?? 0;
      expect(r.value).toEqual({ recording: 'probing' });
      waits.push((wake - at(now)) / 1000);
      now = (wake - at(0)) / 1000;
      r.send(tick(now));
    }
    expect(waits).toEqual([5, 10, 15, 30, 35]);
    expect(now).toBe(66 + 95);
    expect(r.state).toBe('recording');
    r.send(queryFails(now, 'notFound'));
    expect(r.context.quitReason).toBe('lost');
  });

  it('does not give up on a server lost for 90 s that answers 404 meanwhile', () => {
    const r = recordingAlive();
    for (const s of [66, 71, 81, 96, 126]) r.send(queryFails(s, 'notFound'));
    r.send(alive(161, 5));
    expect(r.value).toEqual({ recording: 'healthy' });
    expect(r.events('quit')).toEqual([]);
  });

  it('returns to recording on a 200 with 4 or 5 during probing', () => {
    const r = recordingAlive();
    r.send(queryFails(66, 'notFound'), tick(71), alive(71, 5));
    expect(r.value).toEqual({ recording: 'healthy' });
    expect(r.context.monitoring.backoff).toBeNull();
  });

  it('quits as lost when probing runs out with no failover evidence', () => {
    const r = recordingAlive({ restartBudget: 0 });
    for (const s of [66, 71, 81, 96, 126]) r.send(queryFails(s, 'notFound'));
    expect(r.state).toBe('recording');
    r.send(queryFails(161, 'notFound'));
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

  // With Agora's page steps (5, 10, 15 s), probing runs out inside the failover window.
  const agoraSteps = { restartBudget: 0, notFoundBackoffMs: [5_000, 10_000, 15_000] };

  it('waits out a possible failover when probing runs out after an ambiguous leave', () => {
    const r = recordingAlive(agoraSteps);
    r.send(notify(60, 41, { leaveCode: 2 }));
    r.send(queryFails(61, 'notFound'), queryFails(66, 'notFound'), queryFails(76, 'notFound'));
    r.send(queryFails(91, 'notFound'));
    expect(r.state).toBe('failoverPending');
    expect(r.session.haAttempts).toBe(0);
    r.send(notify(100, 40, { uid: '3003' }));
    expect(r.state).toBe('recording');
  });

  it('concludes lost if the hint is older than the failover window', () => {
    const r = recordingAlive(agoraSteps);
    r.send(notify(10, 41, { leaveCode: 2 }), alive(11, 5));
    r.send(queryFails(200, 'notFound'), queryFails(205, 'notFound'), queryFails(215, 'notFound'));
    r.send(queryFails(230, 'notFound'));
    expect(r.context.quitReason).toBe('lost');
  });

  it('waits out a possible failover when a hint comes while the default probing runs', () => {
    const r = recordingAlive({ restartBudget: 0 });
    for (const s of [66, 71, 81, 96, 126]) r.send(queryFails(s, 'notFound'));
    r.send(notify(130, 1, { errorLevel: 5 }));
    r.send(queryFails(161, 'notFound'));
    expect(r.value).toEqual({ failoverPending: 'suspected' });
    expect(r.context.deadlines.failoverBy).toBe(at(130 + 90));
  });
});
