// The score against hand-made truth: each figure counts what docs/truth-under-faults.md says.
import { describe, expect, it } from 'vitest';
import type { FleetPlan } from '../../src/fleet/plan.js';
import {
  type BeliefChange,
  detectionStats,
  GRACE_MS,
  percentile,
  type ScoreInput,
  score,
  trueBelief,
} from '../../src/fleet/score.js';
import type { DeliveryRecord, TrueRecording } from '../../src/sim/index.js';

const MIN = 60_000;
const END = 60 * MIN;

const plan = (n: number, stopAt: number | null = null): FleetPlan => ({
  recording: `r${n}`,
  cname: `room-${n}`,
  uid: String(1000 + n),
  mode: 'mix',
  startAt: 0,
  stopAt,
});

function session(
  cname: string,
  sid: string,
  startedAt: number,
  states: [number, TrueRecording['states'][number]['state']][],
  quit: TrueRecording['quit'] = null,
): TrueRecording {
  return {
    type: 'recording',
    sid,
    resourceId: `R-${sid}`,
    cname,
    mode: 'mix',
    uid: '1',
    startedAt,
    uids: ['1'],
    states: states.map(([at, state]) => ({ at, state })),
    failovers: [],
    quit,
    files: [],
    faults: [],
  };
}

const delivery = (
  sid: string,
  eventType: number,
  fault: DeliveryRecord['fault'],
): DeliveryRecord => ({
  n: 0,
  at: 0,
  noticeId: 'n',
  eventType,
  sid,
  sequence: 0,
  attempt: 1,
  copy: 0,
  fault,
  body: '',
});

function input(parts: Partial<ScoreInput> & { plans: FleetPlan[] }): ScoreInput {
  return {
    t0: 0,
    end: END,
    timelines: new Map(),
    restarts: [],
    truth: [],
    deliveries: [],
    requests: [],
    ...parts,
  };
}

const line = (...changes: [number, BeliefChange['belief']][]) =>
  changes.map(([at, belief]) => ({ at, belief }));

