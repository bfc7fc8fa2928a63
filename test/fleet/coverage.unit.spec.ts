// Coverage against the truth: the time recwatch says was recorded against the time it was.
import { describe, expect, it } from 'vitest';
import type { RecordingManifest } from '../../src/core/index.js';
import { coverageScore, trueRecorded } from '../../src/fleet/coverage.js';
import type { FleetPlan } from '../../src/fleet/plan.js';
import type { TrueRecording } from '../../src/sim/index.js';

const plan: FleetPlan = {
  recording: 'r1',
  cname: 'room-1',
  uid: '1000',
  mode: 'mix',
  startAt: 0,
  stopAt: 100,
};
const sid = (states: [number, TrueRecording['states'][number]['state']][]): TrueRecording => ({
  type: 'recording',
  sid: 'S',
  resourceId: 'R',
  cname: 'room-1',
  mode: 'mix',
  startedAt: states[0]?.[0] ?? 0,
  uid: '1000',
  uids: ['1000'],
  states: states.map(([at, state]) => ({ at, state })),
  failovers: [],
  quit: null,
  files: [],
  faults: [],
});

describe('coverageScore', () => {
  it('takes the truth’s recording state as recorded, failover windows out', () => {
    expect(
      trueRecorded(
        [
          sid([
            [0, 'starting'],
            [2, 'recording'],
            [40, 'failoverPending'],
            [70, 'recording'],
          ]),
        ],
        100,
      ),
    ).toEqual([
      { from: 2, to: 40 },
      { from: 70, to: 100 },
    ]);
  });

  it('counts as error the time one side says recorded and the other not, within the wanted time', () => {
    const truth = [
      sid([
        [0, 'starting'],
        [2, 'recording'],
        [40, 'failoverPending'],
        [70, 'recording'],
      ]),
    ];
    const manifest = {
      coverage: {
        recorded: [
          { from: 3, to: 30 },
          { from: 72, to: 150 },
        ],
      },
    } as unknown as RecordingManifest;
    const score = coverageScore([plan], 0, 200, truth, () => manifest);
    // Wanted 0..100; true 2..40 and 70..100 (68); said 3..30 and 72..100 (55); wrong 1+10+2 = 13.
    expect(score).toEqual({ wantedMs: 100, recordedMs: 55, trueRecordedMs: 68, error: 0.13 });
  });
});
