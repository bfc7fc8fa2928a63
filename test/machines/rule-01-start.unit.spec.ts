import { describe, expect, it } from 'vitest';
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
