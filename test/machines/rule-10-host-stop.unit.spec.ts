import { describe, expect, it } from 'vitest';
import type { RecordingEvent } from '../../machines/index.js';
import {
  alive,
  at,
  notify,
  queryFails,
  Recording,
  recordingAlive,
  session,
  start,
  started,
  startFailed,
  startSent,
  stop,
  stopResult,
  tick,
  wakeAt,
} from './drive.js';

describe('rule 10: host stop', () => {
  it('asks Agora to stop, then is stopped when the stop succeeds', () => {
    const r = recordingAlive();
    expect(r.send(stop(30))).toContainEqual({
      kind: 'effect',
      recording: 'r1',
      type: 'stop',
      ...session(),
    });
    expect(r.state).toBe('stopping');
    expect(r.send(stopResult(31, 'ok'))).toContainEqual({
      kind: 'event',
      recording: 'r1',
      type: 'stopped',
      sid: 'S1',
    });
    expect(r.state).toBe('stopped');
    expect(r.context.quitReason).toBe('stopped');
  });

  it.each([
    ['a 404 query', queryFails(60, 'notFound')],
    ['session_exit', notify(32, 11, { exitStatus: 0 })],
    ['uploaded', notify(32, 31)],
    ['a stop answered 404', stopResult(31, 'notFound')],
    ['a stop answered 400 code 49 (already exiting)', stopResult(31, 'clientError', 49)],
  ])('is stopped on %s', (_name, event) => {
    const r = recordingAlive();
    r.send(stop(30), event);
    expect(r.state).toBe('stopped');
  });

  it('is never restarted, whatever comes after', () => {
    const r = recordingAlive();
    r.send(stop(30), stopResult(31, 'ok'));
    const after = r.send(
      notify(40, 11, { exitStatus: 1 }),
      alive(50, 5),
      started(60, 'S9'),
      tick(10_000),
    );
    expect(after).toEqual([]);
    expect(r.state).toBe('stopped');
    expect(r.effects('acquireAndStart')).toHaveLength(1);
  });

  it('checks with a query when the stop answer is a 50x, and stops again if still alive', () => {
    const r = recordingAlive();
    r.send(stop(30));
    expect(r.send(stopResult(31, 'serverError'))).toContainEqual(
      expect.objectContaining({ type: 'wakeAt' }),
    );
    expect(r.send(tick(36))).toContainEqual(expect.objectContaining({ type: 'query' }));
    expect(r.send(alive(36, 5))).toContainEqual(
      expect.objectContaining({ type: 'stop', sid: 'S1' }),
    );
    r.send(stopResult(37, 'ok'));
    expect(r.state).toBe('stopped');
  });

  it('stops the session a start in flight turns out to create', () => {
    const r = new Recording();
    r.send(start(0), startSent(0.5), stop(1));
    expect(r.value).toEqual({ stopping: 'awaitingSession' });
    expect(r.effects('stop')).toHaveLength(0);
    expect(r.send(started(2))).toContainEqual({
      kind: 'effect',
      recording: 'r1',
      type: 'stop',
      ...session(),
    });
  });

  it('is stopped at once when nothing is running', () => {
    const idle = new Recording();
    idle.send(stop(0));
    expect(idle.state).toBe('stopped');
    const failedStart = new Recording();
    failedStart.send(start(0), stop(1), startFailed(2, 500));
    expect(failedStart.state).toBe('stopped');
  });

  it('is stopped at once when a start failed and its retry only waits: nothing is out', () => {
    const r = new Recording();
    r.send(start(0), startFailed(1, 503));
    expect(r.state).toBe('starting');
    const outputs = r.send(stop(2));
    expect(r.state).toBe('stopped');
    expect(outputs).toContainEqual(expect.objectContaining({ type: 'stopped', sid: null }));
    // The retry it was waiting for (3 s after the 503) is never sent.
    expect(r.send(tick(10))).toEqual([]);
    expect(r.effects('acquireAndStart')).toHaveLength(1);
  });

  it('is stopped at once while only the acquire is out, and sends no start after it', () => {
    const r = new Recording();
    r.send(start(0), stop(1));
    expect(r.state).toBe('stopped');
    // The acquire comes back: its startSent is not answered with a start.
    expect(r.send(startSent(2))).toEqual([]);
    expect(r.effects('start')).toHaveLength(0);
  });

  it('waits for the session of a retried start that is out when the stop comes', () => {
    const r = new Recording();
    r.send(start(0), startFailed(1, 503), tick(4));
    expect(r.effects('acquireAndStart')).toHaveLength(2);
    r.send(startSent(4.5), stop(5));
    expect(r.state).toBe('stopping');
    expect(r.send(started(6))).toContainEqual(expect.objectContaining({ type: 'stop', sid: 'S1' }));
  });

  it('does not take a 404 during a failover as proof the stop worked', () => {
    const r = recordingAlive();
    r.send(notify(20, 12, { newUid: '2002' }), stop(30), stopResult(31, 'notFound'));
    expect(r.state).toBe('stopping');
    r.send(tick(110));
    r.send(queryFails(111, 'notFound'));
    expect(r.state).toBe('stopped');
  });
});

