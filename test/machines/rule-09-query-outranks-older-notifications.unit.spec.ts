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

  it('ignores a failover sent before such a query', () => {
    const r = recordingAlive();
    r.send(alive(100, 5));
    r.send({
      type: 'notification',
      at: at(101),
      notification: { eventType: 12, uid: '1001', sendts: at(95), newUid: '9' },
    });
    expect(r.state).toBe('recording');
    expect(r.context.haAttempts).toBe(0);
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
