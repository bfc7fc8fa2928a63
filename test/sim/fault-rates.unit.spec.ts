import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock/index.js';
import { Channel } from '../../src/sim/channel.js';
import { Delivery } from '../../src/sim/delivery.js';
import { FaultSchedule } from '../../src/sim/fault-schedule.js';
import { drawCallFault, drawFailoverWindow } from '../../src/sim/faults.js';
import { Prng } from '../../src/sim/prng.js';
import { PROFILES, resolveProfile } from '../../src/sim/profiles.js';

// Within 4.5 standard deviations of a binomial count: fails by chance about once in 150 000 runs,
// and the seeds are fixed, so it never flickers.
function expectRate(count: number, draws: number, p: number): void {
  const sd = Math.sqrt(draws * p * (1 - p));
  expect(Math.abs(count - draws * p)).toBeLessThanOrEqual(4.5 * sd + 1);
}

const N = 10_000;
const clean = PROFILES.clean;

describe('faults happen at their configured rates', () => {
  it.each([
    ['processKill', 'processKillPerHour'],
    ['serverLoss', 'serverLossPerHour'],
    ['abnormalExit', 'abnormalExitPerHour'],
  ] as const)('%s strikes at its rate per hour of recording', (kind, key) => {
    const schedule = new FaultSchedule(1, 'c', 0, { ...clean.life, [key]: 2 }, 0);
    const faults = schedule.until(N * 1_800_000);
    expect(new Set(faults.map((f) => f.kind))).toEqual(new Set([kind]));
    // A Poisson process at 2/h: N faults in about N half-hours (standard error 1 %).
    expect(faults.length / N).toBeCloseTo(1, 1);
    expect(schedule.nextAfter(0, 'mix')).toEqual(faults[0]);
  });

  it('web faults strike only in web mode', () => {
    const life = {
      ...clean.life,
      webRecorderStopPerHour: 1,
      capabilityLimitPerHour: 1,
      maxRecordingHourPerHour: 1,
    };
    const schedule = new FaultSchedule(2, 'c', 0, life, 0);
    expect(schedule.nextAfter(0, 'individual')).toBeUndefined();
    expect(schedule.nextAfter(0, 'raw')).toBeUndefined();
    const kinds = new Map<string, number>();
    let at = 0;
    for (let i = 0; i < N; i++) {
      const fault = schedule.nextAfter(at, 'web')!;
      kinds.set(fault.kind, (kinds.get(fault.kind) ?? 0) + 1);
      at = fault.at;
    }
    expectRate(kinds.get('webRecorderStop') ?? 0, N, 1 / 3);
    expectRate(kinds.get('capabilityLimit') ?? 0, N, 1 / 3);
    expectRate(kinds.get('maxRecordingHour') ?? 0, N, 1 / 3);
  });

  it('failover windows: a killed process within 5–30 s, a lost server within 60–90 s', () => {
    const prng = new Prng(3);
    for (let i = 0; i < 1_000; i++) {
      const kill = drawFailoverWindow(prng, 'processKill');
      const loss = drawFailoverWindow(prng, 'serverLoss');
      expect(kill).toBeGreaterThanOrEqual(5_000);
      expect(kill).toBeLessThanOrEqual(30_000);
      expect(loss).toBeGreaterThanOrEqual(60_000);
      expect(loss).toBeLessThanOrEqual(90_000);
    }
  });

  it.each([
    ['start', 'serverError', { startServerError: 0.2 }, 0.2],
    ['start', 'notCompleted', { startNotCompleted: 0.1 }, 0.1],
    ['query', 'serverError', { queryServerError: 0.1 }, 0.1],
    ['query', 'notCompleted', { queryNotCompleted: 0.05 }, 0.05],
  ] as const)('%s answers %s at its rate', (call, kind, rates, p) => {
    const prng = new Prng(4);
    const api = { ...clean.api, ...rates };
    let count = 0;
    const statuses = new Set<string>();
    for (let i = 0; i < N; i++) {
      const fault = drawCallFault(prng, api, call);
      if (fault === undefined) continue;
      statuses.add(`${fault.kind} ${fault.httpStatus} ${fault.body.code}`);
      count++;
    }
    expect([...statuses].sort()).toEqual(
      kind === 'notCompleted'
        ? ['notCompleted 206 65']
        : ['serverError 500 62', 'serverError 502 502', 'serverError 504 62'],
    );
    expectRate(count, N, p);
  });

  it.each([
    ['lost', { lost: 0.1 }, 0.1],
    ['duplicated', { duplicated: 0.05 }, 0.05],
    ['delayed', { delayed: 0.05 }, 0.05],
    ['reordered', { reordered: 0.2 }, 0.2],
  ] as const)('notifications are %s at their rate', async (fault, rates, p) => {
    const clock = new VirtualClock(0);
    const delivery = new Delivery({
      clock,
      prng: new Prng(5),
      faults: resolveProfile('clean', { delivery: rates }).delivery,
      webhookUrl: undefined,
      secret: 's',
      retryDelaysMs: [],
      ackTimeoutMs: 10_000,
    });
    const n = 5_000;
    for (let i = 0; i < n; i++) {
      void delivery.send({
        noticeId: `n${i}`,
        eventType: 33,
        cname: 'c',
        uid: '1',
        sid: 's',
        sequence: i,
        sendts: 0,
        details: {},
      });
    }
    clock.advanceBy(60_000);
    await delivery.idle();
    const records = delivery.list();
    expectRate(records.filter((r) => r.fault === fault).length, n, p);
    if (fault === 'lost')
      expect(
        records.filter((r) => r.outcome?.kind === 'notSent' && r.outcome.reason === 'lost'),
      ).toHaveLength(records.filter((r) => r.fault === 'lost').length);
    if (fault === 'duplicated')
      expect(records.filter((r) => r.copy === 1).length).toBe(
        records.filter((r) => r.fault === 'duplicated').length,
      );
    if (fault === 'delayed')
      for (const r of records.filter((r) => r.fault === 'delayed'))
        expect(r.at).toBeGreaterThanOrEqual(2_000);
  });

  it('with redundant delivery every notification goes out twice', async () => {
    const clock = new VirtualClock(0);
    const delivery = new Delivery({
      clock,
      prng: new Prng(6),
      faults: resolveProfile('redundantReordered', { delivery: { reordered: 0, duplicated: 0 } })
        .delivery,
      webhookUrl: undefined,
      secret: 's',
      retryDelaysMs: [],
      ackTimeoutMs: 10_000,
    });
    for (let i = 0; i < 100; i++) {
      void delivery.send({
        noticeId: `n${i}`,
        eventType: 40,
        cname: 'c',
        uid: '1',
        sid: 's',
        sequence: i,
        sendts: 0,
        details: {},
      });
    }
    await delivery.idle();
    const byNotice = new Map<string, { copy: number }[]>();
    for (const r of delivery.list())
      byNotice.set(r.noticeId, [...(byNotice.get(r.noticeId) ?? []), r]);
    expect(byNotice.size).toBe(100);
    for (const copies of byNotice.values()) expect(copies.map((c) => c.copy)).toEqual([0, 1]);
  });

  it('a channel empties for good (an idle exit) at its rate per emptying', () => {
    const hosts = { occupiedMeanMs: 60_000, idleExit: 0.2, longGapMs: 1_800_000 };
    const channel = new Channel('c', 0, new Prng(7), hosts);
    let emptyings = 0;
    let long = 0;
    let at = 0;
    while (emptyings < 3_000) {
      const next = channel.nextChangeAfter(at)!;
      const before = channel.hostsAt(at).length;
      const after = channel.hostsAt(next).length;
      if (before > 0 && after === 0) {
        emptyings++;
        if (channel.nextChangeAfter(next)! - next === hosts.longGapMs) long++;
      }
      at = next;
    }
    expectRate(long, emptyings, 0.2);
  });
});
