import { describe, expect, it } from 'vitest';
import { alive, at, recordingAlive } from './drive.js';

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
