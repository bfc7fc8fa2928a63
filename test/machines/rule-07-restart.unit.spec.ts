import { describe, expect, it } from 'vitest';
import {
  alive,
  at,
  notify,
  queryFails,
  Recording,
  recordingAlive,
  start,
  started,
  startFailed,
  tick,
  UID,
  wakeAt,
} from './drive.js';

describe('rule 7: restart', () => {
  it('restarts after a quit the host did not ask for: acquire+start, then starting with the new sid', () => {
    const r = recordingAlive();
    const outputs = r.send(notify(30, 11, { exitStatus: 1 }));
    expect(r.state).toBe('restarting');
    expect(outputs).toContainEqual({
      kind: 'event',
      recording: 'r1',
      type: 'restarting',
      restarts: 1,
      uid: UID,
    });
    expect(outputs).toContainEqual({
      kind: 'effect',
      recording: 'r1',
      type: 'acquireAndStart',
      cname: 'room1',
      uid: UID,
      mode: 'mix',
      restarts: 1,
      retry: 0,
    });
    expect(r.send(started(31, 'S2'))).toContainEqual({
      kind: 'event',
      recording: 'r1',
      type: 'restarted',
      sid: 'S2',
      restarts: 1,
    });
    expect(r.value).toEqual({ starting: 'confirming' });
    expect(r.session).toMatchObject({ sid: 'S2', haAttempts: 0 });
    expect(r.context).toMatchObject({ previousSids: ['S1'], restarts: 1 });
    r.send(tick(36), alive(36, 5, 'S2'));
    expect(r.state).toBe('recording');
  });

  it('does not restart after an idle quit (default exclusion)', () => {
    const r = recordingAlive();
    r.send(notify(30, 41, { leaveCode: 4 }));
    expect(r.state).toBe('quit');
    expect(r.effects('acquireAndStart')).toHaveLength(1);
  });

  it('does not restart a web recording that reached maxRecordingHour (default exclusion)', () => {
    const r = recordingAlive();
    const outputs = r.send(notify(30, 71, { code: 1 }));
    expect(r.value).toEqual({ quit: 'forGood' });
    expect(r.context.quitReason).toBe('maxRecordingHour');
    expect(outputs).toContainEqual(
      expect.objectContaining({ type: 'quit', reason: 'maxRecordingHour' }),
    );
    expect(r.effects('acquireAndStart')).toHaveLength(1);
  });

  it('restarts a web recording stopped for another reason (71 code 4)', () => {
    const r = recordingAlive();
    r.send(notify(30, 71, { code: 4 }));
    expect(r.state).toBe('restarting');
  });

  it('fails with restartBudgetExhausted after 3 restarts', () => {
    const r = recordingAlive();
    for (const [i, sid] of ['S2', 'S3', 'S4'].entries()) {
      const s = 100 * (i + 1);
      r.send(notify(s, 11, { exitStatus: 1 }));
      r.send(tick(s + 60), started(s + 61, sid), notify(s + 62, 40));
      expect(r.state).toBe('recording');
    }
    r.send(notify(500, 11, { exitStatus: 1 }));
    expect(r.state).toBe('failed');
    expect(r.context).toMatchObject({ restarts: 3, quitReason: 'restartBudgetExhausted' });
  });

  it('waits the restart delay before the second restart', () => {
    const r = recordingAlive();
    r.send(notify(30, 11, { exitStatus: 1 }), started(31, 'S2'), notify(32, 40));
    const outputs = r.send(notify(40, 11, { exitStatus: 1 }));
    expect(outputs.filter((o) => o.type === 'acquireAndStart')).toEqual([]);
    expect(wakeAt(outputs)).toBe(at(50));
    expect(r.send(tick(50))).toContainEqual(expect.objectContaining({ type: 'acquireAndStart' }));
  });

  it('retries a start failing with 50x after 3, 6, 9 s, then restarts with the backup uid', () => {
    const r = new Recording();
    r.send(start(0));
    const retries: number[] = [];
    let now = 1;
    for (let i = 0; i < 3; i += 1) {
      const wake = r.send(startFailed(now, 503)).find((o) => o.type === 'wakeAt');
      const due = wake?.type === 'wakeAt' ? (wake.at - at(0)) / 1000 : -1;
      retries.push(due - now);
      now = due;
      expect(r.send(tick(now))).toContainEqual(
        expect.objectContaining({ type: 'acquireAndStart', uid: UID }),
      );
    }
    expect(retries).toEqual([3, 6, 9]);
    const outputs = r.send(startFailed(now, 503));
    expect(outputs).toContainEqual({
      kind: 'event',
      recording: 'r1',
      type: 'quit',
      sid: null,
      reason: 'notStarted',
    });
    expect(r.state).toBe('restarting');
    expect(outputs).toContainEqual(
      expect.objectContaining({ type: 'acquireAndStart', uid: '1002' }),
    );
  });

  it('alternates back to the primary uid after the backup attempt also fails', () => {
    const r = new Recording({ startRetryServerErrorMs: [], restartDelaysMs: [0] });
    r.send(start(0), startFailed(1, 500));
    expect(r.context.attempt?.uid).toBe('1002');
    r.send(startFailed(2, 500));
    expect(r.context.attempt?.uid).toBe(UID);
  });

  it('switches uid when start says a recorder with this uid already runs', () => {
    const r = new Recording({ restartDelaysMs: [0] });
    r.send(start(0), startFailed(1, 400, 53));
    expect(r.state).toBe('restarting');
    expect(r.context.attempt?.uid).toBe('1002');
  });

  it('retries a 206 start twice, after 3 and 6 s', () => {
    const r = new Recording();
    r.send(start(0));
    expect(wakeAt(r.send(startFailed(1, 206, 65)))).toBe(at(4));
    r.send(tick(4));
    expect(wakeAt(r.send(startFailed(5, 206, 65)))).toBe(at(11));
    r.send(tick(11), startFailed(12, 206, 65));
    expect(r.state).toBe('restarting');
  });
});

