import { describe, expect, it } from 'vitest';
import { queryFails, Recording, recordingAlive, start, started, startFailed } from './drive.js';

describe('rule 6: other 40x are configuration errors', () => {
  it('fails with configuration on a 401 query in recording', () => {
    const r = recordingAlive();
    r.send(queryFails(66, 'clientError'));
    expect(r.state).toBe('failed');
    expect(r.context.quitReason).toBe('configuration');
    expect(r.snapshot.status).toBe('done');
    expect(r.events('failed')).toEqual([
      { kind: 'event', recording: 'r1', type: 'failed', reason: 'configuration' },
    ]);
  });

  it('fails with configuration on a route 404 (no code) while starting', () => {
    const r = new Recording();
    r.send(start(0), started(1), {
      type: 'query',
      at: 0,
      sid: 'S1',
      outcome: { kind: 'clientError', httpStatus: 404 },
    });
    expect(r.context.quitReason).toBe('configuration');
  });

  it('fails with configuration when start is refused with 401 or 400', () => {
    for (const status of [401, 400]) {
      const r = new Recording();
      r.send(start(0), startFailed(1, status));
      expect(r.state).toBe('failed');
      expect(r.context.quitReason).toBe('configuration');
    }
  });

  it('emits nothing once failed', () => {
    const r = recordingAlive();
    r.send(queryFails(66, 'clientError'));
    expect(
      r.send(queryFails(70, 'notFound'), { type: 'tick', at: Number.MAX_SAFE_INTEGER }),
    ).toEqual([]);
  });
});
