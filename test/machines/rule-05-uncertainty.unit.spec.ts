import { describe, expect, it } from 'vitest';
import type { RecordingEvent } from '../../machines/index.js';
import {
  alive,
  at,
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

  it('does not let 50x during start hide the 90 s start deadline', () => {
    const s = new Recording({ restartBudget: 0 });
    s.send(start(0), started(1), queryFails(6, 'serverError'), queryFails(11, 'serverError'));
    expect(s.value).toEqual({ starting: 'uncertain' });
    s.send(tick(91));
    expect(s.context.quitReason).toBe('notStarted');
  });
});