describe('rule 7: after a quit known only by absence, the restart uses the other uid', () => {
  const firstRestartUid = (r: Recording) =>
    r.effects('acquireAndStart').map((e) => (e.type === 'acquireAndStart' ? e.uid : null))[1];

  it('after lost (404s ran out): the backup uid, since the old recorder may still be there', () => {
    const r = recordingAlive({ restartDelaysMs: [0] });
    r.send(alive(20, 5));
    for (const s of [80, 85, 95, 110, 140, 175]) r.send(queryFails(s, 'notFound'));
    expect(r.context.quitReason).toBe('lost');
    expect(firstRestartUid(r)).toBe('1002');
  });

  it('after failoverTimeout: the backup uid', () => {
    const r = recordingAlive({ restartDelaysMs: [0] });
    r.send(notify(20, 12, { newUid: '2002' }), tick(110));
    expect(r.context.quitReason).toBe('failoverTimeout');
    expect(firstRestartUid(r)).toBe('1002');
  });

  it('after notStarted: the backup uid', () => {
    const r = new Recording({ restartDelaysMs: [0] });
    r.send(start(0), started(1), tick(91));
    expect(r.context.quitReason).toBe('notStarted');
    expect(firstRestartUid(r)).toBe('1002');
  });

  it('after a quit Agora told of (exited): the primary uid again', () => {
    const r = recordingAlive({ restartDelaysMs: [0] });
    r.send(notify(30, 11, { exitStatus: 0 }));
    expect(firstRestartUid(r)).toBe(UID);
  });

  it('alternates back to the primary after a second quit by absence', () => {
    const r = recordingAlive({ restartDelaysMs: [0] });
    r.send(notify(20, 12, { newUid: '2002' }), tick(110));
    r.send(started(111, 'S2', '1002'), tick(202));
    expect(r.context.quitReason).toBe('notStarted');
    const uids = r
      .effects('acquireAndStart')
      .map((e) => (e.type === 'acquireAndStart' ? e.uid : null));
    expect(uids).toEqual([UID, '1002', UID]);
  });
});
