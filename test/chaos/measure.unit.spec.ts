// The chaos suite's five figures count what they say: 0 on a run where nothing broke, and 1 for
// each kind of breakage planted in an otherwise clean run record.
import { describe, expect, it } from 'vitest';
import type { LogEntry, LogItem } from '../../src/index.js';
import type { DeliveryRecord, TrueRecording } from '../../src/sim/index.js';
import { notificationBody } from '../fixtures/agora.js';
import type { EdgeCall } from './agora-edge.js';
import { measure, type RunRecord } from './measure.js';

const SID = 'S1';
const body = notificationBody({
  eventType: 13,
  sid: SID,
  cname: 'room1',
  uid: '10002',
  sequence: 0,
});
const noticeId = body.noticeId as string;

function entries(items: readonly LogItem[]): LogEntry[] {
  return items.map((item, index) => ({
    position: index + 1,
    stream: 'r1',
    version: index + 1,
    at: item.at,
    item,
  })) as LogEntry[];
}

const start: LogItem = {
  kind: 'input',
  at: 1_000,
  record: { at: 1_000, type: 'start', recording: 'r1', cname: 'room1', uid: '10002', mode: 'mix' },
};
const started: LogItem = {
  kind: 'input',
  at: 2_000,
  record: { at: 2_000, type: 'started', recording: 'r1', resourceId: 'R1', sid: SID, uid: '10002' },
};
const notice: LogItem = {
  kind: 'input',
  at: 3_000,
  record: { at: 3_000, type: 'notification', body },
};

function session(sid: string, from: number, to: number | null): TrueRecording {
  return {
    type: 'recording',
    sid,
    resourceId: `R-${sid}`,
    cname: 'room1',
    mode: 'mix',
    startedAt: from,
    uid: '10002',
    uids: ['10002'],
    states: [{ at: from, state: 'starting' }],
    failovers: [],
    quit: to === null ? null : { at: to, cause: 'stopped' },
    files: [],
    faults: [],
  };
}

const delivery = {
  n: 0,
  at: 2_500,
  noticeId,
  eventType: 13,
  sid: SID,
  sequence: 0,
  attempt: 1,
  copy: 0,
  fault: 'none',
  body: JSON.stringify(body),
  outcome: { kind: 'answered', httpStatus: 200 },
} as unknown as DeliveryRecord;

const query: EdgeCall = {
  instance: 'host-a.1',
  at: 5_000,
  method: 'GET',
  path: `/v1/apps/A/cloud_recording/resourceid/R1/sid/${SID}/mode/mix/query`,
  body: '',
  fault: null,
};

const clean: RunRecord = {
  truth: [session(SID, 2_000, null)],
  deliveries: [delivery],
  entries: entries([start, started, notice]),
  acknowledged: [{ id: 0, type: 'start', recording: 'r1' }],
  calls: [query],
  leaseHeld: (instance, recording, at) =>
    instance === 'host-a.1' && recording === 'r1' && at >= 1_000 && at <= 10_000,
  crashes: 0,
};

describe('the chaos figures', () => {
  it('are all 0 for a run where nothing broke', () => {
    expect(measure(clean).figures).toEqual({
      acknowledgedLost: 0,
      appliedTwice: 0,
      twoLiveSessions: 0,
      callsWithoutLease: 0,
      crashes: 0,
    });
  });

  it('count an acknowledged webhook or command missing from the log', () => {
    const { figures, findings } = measure({
      ...clean,
      entries: entries([started, notice]),
      deliveries: [delivery, { ...delivery, noticeId: 'never-stored' }],
    });
    expect(figures.acknowledgedLost).toBe(2);
    expect(findings.lostNotices).toEqual(['never-stored']);
    expect(findings.lostCommands).toEqual([{ id: 0, type: 'start', recording: 'r1' }]);
  });

  it('count a notification stored at two positions', () => {
    const { figures } = measure({ ...clean, entries: entries([start, started, notice, notice]) });
    expect(figures.appliedTwice).toBeGreaterThan(0);
  });

  it('count two sessions of one channel live at once, and not one after the other', () => {
    const overlapping = measure({
      ...clean,
      truth: [session(SID, 2_000, 9_000), session('S2', 8_000, null)],
    });
    expect(overlapping.figures.twoLiveSessions).toBe(1);
    expect(overlapping.findings.overlaps[0]).toMatchObject({ from: 8_000, to: 9_000 });
    const inTurn = measure({
      ...clean,
      truth: [session(SID, 2_000, 8_000), session('S2', 8_000, null)],
    });
    expect(inTurn.figures.twoLiveSessions).toBe(0);
  });

  it('count a call made without the lease: too late, by another instance, or for nobody known', () => {
    const { figures, findings } = measure({
      ...clean,
      calls: [
        query,
        { ...query, at: 11_000 },
        { ...query, instance: 'host-b.1' },
        { ...query, path: '/v1/apps/A/cloud_recording/resourceid/R9/sid/S9/mode/mix/query' },
        {
          ...query,
          method: 'POST',
          path: '/v1/apps/A/cloud_recording/acquire',
          body: '{"cname":"room1","uid":"10002"}',
          at: 500,
        },
      ],
    });
    expect(figures.callsWithoutLease).toBe(4);
    expect(findings.callsWithoutLease.map((c) => c.recording)).toEqual(['r1', 'r1', null, 'r1']);
  });
});
