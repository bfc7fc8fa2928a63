import { describe, expect, it } from 'vitest';
import type { RecordingEvent } from '../../machines/index.js';
import {
  at,
  Recording,
  resumed,
  start,
  started,
  startFailed,
  startSent,
  stop,
  tick,
  UID,
} from './drive.js';

const BACKUP = '1002';

/** What the core gives the machine when the start's own notifications name its session. */
const adopted = (s: number): RecordingEvent => ({ ...started(s), adopted: true }) as RecordingEvent;

describe('rule 11: a start whose answer was lost', () => {
  it('answers startSent with the start to send, once the acquire has answered', () => {
    const r = new Recording();
    r.send(start(0));
    expect(r.value).toEqual({ starting: { attempt: { acquiring: 'calling' } } });
    expect(r.send(startSent(1))).toContainEqual({
      kind: 'effect',
      recording: 'r1',
      type: 'start',
      resourceId: 'R-S1',
      cname: 'room1',
      uid: UID,
      mode: 'mix',
      restarts: 0,
      retry: 0,
    });
    expect(r.value).toEqual({ starting: { attempt: 'sent' } });
    expect(r.context.attempt?.resourceId).toBe('R-S1');
  });

  it.each([
    ['no response', null, undefined],
    ['a 504', 504, 62],
    ['206 code 65', 206, 65],
    ['"already running" (400 code 53)', 400, 53],
    ['"already started" (201 code 7)', 201, 7],
  ])(
    'settles a start answered with %s: no start is sent again while it may run',
    (_, status, code) => {
      const r = new Recording();
      r.send(start(0), startSent(1));
      const outputs = r.send(startFailed(2, status, code));
      expect(r.value).toEqual({ starting: { attempt: 'settling' } });
      expect(outputs.filter((o) => o.kind === 'effect' && o.type !== 'wakeAt')).toEqual([]);
      // Within the settle window (30 s) nothing is sent, whatever the start deadline says.
      expect(r.send(tick(20), tick(31))).toEqual([]);
      expect(r.effects('acquireAndStart')).toHaveLength(1);
    },
  );

  it('adopts the session its notifications name, as started would', () => {
    const r = new Recording();
    r.send(start(0), startSent(1), startFailed(11, null));
    const outputs = r.send(adopted(15));
    expect(r.value).toEqual({ starting: 'confirming' });
    expect(r.context.session).toMatchObject({ sid: 'S1', resourceId: 'R-S1', uid: UID });
    expect(outputs).toContainEqual({
      kind: 'event',
      recording: 'r1',
      type: 'adopted',
      sid: 'S1',
      uid: UID,
    });
  });

  it('retries the start with the other uid when the window passes with no sign (rule 7)', () => {
    const r = new Recording();
    r.send(start(0), startSent(1), startFailed(11, null));
    const outputs = r.send(tick(41));
    expect(r.value).toEqual({ starting: { attempt: { acquiring: 'calling' } } });
    expect(outputs).toContainEqual(
      expect.objectContaining({ type: 'acquireAndStart', uid: BACKUP, restarts: 0, retry: 1 }),
    );
    expect(r.events('quit')).toEqual([]);
  });

  it('counts it a failed start once its retries are spent: quit notStarted, then a restart', () => {
    const r = new Recording();
    r.send(start(0));
    // Each attempt's answer is lost and its window passes (3 retries: startRetryServerErrorMs).
    let t = 0;
    for (const uid of [UID, BACKUP, UID, BACKUP]) {
      r.send(startSent(t + 1, uid), startFailed(t + 11, null), tick(t + 41));
      t += 41;
    }
    expect(r.events('quit')).toEqual([expect.objectContaining({ reason: 'notStarted' })]);
    expect(r.state).toBe('restarting');
  });

  it('never answers a startSent of an earlier attempt (another uid) with a start', () => {
    const r = new Recording();
    r.send(start(0), startSent(1), startFailed(11, null), tick(41));
    expect(r.effects('acquireAndStart').at(-1)).toMatchObject({ uid: BACKUP });
    expect(r.send(startSent(42, UID)).filter((o) => o.type === 'start')).toEqual([]);
    expect(r.send(startSent(43, BACKUP))).toContainEqual(
      expect.objectContaining({ type: 'start', uid: BACKUP }),
    );
  });

  it('waits for a settling start when the host stops, then stops what it made', () => {
    const r = new Recording();
    r.send(start(0), startSent(1), startFailed(11, null), stop(12));
    expect(r.value).toEqual({ stopping: 'awaitingSession' });
    expect(r.send(adopted(20))).toContainEqual(
      expect.objectContaining({ type: 'stop', sid: 'S1' }),
    );
  });

  it('is stopped when the settle window passes with no session, nothing sent', () => {
    const r = new Recording();
    r.send(start(0), startSent(1), startFailed(11, null), stop(12));
    r.send(tick(41));
    expect(r.state).toBe('stopped');
    expect(r.effects('stop')).toHaveLength(0);
  });

  it('settles a start that was out when the process died (rule 12), from the resume on', () => {
    const r = new Recording();
    r.send(start(0), startSent(1));
    r.send(resumed(100));
    expect(r.value).toEqual({ starting: { attempt: 'settling' } });
    expect(r.context.deadlines.settleBy).toBe(at(130));
    expect(r.effects('acquireAndStart')).toHaveLength(1);
  });

  it('acquires again when only the acquire was out when the process died (no start was sent)', () => {
    const r = new Recording();
    r.send(start(0));
    expect(r.send(resumed(5))).toContainEqual(
      expect.objectContaining({ type: 'acquireAndStart', uid: UID }),
    );
    expect(r.value).toEqual({ starting: { attempt: { acquiring: 'calling' } } });
  });
});
