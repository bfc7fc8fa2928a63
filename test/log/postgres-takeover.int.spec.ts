// The lease primitives together, as the supervisors will use them: three instances on one
// database share 30 recordings; one freezes (its heartbeat stops), the others take its recordings
// over once its leases expire, and when it wakes its fenced appends are refused. Virtual time.
import { afterEach, expect, it } from 'vitest';
import { VirtualClock } from '../../src/index.js';
import {
  type Heartbeat,
  type Lease,
  LeaseLostError,
  openPostgresLog,
  type PostgresEventLog,
  startHeartbeat,
} from '../../src/postgres.js';
import { describePostgres, freshSchema } from '../fixtures/postgres.js';
import { stop } from './items.js';

const TTL = 9_000;
const BEAT = 3_000;
const RECORDINGS = Array.from({ length: 30 }, (_, n) => `recording-r${n}`);

interface Instance {
  readonly name: string;
  readonly log: PostgresEventLog;
  readonly heartbeat: Heartbeat;
  readonly owned: Map<string, Lease>;
}

describePostgres('PostgreSQL leases: take-over after an instance freezes', (url) => {
  const instances: Instance[] = [];
  afterEach(async () => {
    for (const each of instances.splice(0)) {
      each.heartbeat.stop();
      await each.log.close();
    }
  });

  it('moves a frozen instance’s recordings to the others within a lease time, and fences it out', async () => {
    const clock = new VirtualClock(0);
    const schema = freshSchema();
    for (const name of ['host-a', 'host-b', 'host-c']) {
      const log = await openPostgresLog(url, { schema, clock, leaseTtlMs: TTL });
      const owned = new Map<string, Lease>();
      const heartbeat = startHeartbeat(log.leases, {
        holder: name,
        clock,
        intervalMs: BEAT,
        onLost: (lost) => {
          for (const lease of lost) owned.delete(lease.name);
        },
      });
      instances.push({ name, log, heartbeat, owned });
    }
    const [a, b, c] = instances as [Instance, Instance, Instance];
    // Every instance tries every recording at once: each goes to exactly one.
    const claim = async (instance: Instance, recording: string) => {
      const lease = await instance.log.leases.acquire(recording, instance.name);
      if (lease === null) return;
      instance.owned.set(recording, lease);
      instance.heartbeat.track(lease);
    };
    await Promise.all(instances.flatMap((each) => RECORDINGS.map((r) => claim(each, r))));
    expect(instances.reduce((sum, each) => sum + each.owned.size, 0)).toBe(RECORDINGS.length);
    // Owners write for their recordings, fenced.
    const act = (instance: Instance, at: number) =>
      Promise.allSettled(
        [...instance.owned].map(([recording, lease]) =>
          instance.log.append(recording, [stop(at, recording.slice('recording-'.length))], {
            expectedVersion: 'any',
            fence: lease,
          }),
        ),
      );
    for (const each of instances) await act(each, 1);
    const frozen = new Map(a.owned);

    // host-a freezes: no more heartbeats. The others keep beating and look for free recordings.
    a.heartbeat.stop();
    let movedAt: number | null = null;
    while (movedAt === null) {
      clock.advanceBy(BEAT);
      await Promise.all([b.heartbeat.beat(), c.heartbeat.beat()]);
      await Promise.all([b, c].flatMap((each) => [...frozen.keys()].map((r) => claim(each, r))));
      if ([...frozen.keys()].every((r) => b.owned.has(r) || c.owned.has(r))) movedAt = clock.now();
    }
    // Taken over once expired: after at most a lease time and a beat from the last renewal.
    expect(movedAt).toBeGreaterThanOrEqual(TTL);
    expect(movedAt).toBeLessThanOrEqual(TTL + BEAT);
    for (const [recording, old] of frozen) {
      const now = b.owned.get(recording) ?? c.owned.get(recording);
      expect(now?.epoch).toBe(old.epoch + 1);
    }

    // host-a wakes up, still believing it owns its recordings: every write is refused.
    const late = await act(a, 2);
    expect(late.every((outcome) => outcome.status === 'rejected')).toBe(true);
    expect(late.every((o) => o.status === 'rejected' && o.reason instanceof LeaseLostError)).toBe(
      true,
    );
    // Its first beat tells it what it lost.
    await a.heartbeat.beat();
    expect(a.owned.size).toBe(0);
    // The new owners write; each recording holds its first stop and one from its new owner.
    await Promise.all([act(b, 3), act(c, 3)]);
    for (const recording of frozen.keys()) {
      const entries = await b.log.readStream(recording);
      expect(entries.map((entry) => entry.at)).toEqual([1, 3]);
    }
    const live = await b.log.leases.held();
    expect(live.map((lease) => lease.holder).sort()).toEqual(
      [...b.owned.keys()].map(() => 'host-b').concat([...c.owned.keys()].map(() => 'host-c')),
    );
  });
});
