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

  // Rule 7 (docs/lifecycle.md; lifecycle-rules.md rule 7): 3 restarts per recording, its
  // lifetime, by default. lostExits seed 4, recording-35: four unasked quits, three restarts, the
  // 4th quit ends failed/restartBudgetExhausted, and the host stops it later.
  describe("rule 7's restart budget, from the truth's quits", () => {
    const quits = [10, 20, 30, 40].map((m) => m * MIN);
    // Session n runs from the restart after quit n-1 (5 s later) until quit n.
    const sessions = (count: number) =>
      quits.slice(0, count).map((quitAt, n) => {
        const from = n === 0 ? 0 : quits[n - 1]! + 5_000;
        return session(
          'room-1',
          `S${n + 1}`,
          from,
          [
            [from, 'recording'],
            [quitAt, 'quit'],
          ],
          { at: quitAt, cause: n % 2 === 0 ? 'abnormalExit' : 'webRecorderStopped' },
        );
      });
    const restartsAfter = (count: number) =>
      quits.slice(0, count).map((quitAt) => ({ recording: 'r1', at: quitAt + 2_000 }));
    const believed = (count: number, last: BeliefChange['belief'][]) =>
      line(
        [0, 'live'],
        ...quits.slice(0, count).flatMap((quitAt): [number, BeliefChange['belief']][] => [
          [quitAt + 2_000, 'ended'],
          [quitAt + 5_000, 'live'],
        ]),
        ...last.map((belief, i): [number, BeliefChange['belief']] => [
          quits[count]! + 2_000 + i * 10 * MIN,
          belief,
        ]),
      );

    it('the quit after the 3rd restart is not a missed restart, and failed is the right end', () => {
      const result = score(
        input({
          plans: [plan(1)],
          truth: sessions(4),
          restarts: restartsAfter(3),
          timelines: new Map([['r1', believed(3, ['ended'])]]),
        }),
      );
      expect(result.missedRestarts).toBe(0);
      expect(result.spuriousRestarts).toBe(0);
      expect(result.finalAccuracy).toBe(1);
      expect(result.detectWithoutNotification).toMatchObject({ detected: 4, missed: 0 });
    });

    it("the host's later stop of a recording given up by the budget: failed (ended) is right, and so is stopped", () => {
      const stopAt = 50 * MIN;
      const failed = score(
        input({
          plans: [plan(1, stopAt)],
          truth: sessions(4),
          restarts: restartsAfter(3),
          timelines: new Map([['r1', believed(3, ['ended'])]]),
        }),
      );
      expect(failed.missedRestarts).toBe(0);
      expect(failed.finalAccuracy).toBe(1);
      // Wrong only for the 2 s each quit took to be seen.
      expect(failed.wrongTimeShare).toBeCloseTo((4 * 2_000) / END, 6);
      const stopped = score(
        input({
          plans: [plan(1, stopAt)],
          truth: sessions(4),
          restarts: restartsAfter(3),
          timelines: new Map([['r1', believed(3, ['ended', 'stopped'])]]),
        }),
      );
      expect(stopped.finalAccuracy).toBe(1);
    });

    it('a quit within the budget left without a restart is still missed', () => {
      const result = score(
        input({
          plans: [plan(1)],
          truth: sessions(3),
          restarts: restartsAfter(2),
          timelines: new Map([['r1', believed(2, ['ended'])]]),
        }),
      );
      expect(result.missedRestarts).toBe(1);
    });

    it("an observer without a budget that restarts the 4th quit is not spurious (the truth's recorder was gone)", () => {
      const result = score(
        input({
          plans: [plan(1)],
          truth: [
            ...sessions(4),
            session('room-1', 'S5', quits[3]! + 5_000, [[quits[3]! + 5_000, 'recording']]),
          ],
          restarts: restartsAfter(4),
          timelines: new Map([['r1', believed(4, [])]]),
        }),
      );
      expect(result).toMatchObject({ missedRestarts: 0, spuriousRestarts: 0, finalAccuracy: 1 });
    });

    it("the observer's own stop of a second session does not spend the budget", () => {
      const truth = [
        // A second session the observer stopped while the first ran: not the recording's quit.
        session(
          'room-1',
          'X',
          5 * MIN,
          [
            [5 * MIN, 'recording'],
            [6 * MIN, 'stopped'],
          ],
          { at: 6 * MIN, cause: 'stopped' },
        ),
        ...sessions(3),
      ];
      const result = score(
        input({
          plans: [plan(1)],
          truth,
          restarts: restartsAfter(2),
          timelines: new Map([['r1', believed(2, ['ended'])]]),
        }),
      );
      // Two restarts for three quits: the 3rd is owed one (the observer's stop spent none).
      expect(result.missedRestarts).toBe(1);
    });
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
