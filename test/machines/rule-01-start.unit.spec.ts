import { describe, expect, it } from 'vitest';
import type { RecordingEvent } from '../../machines/index.js';
import { classifyQuery } from '../../src/signals/index.js';
import {
  alive,
  at,
  notify,
  queryFails,
  Recording,
  session,
  start,
  started,
  tick,
  UID,
  wakeAt,
} from './drive.js';

describe('rule 1: start', () => {
  it('asks for acquire+start with the host uid and waits in starting', () => {
    const r = new Recording();
    const outputs = r.send(start(0));
    expect(r.value).toEqual({ starting: { attempt: { acquiring: 'calling' } } });
    expect(outputs).toContainEqual({
      kind: 'effect',
      recording: 'r1',
      type: 'acquireAndStart',
      cname: 'room1',
      uid: UID,
      mode: 'mix',
      restarts: 0,
      retry: 0,
    });
  });

  it('queries first 5 s after the sid is known', () => {
    const r = new Recording();
    r.send(start(0));
    expect(wakeAt(r.send(started(1)))).toBe(at(6));
    expect(r.send(tick(6))).toContainEqual({
      kind: 'effect',
      recording: 'r1',
      type: 'query',
      priority: 'urgent',
      ...session(),
    });
  });

  it.each([4, 5])('goes to recording on query status %i', (status) => {
    const r = new Recording();
    r.send(start(0), started(1), tick(6));
    expect(r.send(alive(6, status))).toContainEqual({
      kind: 'event',
      recording: 'r1',
      type: 'started',
      sid: 'S1',
      uid: UID,
    });
    expect(r.value).toEqual({ recording: 'healthy' });
  });

  it.each([30, 40, 42, 70, 13])('goes to recording on life event %i', (eventType) => {
    const r = new Recording();
    r.send(start(0), started(1), notify(2, eventType));
    expect(r.state).toBe('recording');
    expect(r.events('started')).toHaveLength(1);
  });

  it.each([0, 1, 2, 3])('keeps starting on status %i and polls again', (status) => {
    const r = new Recording();
    r.send(start(0), started(1), tick(6));
    const outputs = r.send(alive(6, status));
    expect(r.value).toEqual({ starting: 'confirming' });
    expect(wakeAt(outputs)).toBe(at(16));
  });

  it('quits with notStarted when no evidence comes within 90 s of the sid', () => {
    const r = new Recording({ restartBudget: 0 });
    r.send(start(0), started(1), tick(6), alive(6, 2), tick(16), alive(16, 3));
    r.send(tick(90));
    expect(r.state).toBe('starting');
    r.send(tick(91));
    expect(r.state).toBe('quit');
    expect(r.context.quitReason).toBe('notStarted');
  });

  it('backs off 5, 10, 15 s on 404 while starting, then counts it as not started', () => {
    const r = new Recording({ restartBudget: 0 });
    r.send(start(0), started(1), tick(6));
    expect(wakeAt(r.send(queryFails(6, 'notFound')))).toBe(at(11));
    expect(r.value).toEqual({ starting: 'probing' });
    r.send(tick(11));
    expect(wakeAt(r.send(queryFails(11, 'notFound')))).toBe(at(21));
    r.send(tick(21));
    expect(wakeAt(r.send(queryFails(21, 'notFound')))).toBe(at(36));
    r.send(tick(36), queryFails(36, 'notFound'));
    expect(r.state).toBe('quit');
    expect(r.context.quitReason).toBe('notStarted');
  });

  it('recovers from probing while starting when the session shows life', () => {
    const r = new Recording();
    r.send(start(0), started(1), tick(6), queryFails(6, 'notFound'), tick(11), alive(11, 5));
    expect(r.value).toEqual({ recording: 'healthy' });
  });
});

describe('rule 1: a web recorder in progress is alive, whatever the status says', () => {
  const webQuery = (s: number, status: number, webRecorderState: string): RecordingEvent => ({
    type: 'query',
    at: at(s),
    sid: 'S1',
    outcome: { kind: 'alive', httpStatus: 200, status, files: [], webRecorderState },
  });

  it.each([0, 1, 2, 3])(
    'goes to recording on status %i with web_recorder_service inProgress',
    (status) => {
      const r = new Recording();
      r.send(start(0), started(1), tick(6), webQuery(6, status, 'inProgress'));
      expect(r.state).toBe('recording');
      expect(r.events('started')).toHaveLength(1);
    },
  );

  it('reads a paused page recorder (onhold) from a real query body as alive', () => {
    const r = new Recording();
    r.send(start(0), started(1), tick(6));
    const outcome = classifyQuery(200, {
      sid: 'S1',
      serverResponse: {
        status: 0,
        extensionServiceState: [
          { serviceName: 'web_recorder_service', payload: { state: 'inProgress', onhold: true } },
        ],
      },
    });
    r.send({ type: 'query', at: at(6), sid: 'S1', outcome });
    expect(r.state).toBe('recording');
  });

  it('keeps starting while the web recorder is only initialising', () => {
    const r = new Recording();
    r.send(start(0), started(1), tick(6), webQuery(6, 0, 'init'));
    expect(r.value).toEqual({ starting: 'confirming' });
  });
});

