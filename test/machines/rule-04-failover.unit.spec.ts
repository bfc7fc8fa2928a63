import { describe, expect, it } from 'vitest';
import { alive, at, notify, queryFails, recordingAlive, tick, UID } from './drive.js';

describe('rule 4: failover', () => {
  it('moves to failoverPending on event 12 with the new uid and the bak0_ prefix', () => {
    const r = recordingAlive();
    const outputs = r.send(notify(20, 12, { newUid: '2002' }));
    expect(r.state).toBe('failoverPending');
    expect(r.session).toMatchObject({ haAttempts: 1, uid: '2002', filePrefix: 'bak0_', sid: 'S1' });
    expect(outputs).toContainEqual({
      kind: 'event',
      recording: 'r1',
      type: 'failover',
      sid: 'S1',
      uid: '2002',
      haAttempts: 1,
      filePrefix: 'bak0_',
    });
  });

  it('resumes recording on any notification from the new recorder uid', () => {
    const r = recordingAlive();
    r.send(notify(20, 12, { newUid: '2002' }));
    expect(r.send(notify(25, 43, { uid: '2002' }))).toContainEqual({
      kind: 'event',
      recording: 'r1',
      type: 'resumed',
      sid: 'S1',
      uid: '2002',
    });
    expect(r.state).toBe('recording');
  });

  it('does not take a notification from the old recorder uid as life', () => {
    const r = recordingAlive();
    r.send(
      notify(20, 12, { newUid: '2002' }),
      notify(21, 40, { uid: UID }),
      notify(22, 44, { uid: UID }),
    );
    expect(r.state).toBe('failoverPending');
  });

  it('resumes on a query 200 with status 5 from the new server', () => {
    const r = recordingAlive();
    r.send(notify(20, 12, { newUid: '2002' }), queryFails(35, 'notFound'), alive(50, 5));
    expect(r.state).toBe('recording');
  });

  it('quits with failoverTimeout when no life comes within 90 s', () => {
    const r = recordingAlive({ restartBudget: 0 });
    r.send(notify(20, 12, { newUid: '2002' }), tick(109));
    expect(r.state).toBe('failoverPending');
    r.send(tick(110));
    expect(r.context.quitReason).toBe('failoverTimeout');
  });

  it('counts bak0_, bak1_, bak2_ and quits with haExhausted on the 4th failover', () => {
    const r = recordingAlive({ restartBudget: 0 });
    const prefixes: string[] = [];
    for (const [i, uid] of ['2002', '3003', '4004'].entries()) {
      r.send(notify(20 + i * 10, 12, { newUid: uid }), notify(21 + i * 10, 40, { uid }));
      prefixes.push(r.context.failover.filePrefix);
      expect(r.state).toBe('recording');
    }
    expect(prefixes).toEqual(['bak0_', 'bak1_', 'bak2_']);
    r.send(notify(60, 12, { newUid: '5005' }));
    expect(r.state).toBe('quit');
    expect(r.context.quitReason).toBe('haExhausted');
    expect(r.session.haAttempts).toBe(3);
    expect(r.session.sid).toBe('S1');
  });

  it('handles a second 12 while the first failover is still pending', () => {
    const r = recordingAlive();
    r.send(notify(20, 12, { newUid: '2002' }), notify(40, 12, { newUid: '3003' }));
    expect(r.session).toMatchObject({ haAttempts: 2, uid: '3003', filePrefix: 'bak1_' });
    expect(r.context.deadlines.failoverBy).toBe(at(130));
    r.send(notify(45, 40, { uid: '3003' }));
    expect(r.state).toBe('recording');
  });
});

