import { describe, expect, it } from 'vitest';
import {
  at,
  queryFails,
  Recording,
  recordingAlive,
  SID,
  start,
  started,
  startFailed,
} from './drive.js';

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
      at: at(6),
      sid: SID,
      outcome: { kind: 'clientError', httpStatus: 404 },
    });
    expect(r.context.quitReason).toBe('configuration');
  });

  it.each([401, 400])('fails with configuration when start is refused with %i', (status) => {
    const r = new Recording();
    r.send(start(0), startFailed(1, status));
    expect(r.state).toBe('failed');
    expect(r.context.quitReason).toBe('configuration');
  });

  it('emits nothing once failed', () => {
    const r = recordingAlive();
    r.send(queryFails(66, 'clientError'));
    expect(
      r.send(queryFails(70, 'notFound'), { type: 'tick', at: Number.MAX_SAFE_INTEGER }),
    ).toEqual([]);
  });
});
