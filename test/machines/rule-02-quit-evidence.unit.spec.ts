import { describe, expect, it } from 'vitest';
import { alive, notify, recordingAlive, session } from './drive.js';

// Restarts are off here so the quit itself is observable as the resting state.
const noRestart = { restartBudget: 0 };

describe('rule 2: quit evidence', () => {
  it.each([
    ['11 with exitStatus 0', 'exited', notify(10, 11, { exitStatus: 0 })],
    ['11 with exitStatus 1', 'abnormalExit', notify(10, 11, { exitStatus: 1 })],
    ['31 uploaded', 'uploaded', notify(10, 31)],
    ['32 backuped', 'uploaded', notify(10, 32)],
    ['41 with the idle bit', 'idle', notify(10, 41, { leaveCode: 4 })],
    ['41 with idle among other bits', 'idle', notify(10, 41, { leaveCode: 4 | 16 })],
    ['71 with code 1 (max_recording_hour)', 'maxRecordingHour', notify(10, 71, { code: 1 })],
    ['71 with code 4 (page_load_timeout)', 'webRecorderStopped', notify(10, 71, { code: 4 })],
    ['72 capability limit', 'webRecorderStopped', notify(10, 72)],
    ['query status 6', 'exited', alive(10, 6)],
    ['query status 7', 'exited', alive(10, 7)],
    ['query status 8', 'exited', alive(10, 8)],
    ['query status 20', 'abnormalExit', alive(10, 20)],
  ] as const)('quits on %s with reason %s', (_name, reason, event) => {
    const r = recordingAlive(noRestart);
    const outputs = r.send(event);
    expect(r.state).toBe('quit');
    expect(r.context.quitReason).toBe(reason);
    expect(outputs).toContainEqual({
      kind: 'event',
      recording: 'r1',
      type: 'quit',
      sid: 'S1',
      reason,
    });
  });

  it.each([
    ['41 killed (SIGINT)', notify(10, 41, { leaveCode: 2 })],
    ['41 init failed', notify(10, 41, { leaveCode: 0 })],
    ['41 client leave', notify(10, 41, { leaveCode: 16 })],
  ])('does not quit on an ambiguous %s: it queries at once', (_name, event) => {
    const r = recordingAlive(noRestart);
    const outputs = r.send(event);
    expect(r.state).toBe('recording');
    expect(outputs).toContainEqual({
      kind: 'effect',
      recording: 'r1',
      type: 'query',
      priority: 'urgent',
      ...session(),
    });
  });

  it('does not quit on 71 with code 0 (a normal web stop is confirmed by other evidence)', () => {
    const r = recordingAlive(noRestart);
    r.send(notify(10, 71, { code: 0 }));
    expect(r.state).toBe('recording');
  });

  it('is not revived by events after a quit: 43/44, a late 31 after 11, life events', () => {
    const r = recordingAlive({ restartExcludedReasons: ['idle', 'exited'] });
    r.send(notify(10, 11, { exitStatus: 0 }));
    expect(r.state).toBe('quit');
    r.send(notify(11, 43), notify(12, 44), notify(13, 31), notify(14, 40), alive(15, 5));
    expect(r.state).toBe('quit');
    expect(r.context.quitReason).toBe('exited');
    expect(r.events('quit')).toHaveLength(1);
  });
});

describe('rule 2: a legacy callback’s 41 reads with the legacy leave-code table', () => {
  it('quits idle on bit 2 (no user but the recorder)', () => {
    const r = recordingAlive({ restartBudget: 0 });
    r.send(notify(40, 41, { leaveCode: 2, legacy: true }));
    expect(r.state).toBe('quit');
    expect(r.context.quitReason).toBe('idle');
  });

  it.each([
    ['4 (signal error)', 4],
    ['0 (init failed)', 0],
    ['1 (exit on a signal)', 1],
    ['8 (exit by the wrapper)', 8],
  ])('only queries on code %s', (_, leaveCode) => {
    const r = recordingAlive();
    const outputs = r.send(notify(40, 41, { leaveCode, legacy: true }));
    expect(r.state).toBe('recording');
    expect(outputs).toContainEqual(expect.objectContaining({ type: 'query', sid: 'S1' }));
  });

  it('reads today’s 41 with code 2 as ambiguous and code 4 as idle', () => {
    const ambiguous = recordingAlive();
    ambiguous.send(notify(40, 41, { leaveCode: 2 }));
    expect(ambiguous.state).toBe('recording');
    const idle = recordingAlive({ restartBudget: 0 });
    idle.send(notify(40, 41, { leaveCode: 4 }));
    expect(idle.context.quitReason).toBe('idle');
  });
});