describe('rule 4: the failover count stays right when a 12 is lost or late', () => {
  it('counts a bak<n>_ prefix in a query result as n+1 failovers', () => {
    const r = recordingAlive();
    const outputs = r.send(alive(80, 5, 'S1', ['bak1_S1_room1.m3u8']));
    expect(r.state).toBe('recording');
    expect(r.session).toMatchObject({ haAttempts: 2, filePrefix: 'bak1_', uid: UID });
    expect(outputs).toContainEqual(
      expect.objectContaining({ type: 'failover', haAttempts: 2, filePrefix: 'bak1_' }),
    );
  });

  it('counts a bak<n>_ prefix in a notification’s file list', () => {
    const r = recordingAlive();
    r.send(notify(30, 4, { files: [{ fileName: 'bak0_S1_room1.m3u8' }] }));
    expect(r.session).toMatchObject({ haAttempts: 1, filePrefix: 'bak0_' });
  });

  it('never lowers the count: an old file name without a prefix proves nothing', () => {
    const r = recordingAlive();
    r.send(alive(80, 5, 'S1', ['bak1_S1_room1.m3u8']), alive(140, 5, 'S1', ['S1_room1.m3u8']));
    expect(r.session.haAttempts).toBe(2);
  });

  it('takes a recorder uid never seen on the sid as a failover, and as life', () => {
    const r = recordingAlive();
    const outputs = r.send(notify(70, 43, { uid: '2002' }));
    expect(r.state).toBe('recording');
    expect(r.session).toMatchObject({ haAttempts: 1, uid: '2002', filePrefix: 'bak0_' });
    expect(outputs).toContainEqual(expect.objectContaining({ type: 'failover', uid: '2002' }));
    r.send(notify(80, 44, { uid: '2002' }), notify(81, 44, { uid: UID }));
    expect(r.session).toMatchObject({ haAttempts: 1, uid: '2002' });
  });

  it('resumes a pending failover when a recorder never seen speaks (its 12 was lost)', () => {
    const r = recordingAlive();
    r.send(notify(20, 12, { newUid: '2002' }), notify(40, 43, { uid: '3003' }));
    expect(r.state).toBe('recording');
    expect(r.session).toMatchObject({ haAttempts: 2, uid: '3003', filePrefix: 'bak1_' });
  });

  it('counts a late 12 once, whatever else showed the same failover first', () => {
    const r = recordingAlive();
    r.send(notify(70, 40, { uid: '2002' }));
    expect(r.session.haAttempts).toBe(1);
    r.send(notify(71, 12, { newUid: '2002' }));
    expect(r.state).toBe('recording');
    expect(r.session).toMatchObject({ haAttempts: 1, uid: '2002' });
  });

  it('takes the highest count, not the sum, of a prefix and a late 12', () => {
    const r = recordingAlive();
    r.send(alive(81, 5, 'S1', ['bak0_S1_room1.m3u8']));
    r.send(notify(95, 12, { sendts: at(60), newUid: '2002' }));
    expect(r.state).toBe('recording');
    expect(r.session).toMatchObject({ haAttempts: 1, uid: '2002', filePrefix: 'bak0_' });
  });

  it('counts a late 12 (older than news already applied) without moving the uid', () => {
    const r = recordingAlive();
    r.send(notify(20, 12, { newUid: '3003' }), notify(21, 40, { uid: '3003' }));
    r.send(notify(22, 12, { newUid: '2002', late: true }));
    expect(r.state).toBe('recording');
    expect(r.session).toMatchObject({ haAttempts: 2, uid: '3003', filePrefix: 'bak1_' });
  });

  it('moves to the successor the current recorder names, even when its 12 carries an earlier time', () => {
    // A recorder never seen speaks first (rule 4 evidence: uid 2002 at 50 s), then its own 12,
    // stamped earlier by Agora, names 3003: the hand-over is the latest word on the uid.
    const r = recordingAlive();
    r.send(notify(60, 43, { uid: '2002', sendts: at(50) }));
    expect(r.session).toMatchObject({ uid: '2002', haAttempts: 1 });
    r.send(notify(61, 12, { uid: '2002', newUid: '3003', sendts: at(40) }));
    expect(r.session).toMatchObject({ uid: '3003', haAttempts: 2, filePrefix: 'bak1_' });
    // An earlier recorder's 12, older still, names 2002 again: it counts nothing new, moves nothing.
    r.send(notify(62, 12, { newUid: '2002', sendts: at(30) }));
    expect(r.session).toMatchObject({ uid: '3003', haAttempts: 2 });
  });

  it('never counts past the allowed failovers from evidence', () => {
    const r = recordingAlive();
    r.send(alive(80, 5, 'S1', ['bak7_S1_room1.m3u8']));
    expect(r.session.haAttempts).toBe(3);
  });

  it('keeps the latest recorder in time when older news of an earlier one arrives after', () => {
    const r = recordingAlive();
    r.send(notify(70, 40, { uid: '3003', sendts: at(69) }));
    r.send(notify(71, 12, { newUid: '2002', sendts: at(30) }));
    r.send(notify(72, 40, { uid: '2002', sendts: at(45) }));
    expect(r.state).toBe('recording');
    expect(r.session).toMatchObject({ haAttempts: 2, uid: '3003', filePrefix: 'bak1_' });
  });
});
