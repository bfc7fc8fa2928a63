import { describe, expect, it } from 'vitest';
import type { RecordingEvent } from '../../machines/index.js';
import { alive, at, recordingAlive } from './drive.js';

/** A query answered at `s` that was sent at `sentS`. */
const aliveSent = (s: number, sentS: number): RecordingEvent =>
  ({ ...alive(s, 5), sentAt: at(sentS) }) as RecordingEvent;

const exit = (s: number, sendtsS: number, exitStatus = 0): RecordingEvent => ({
  type: 'notification',
  at: at(s),
  notification: { eventType: 11, uid: '1001', sendts: at(sendtsS), exitStatus },
});

const idleLeave = (s: number, sendtsS: number): RecordingEvent => ({
  type: 'notification',
  at: at(s),
  notification: { eventType: 41, uid: '1001', sendts: at(sendtsS), leaveCode: 4 },
});

describe('rule 9: a notification older than an applied query cannot undo what it showed', () => {
  it('ignores an exit sent before a query that showed the recording alive', () => {
    const r = recordingAlive();
    r.send(alive(100, 5));
    r.send({
      type: 'notification',
      at: at(101),
      notification: { eventType: 11, uid: '1001', sendts: at(90), exitStatus: 0 },
    });
    expect(r.state).toBe('recording');
  });

  it('keeps the state after a failover sent before such a query, but counts it (rule 4)', () => {
    const r = recordingAlive();
    r.send(alive(100, 5));
    const outputs = r.send({
      type: 'notification',
      at: at(101),
      notification: { eventType: 12, uid: '1001', sendts: at(95), newUid: '9' },
    });
    expect(r.state).toBe('recording');
    expect(r.session).toMatchObject({ haAttempts: 1, uid: '9', filePrefix: 'bak0_' });
    expect(outputs).toContainEqual(
      expect.objectContaining({ type: 'failover', uid: '9', haAttempts: 1, filePrefix: 'bak0_' }),
    );
  });

  it('applies an exit sent after the query', () => {
    const r = recordingAlive({ restartBudget: 0 });
    r.send(alive(100, 5));
    r.send({
      type: 'notification',
      at: at(102),
      notification: { eventType: 11, uid: '1001', sendts: at(101), exitStatus: 0 },
    });
    expect(r.state).toBe('quit');
  });
});

describe('rule 9: "older" compares with when the query was sent, not when its answer came', () => {
  it('applies an exit sent after the query left, though before its answer arrived', () => {
    const r = recordingAlive({ restartBudget: 0 });
    // Sent at 95, answered at 100 (a slow answer): it describes a moment near 95.
    r.send(aliveSent(100, 95), exit(101, 97));
    expect(r.state).toBe('quit');
    expect(r.context.quitReason).toBe('exited');
  });

  it('still ignores an exit sent before the query left', () => {
    const r = recordingAlive({ restartBudget: 0 });
    r.send(aliveSent(100, 95), exit(101, 94));
    expect(r.state).toBe('recording');
  });

  it('keeps when the query was sent in lastQuery', () => {
    const r = recordingAlive();
    r.send(aliveSent(100, 95));
    expect(r.context.lastQuery).toMatchObject({ at: at(100), sentAt: at(95), kind: 'alive' });
  });
});

describe('rule 9: old news outranked by a query is still evidence', () => {
  it('gives a confirmed quit the reason of the earliest quit evidence (idle: no restart)', () => {
    const r = recordingAlive();
    r.send(alive(100, 5), idleLeave(101, 98));
    expect(r.state).toBe('recording');
    const outputs = r.send(exit(110, 109));
    expect(r.context.quitReason).toBe('idle');
    expect(outputs).toContainEqual(expect.objectContaining({ type: 'quit', reason: 'idle' }));
    expect(r.value).toEqual({ quit: 'forGood' });
    expect(r.effects('acquireAndStart')).toHaveLength(1);
  });

  it('does so when a query confirms the quit too (status 8)', () => {
    const r = recordingAlive({ restartBudget: 0 });
    r.send(alive(100, 5), idleLeave(101, 98), alive(160, 8));
    expect(r.context.quitReason).toBe('idle');
  });

  it('forgets it with the session: the next session quits for its own reason', () => {
    const r = recordingAlive({ restartExcludedReasons: [] });
    r.send(alive(100, 5), idleLeave(101, 98), exit(110, 109));
    expect(r.state).toBe('restarting');
    r.send({ type: 'started', at: at(111), sid: 'S2', resourceId: 'R-S2', uid: '1001' });
    r.send({
      type: 'notification',
      at: at(120),
      notification: { eventType: 11, uid: '1001', sendts: at(119), exitStatus: 1 },
    });
    expect(r.context.quitReason).toBe('abnormalExit');
  });
});