describe('the score against the ground truth', () => {
  it('a recording believed live all along while it records is right, never wrong', () => {
    const result = score(
      input({
        plans: [plan(1)],
        truth: [
          session('room-1', 'S1', 1_000, [
            [1_000, 'starting'],
            [3_000, 'recording'],
          ]),
        ],
        timelines: new Map([['r1', line([0, 'live'])]]),
      }),
    );
    expect(result.finalAccuracy).toBe(1);
    // Believed live from 0, truly live from 1 s: 1 s of 60 min wrong.
    expect(result.wrongTimeShare).toBeCloseTo(1_000 / END, 6);
    expect(result.spuriousRestarts).toBe(0);
    expect(result.doubleRecordings).toBe(0);
  });

  it('a quit never seen: wrong at the end, missed detection, missed restart', () => {
    const quitAt = 20 * MIN;
    const result = score(
      input({
        plans: [plan(1)],
        truth: [
          session(
            'room-1',
            'S1',
            0,
            [
              [0, 'recording'],
              [quitAt, 'quit'],
            ],
            {
              at: quitAt,
              cause: 'abnormalExit',
            },
          ),
        ],
        deliveries: [delivery('S1', 11, 'lost'), delivery('S1', 31, 'lost')],
        timelines: new Map([['r1', line([0, 'live'])]]),
      }),
    );
    expect(result.finalAccuracy).toBe(0);
    expect(result.wrongTimeShare).toBeCloseTo((END - quitAt) / END, 6);
    expect(result.detectWithoutNotification).toMatchObject({ detected: 0, missed: 1 });
    expect(result.detectWithNotification).toMatchObject({ detected: 0, missed: 0 });
    expect(result.missedRestarts).toBe(1);
  });

  it('a quit seen and restarted: detection time split by whether its notification arrived', () => {
    const quitAt = 20 * MIN;
    const result = score(
      input({
        plans: [plan(1), plan(2)],
        truth: [
          session(
            'room-1',
            'S1',
            0,
            [
              [0, 'recording'],
              [quitAt, 'quit'],
            ],
            {
              at: quitAt,
              cause: 'abnormalExit',
            },
          ),
          session('room-1', 'S2', quitAt + 5_000, [[quitAt + 5_000, 'recording']]),
          session(
            'room-2',
            'S3',
            0,
            [
              [0, 'recording'],
              [quitAt, 'quit'],
            ],
            {
              at: quitAt,
              cause: 'abnormalExit',
            },
          ),
          session('room-2', 'S4', quitAt + 90_000, [[quitAt + 90_000, 'recording']]),
        ],
        deliveries: [delivery('S1', 11, 'none'), delivery('S3', 11, 'lost')],
        restarts: [
          { recording: 'r1', at: quitAt + 2_000 },
          { recording: 'r2', at: quitAt + 80_000 },
        ],
        timelines: new Map([
          ['r1', line([0, 'live'], [quitAt + 2_000, 'ended'], [quitAt + 5_000, 'live'])],
          ['r2', line([0, 'live'], [quitAt + 80_000, 'ended'], [quitAt + 90_000, 'live'])],
        ]),
      }),
    );
    expect(result.finalAccuracy).toBe(1);
    expect(result.detectWithNotification).toMatchObject({ detected: 1, medianMs: 2_000 });
    expect(result.detectWithoutNotification).toMatchObject({ detected: 1, medianMs: 80_000 });
    expect(result.spuriousRestarts).toBe(0);
    expect(result.missedRestarts).toBe(0);
    expect(result.doubleRecordings).toBe(0);
  });

  it('a restart while the recording was alive is spurious and, once both run, a double recording', () => {
    const result = score(
      input({
        plans: [plan(1)],
        truth: [
          session('room-1', 'S1', 0, [
            [0, 'recording'],
            [10 * MIN, 'failoverPending'],
            [11 * MIN, 'recording'],
          ]),
          session('room-1', 'S2', 10 * MIN + 30_000, [[10 * MIN + 30_000, 'recording']]),
        ],
        restarts: [{ recording: 'r1', at: 10 * MIN + 30_000 }],
        timelines: new Map([['r1', line([0, 'live'])]]),
      }),
    );
    expect(result.spuriousRestarts).toBe(1);
    expect(result.doubleRecordings).toBe(1);
    // A session failing over is still a recorder of the channel: both count from the restart.
    expect(result.doubleRecordingMs).toBe(END - (10 * MIN + 30_000));
  });

  it('a host stop: stopped is right once asked, even for a recorder that had quit before', () => {
    const stopAt = 30 * MIN;
    expect(
      trueBelief(
        [
          session('c', 'S', 0, [
            [0, 'recording'],
            [stopAt, 'stopped'],
          ]),
        ],
        stopAt,
        stopAt,
      ),
    ).toBe('stopped');
    expect(
      trueBelief(
        [
          session('c', 'S', 0, [
            [0, 'recording'],
            [5, 'quit'],
          ]),
        ],
        stopAt,
        stopAt + 1,
      ),
    ).toBe('stopped');
    expect(
      trueBelief(
        [
          session('c', 'S', 0, [
            [0, 'recording'],
            [5, 'quit'],
          ]),
        ],
        null,
        stopAt,
      ),
    ).toBe('ended');
    expect(trueBelief([], null, 0)).toBe('ended');
  });

  it('a quit the host stops before anyone could restart it is neither a missed restart nor a quit seen', () => {
    // failoverStorm seed 2: the 4th failure at 52:56, the host's stop 15 s later, before Agora's
    // 11 (sent when the failover window ends) could tell anyone. Nobody owed a restart.
    const quitAt = 52 * MIN;
    const stopAt = quitAt + 15_000;
    const result = score(
      input({
        plans: [plan(1, stopAt)],
        truth: [
          session(
            'room-1',
            'S1',
            0,
            [
              [0, 'recording'],
              [quitAt, 'quit'],
            ],
            { at: quitAt, cause: 'haExhausted' },
          ),
        ],
        timelines: new Map([['r1', line([0, 'live'], [stopAt, 'stopped'])]]),
      }),
    );
    expect(result.missedRestarts).toBe(0);
    expect(result.detectWithoutNotification).toMatchObject({ detected: 0, missed: 0 });
    expect(result.finalAccuracy).toBe(1);
  });

  it('a quit the host stops only after the restart window is still a missed restart', () => {
    const quitAt = 20 * MIN;
    const result = score(
      input({
        plans: [plan(1, 40 * MIN)],
        truth: [
          session(
            'room-1',
            'S1',
            0,
            [
              [0, 'recording'],
              [quitAt, 'quit'],
            ],
            { at: quitAt, cause: 'abnormalExit' },
          ),
        ],
        timelines: new Map([['r1', line([0, 'live'], [40 * MIN, 'stopped'])]]),
      }),
    );
    expect(result.missedRestarts).toBe(1);
    expect(result.detectWithoutNotification).toMatchObject({ detected: 0, missed: 1 });
  });

  it("a quit at the host's maxRecordingHour is not owed a restart, and a restart after it is spurious", () => {
    const quitAt = 20 * MIN;
    const ended = session(
      'room-1',
      'S1',
      0,
      [
        [0, 'recording'],
        [quitAt, 'quit'],
      ],
      { at: quitAt, cause: 'maxRecordingHour' },
    );
    const left = score(
      input({
        plans: [plan(1)],
        truth: [ended],
        timelines: new Map([['r1', line([0, 'live'], [quitAt + 1_000, 'ended'])]]),
      }),
    );
    expect(left.missedRestarts).toBe(0);
    expect(left.spuriousRestarts).toBe(0);
    const restarted = score(
      input({
        plans: [plan(1)],
        truth: [
          ended,
          session('room-1', 'S2', quitAt + 1_000, [
            [quitAt + 1_000, 'starting'],
            [quitAt + 3_000, 'recording'],
          ]),
        ],
        restarts: [{ recording: 'r1', at: quitAt + 1_000 }],
        timelines: new Map([['r1', line([0, 'live'])]]),
      }),
    );
    expect(restarted.spuriousRestarts).toBe(1);
    expect(restarted.perRecording[0]).toMatchObject({ spurious: 1, missed: 0 });
  });

  it('an exit notification of an unsubscribed event type never reached the webhook', () => {
    const quitAt = 20 * MIN;
    const result = score(
      input({
        plans: [plan(1)],
        truth: [
          session(
            'room-1',
            'S1',
            0,
            [
              [0, 'recording'],
              [quitAt, 'quit'],
            ],
            { at: quitAt, cause: 'abnormalExit' },
          ),
        ],
        deliveries: [delivery('S1', 11, 'unsubscribed')],
        timelines: new Map([['r1', line([0, 'live'], [quitAt + 5_000, 'ended'])]]),
      }),
    );
    expect(result.detectWithoutNotification).toMatchObject({ detected: 1, medianMs: 5_000 });
    expect(result.detectWithNotification).toMatchObject({ detected: 0 });
  });

  it('a change in the last minutes not seen yet is neither wrong at the end nor a missed quit', () => {
    const quitAt = END - GRACE_MS / 2;
    const result = score(
      input({
        plans: [plan(1)],
        truth: [
          session(
            'room-1',
            'S1',
            0,
            [
              [0, 'recording'],
              [quitAt, 'quit'],
            ],
            { at: quitAt, cause: 'abnormalExit' },
          ),
        ],
        timelines: new Map([['r1', line([0, 'live'])]]),
      }),
    );
    expect(result.finalAccuracy).toBe(1);
    expect(result.detectWithNotification.missed + result.detectWithoutNotification.missed).toBe(0);
  });

  it('REST calls and 429s are counted from the requests', () => {
    const result = score(
      input({
        plans: [],
        requests: [{ httpStatus: 200 }, { httpStatus: 429 }, { httpStatus: 404 }],
      }),
    );
    expect(result).toMatchObject({ restCalls: 3, rateLimited: 1, recordings: 0, finalAccuracy: 1 });
  });

  it('percentiles by nearest rank; stats count the missed', () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(percentile([1, 2, 3, 4], 0.95)).toBe(4);
    expect(detectionStats([3, null, 1])).toEqual({
      detected: 2,
      missed: 1,
      medianMs: 1,
      p95Ms: 3,
      timesMs: [1, 3],
    });
  });
});
