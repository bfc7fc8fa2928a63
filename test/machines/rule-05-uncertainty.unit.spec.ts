import { describe, expect, it } from 'vitest';
import type { CallResult, RecordingEvent } from '../../machines/index.js';
import { classifyCall } from '../../src/signals/index.js';
import {
  alive,
  at,
  notify,
  queryFails,
  Recording,
  recordingAlive,
  start,
  started,
  tick,
  wakeAt,
} from './drive.js';

const wakeAfter = (r: Recording, event: RecordingEvent) => wakeAt(r.send(event));

describe('rule 5: 50x, 206 and 429 never change the lifecycle', () => {
  it('backs off 5, 10, 15, 30, 30 s on 50x and stays recording, uncertain', () => {
    const r = recordingAlive();
    const waits: number[] = [];
    let now = 66;
    for (let i = 0; i < 5; i += 1) {
      const wake = wakeAfter(r, queryFails(now, 'serverError'));
      waits.push(((wake ?? 0) - at(now)) / 1000);
      now = ((wake ?? 0) - at(0)) / 1000;
      r.send(tick(now));
    }
    expect(waits).toEqual([5, 10, 15, 30, 30]);
    expect(r.value).toEqual({ recording: 'uncertain' });
    expect(r.context.monitoring.uncertainSince).toBe(at(66));
    expect(r.events('uncertain')).toEqual([
      { kind: 'event', recording: 'r1', type: 'uncertain', since: at(66) },
    ]);
  });

  it('treats no response like a 50x', () => {
    const r = recordingAlive();
    r.send({
      type: 'query',
      at: at(66),
      sid: 'S1',
      outcome: { kind: 'serverError', httpStatus: null },
    });
    expect(r.value).toEqual({ recording: 'uncertain' });
  });

  it('backs off 3, 6 s on 206 and 10, 20, 40 s on 429', () => {
    const r = recordingAlive();
    expect(wakeAfter(r, queryFails(66, 'transient'))).toBe(at(69));
    expect(wakeAfter(r, queryFails(69, 'transient'))).toBe(at(75));
    expect(wakeAfter(r, queryFails(75, 'rateLimited'))).toBe(at(85));
    expect(wakeAfter(r, queryFails(85, 'rateLimited'))).toBe(at(105));
    expect(wakeAfter(r, queryFails(105, 'rateLimited'))).toBe(at(145));
    expect(r.state).toBe('recording');
  });

  it('is sure again after a 200, and polls at the normal interval', () => {
    const r = recordingAlive();
    r.send(queryFails(66, 'serverError'));
    expect(wakeAfter(r, alive(71, 5))).toBe(at(131));
    expect(r.value).toEqual({ recording: 'healthy' });
    expect(r.context.monitoring.uncertainSince).toBeNull();
  });

  it('does not let 50x during start hide the 90 s start deadline once Agora has answered', () => {
    const s = new Recording({ restartBudget: 0 });
    s.send(start(0), started(1), alive(6, 2));
    s.send(queryFails(16, 'serverError'), queryFails(21, 'serverError'));
    expect(s.value).toEqual({ starting: 'uncertain' });
    s.send(tick(91));
    expect(s.context.quitReason).toBe('notStarted');
  });
});

describe("rule 5: the App ID's concurrent-task quota (400 code 406) is a quota answer like 429", () => {
  const quota = (s: number): RecordingEvent => ({
    type: 'startFailed',
    at: at(s),
    outcome: classifyCall(400, { code: 406, reason: 'vendor_over_load' }) as CallResult,
  });

  it('retries the start after 15, 30, 60, 120 s, then quits notStarted (a failed start)', () => {
    const r = new Recording({ restartBudget: 0 });
    r.send(start(0));
    const waits: number[] = [];
    let now = 1;
    for (let i = 0; i < 4; i += 1) {
      const wake = wakeAfter(r, quota(now)) ?? 0;
      expect(r.state).toBe('starting');
      waits.push((wake - at(now)) / 1000);
      now = (wake - at(0)) / 1000;
      expect(r.send(tick(now))).toContainEqual(
        expect.objectContaining({ type: 'acquireAndStart', uid: '1001', retry: i + 1 }),
      );
      now += 1;
    }
    expect(waits).toEqual([15, 30, 60, 120]);
    r.send(quota(now));
    expect(r.state).toBe('quit');
    expect(r.context.quitReason).toBe('notStarted');
    expect(r.context.attempt?.failed).toBe(true);
  });

  it('restarts with the other uid when the quota still refuses (rule 7)', () => {
    const r = new Recording({ startRetryQuotaMs: [] });
    r.send(start(0), quota(1));
    expect(r.state).toBe('restarting');
    expect(r.effects('acquireAndStart').at(-1)).toMatchObject({ uid: '1002' });
  });

  it('retries a restart refused by the quota too', () => {
    const r = recordingAlive();
    r.send(notify(30, 11, { exitStatus: 1 }));
    expect(r.state).toBe('restarting');
    expect(wakeAfter(r, quota(31))).toBe(at(46));
    expect(r.state).toBe('restarting');
  });

  it('is not cut short by the start deadline while it waits', () => {
    const r = new Recording({ restartBudget: 0 });
    r.send(start(0), quota(1), tick(16), quota(17), tick(47), quota(48));
    r.send(tick(100));
    expect(r.state).toBe('starting');
    expect(r.send(tick(108))).toContainEqual(expect.objectContaining({ type: 'acquireAndStart' }));
  });

  it('keeps 400 code 405 (no_active_status: the account cannot record) a configuration error', () => {
    const r = new Recording();
    r.send(start(0), {
      type: 'startFailed',
      at: at(1),
      outcome: classifyCall(400, { code: 405, reason: 'no_active_status' }) as CallResult,
    });
    expect(r.state).toBe('failed');
    expect(r.context.quitReason).toBe('configuration');
  });
});