describe('rule 1: notStarted needs an answer', () => {
  it('stays starting (uncertain) past the deadline when every query went unanswered', () => {
    const r = new Recording({ restartBudget: 0 });
    r.send(start(0), started(1));
    let now = 6;
    r.send(tick(now));
    for (const kind of ['serverError', 'rateLimited', 'transient', 'serverError'] as const) {
      const wake = wakeAt(r.send(queryFails(now, kind))) ?? 0;
      now = (wake - at(0)) / 1000;
      r.send(tick(now));
    }
    r.send({
      type: 'query',
      at: at(now),
      sid: 'S1',
      outcome: { kind: 'serverError', httpStatus: null },
    });
    const outputs = r.send(tick(91), tick(95));
    expect(r.value).toEqual({ starting: 'uncertain' });
    expect(r.context.quitReason).toBeNull();
    expect(r.snapshot.context.monitoring.uncertainSince).toBe(at(6));
    // The deadline is spent, not re-armed: no wake at a time already past.
    expect(outputs.filter((o) => o.type === 'wakeAt' && o.at <= at(95))).toEqual([]);
    // Queries go on, backing off.
    r.send(tick(200));
    expect(r.effects('query').length).toBeGreaterThan(5);
  });

  it.each([
    ['a 404', queryFails(120, 'notFound'), 'quit', 'notStarted'],
    ['a 200 with status 2', alive(120, 2), 'quit', 'notStarted'],
    ['a 200 with status 5', alive(120, 5), 'recording', null],
  ] as const)('lets the first answered query decide: %s', (_name, answer, state, reason) => {
    const r = new Recording({ restartBudget: 0 });
    r.send(start(0), started(1), tick(6), queryFails(6, 'serverError'), tick(91));
    expect(r.state).toBe('starting');
    r.send(queryFails(100, 'rateLimited'));
    expect(r.state).toBe('starting');
    r.send(answer);
    expect(r.state).toBe(state);
    expect(r.context.quitReason).toBe(reason);
  });

  it('quits notStarted at the deadline when one query was answered (status 2), even if later ones were not', () => {
    const r = new Recording({ restartBudget: 0 });
    r.send(start(0), started(1), tick(6), alive(6, 2), tick(16), queryFails(16, 'serverError'));
    r.send(tick(91));
    expect(r.state).toBe('quit');
    expect(r.context.quitReason).toBe('notStarted');
  });

  it('quits notStarted at the deadline when no query was tried at all', () => {
    const r = new Recording({ restartBudget: 0 });
    r.send(start(0), started(1), tick(91));
    expect(r.context.quitReason).toBe('notStarted');
  });

  it('does not carry an unanswered picture over to the next session', () => {
    const r = new Recording({ restartDelaysMs: [0] });
    r.send(start(0), started(1), tick(6), alive(6, 2), tick(91));
    expect(r.state).toBe('restarting');
    r.send(started(92, 'S2', '1002'), tick(97), queryFails(97, 'serverError'), tick(183));
    expect(r.state).toBe('starting');
    r.send(queryFails(184, 'notFound'));
    expect(r.context.quitReason).toBe('notStarted');
  });
});

describe('rule 1: 404 probing while starting keeps its own steps', () => {
  it('backs off 5, 10, 15 s while starting even when recording probes longer', () => {
    const r = new Recording({ restartBudget: 0, notFoundBackoffMs: [1_000, 2_000] });
    r.send(start(0), started(1), tick(6));
    expect(wakeAt(r.send(queryFails(6, 'notFound')))).toBe(at(11));
    expect(wakeAt(r.send(queryFails(11, 'notFound')))).toBe(at(21));
    expect(wakeAt(r.send(queryFails(21, 'notFound')))).toBe(at(36));
    r.send(queryFails(36, 'notFound'));
    expect(r.context.quitReason).toBe('notStarted');
  });

  it('takes startingNotFoundBackoffMs for the steps while starting', () => {
    const r = new Recording({ restartBudget: 0, startingNotFoundBackoffMs: [2_000] });
    r.send(start(0), started(1), tick(6));
    expect(wakeAt(r.send(queryFails(6, 'notFound')))).toBe(at(8));
    r.send(queryFails(8, 'notFound'));
    expect(r.context.quitReason).toBe('notStarted');
  });
});