describe('rule 10: a stop 404 after a failover hint is not proof', () => {
  /** Alive, then a failover hint at 20 s, then the host's stop at 30 s answered 404. */
  const hinted = (hint: RecordingEvent) => {
    const r = recordingAlive({ restartBudget: 0 });
    r.send(hint, stop(30), stopResult(31, 'notFound'));
    return r;
  };

  it.each([
    ['a fatal error (event 1, errorLevel 5)', notify(20, 1, { errorLevel: 5 })],
    ['an ambiguous leave (41, code 2)', notify(20, 41, { leaveCode: 2 })],
  ])('stays stopping after %s and queries', (_name, hint) => {
    const r = hinted(hint);
    expect(r.state).toBe('stopping');
    const wake = wakeAt(r.outputs) ?? 0;
    expect(r.send(tick((wake - at(0)) / 1000))).toContainEqual(
      expect.objectContaining({ type: 'query', sid: 'S1' }),
    );
  });

  it('sends the stop again when a query shows life', () => {
    const r = hinted(notify(20, 1, { errorLevel: 5 }));
    r.send(queryFails(40, 'notFound'));
    expect(r.state).toBe('stopping');
    expect(r.send(alive(60, 5))).toContainEqual({
      kind: 'effect',
      recording: 'r1',
      type: 'stop',
      ...session(),
    });
    r.send(stopResult(61, 'ok'));
    expect(r.state).toBe('stopped');
  });

  it('sends the stop again when the new recorder shows life in a notification', () => {
    const r = hinted(notify(20, 41, { leaveCode: 2 }));
    expect(r.send(notify(50, 40, { uid: '3003' }))).toContainEqual(
      expect.objectContaining({ type: 'stop', sid: 'S1' }),
    );
    expect(r.state).toBe('stopping');
  });

  it('is stopped on quit evidence', () => {
    const r = hinted(notify(20, 1, { errorLevel: 5 }));
    r.send(notify(50, 11, { exitStatus: 0 }));
    expect(r.state).toBe('stopped');
  });

  it('is stopped when the failover deadline passes with nothing but 404s', () => {
    const r = hinted(notify(20, 1, { errorLevel: 5 }));
    r.send(queryFails(40, 'notFound'), queryFails(80, 'notFound'), stopResult(90, 'notFound'));
    expect(r.state).toBe('stopping');
    expect(r.send(tick(110))).toContainEqual(expect.objectContaining({ type: 'query' }));
    r.send(queryFails(111, 'notFound'));
    expect(r.state).toBe('stopped');
  });

  it('takes a stop 404 as proof when the hint is older than the failover window', () => {
    const r = recordingAlive({ restartBudget: 0 });
    r.send(notify(20, 1, { errorLevel: 5 }), alive(21, 5), stop(200), stopResult(201, 'notFound'));
    expect(r.state).toBe('stopped');
  });
});

describe('rule 10: a refused stop keeps the recording supervised', () => {
  const refused = () => {
    const r = recordingAlive();
    r.send(stop(30));
    const outputs = r.send(stopResult(31, 'clientError', 2));
    return { r, outputs };
  };

  it('tells the host it is a configuration error, and does not fail the recording', () => {
    const { r, outputs } = refused();
    expect(r.value).toEqual({ stopping: 'refused' });
    expect(r.context.quitReason).toBeNull();
    expect(outputs).toContainEqual({
      kind: 'event',
      recording: 'r1',
      type: 'configurationError',
      operation: 'stop',
      sid: 'S1',
      httpStatus: 400,
      code: 2,
    });
    expect(r.events('failed')).toEqual([]);
  });

  it('keeps querying it, without stopping it again on its own', () => {
    const { r, outputs } = refused();
    expect(wakeAt(outputs)).toBe(at(91));
    expect(r.send(tick(91))).toContainEqual({
      kind: 'effect',
      recording: 'r1',
      type: 'query',
      priority: 'urgent',
      ...session(),
    });
    const answer = r.send(alive(91, 5));
    expect(answer.filter((o) => o.type === 'stop')).toEqual([]);
    expect(r.context.deadlines.queryAt).toBe(at(151));
    expect(r.value).toEqual({ stopping: 'refused' });
  });

  it('retries the stop when the host asks again', () => {
    const { r } = refused();
    expect(r.send(stop(100))).toContainEqual({
      kind: 'effect',
      recording: 'r1',
      type: 'stop',
      ...session(),
    });
    expect(r.value).toEqual({ stopping: 'requested' });
    r.send(stopResult(101, 'ok'));
    expect(r.state).toBe('stopped');
  });

  it('is stopped by quit evidence, never restarted', () => {
    const { r } = refused();
    const outputs = r.send(notify(200, 41, { leaveCode: 4 }));
    expect(r.state).toBe('stopped');
    expect(outputs.filter((o) => o.type === 'acquireAndStart')).toEqual([]);
  });

  it('is stopped when a query finds the session gone', () => {
    const { r } = refused();
    r.send(tick(91), queryFails(91, 'notFound'));
    expect(r.state).toBe('stopped');
  });
});
