// Ownership of recordings among instances sharing a PostgreSQL log, on a virtual clock: new
// recordings spread by load, a silent owner's recordings taken over once its leases expire, and
// an owner that lost its lease fenced out of appends and calls.
import { afterEach, expect, it, vi } from 'vitest';
import { VirtualClock } from '../../src/index.js';
import { LeaseLostError, openPostgresLog, type PostgresEventLog } from '../../src/postgres.js';
import { Ownership, recordingLease } from '../../src/runtime/ownership.js';
import { sharedBy } from '../../src/runtime/sharing.js';
import { describePostgres, freshSchema } from '../fixtures/postgres.js';
import { query } from '../log/items.js';

const TTL = 30_000;

describePostgres('ownership of recordings on a shared log', (url) => {
  const opened: PostgresEventLog[] = [];
  const running: Ownership[] = [];
  afterEach(async () => {
    for (const ownership of running.splice(0)) await ownership.stop();
    for (const log of opened.splice(0)) await log.close();
  });

  async function cluster(count: number, candidates: () => readonly string[]) {
    const clock = new VirtualClock(1_000_000);
    const schema = freshSchema('own');
    const gained: [string, string][] = [];
    const members: { log: PostgresEventLog; ownership: Ownership }[] = [];
    for (let n = 0; n < count; n += 1) {
      const log = await openPostgresLog(url, { schema, clock, leaseTtlMs: TTL });
      opened.push(log);
      const ownership = await Ownership.start({
        log,
        instance: `host-${n}`,
        clock,
        logger: {},
        candidates,
        gained: (recording) => gained.push([recording, ownership.holder]),
        // Beats are the test's to give (a silent instance is one that does not beat).
        intervalMs: 100 * TTL,
      });
      running.push(ownership);
      members.push({ log, ownership });
    }
    return { clock, members, gained };
  }

  it('spreads new recordings over the live instances by load, each owned once', async () => {
    const recordings = ['r1', 'r2', 'r3', 'r4', 'r5', 'r6'];
    const { members, gained } = await cluster(3, () => recordings);
    // Every instance beats (in any order): each claims its share, none claims twice.
    for (const { ownership } of members) await ownership.beat();
    for (const { ownership } of members) await ownership.beat();
    expect(gained.map(([recording]) => recording).sort()).toEqual(recordings);
    expect(members.map(({ ownership }) => ownership.load).sort()).toEqual([2, 2, 2]);
    for (const recording of recordings) {
      expect(members.filter(({ ownership }) => ownership.owns(recording))).toHaveLength(1);
    }
  });

  it("takes a silent owner's recordings once its leases expire, and fences the old owner out", async () => {
    const recordings = ['r1', 'r2'];
    const { clock, members, gained } = await cluster(2, () => recordings);
    const [a, b] = members as [(typeof members)[0], (typeof members)[0]];
    await a.ownership.beat();
    await b.ownership.beat();
    const ofA = recordings.filter((r) => a.ownership.owns(r));
    expect(ofA).toHaveLength(1);
    const taken = ofA[0] as string;
    const stale = a.ownership.leaseOf(taken);
    // A falls silent (a pause, a partition): B keeps beating, A does not.
    clock.advanceBy(TTL - 1);
    await b.ownership.beat();
    expect(b.ownership.owns(taken)).toBe(false);
    clock.advanceBy(1);
    await b.ownership.beat();
    expect(b.ownership.owns(taken)).toBe(true);
    expect(gained.filter(([recording]) => recording === taken)).toHaveLength(2);
    expect(b.ownership.leaseOf(taken)?.epoch).toBe((stale?.epoch ?? 0) + 1);
    // A still believes it owns it until it checks: then no append and no call goes out.
    expect(a.ownership.owns(taken)).toBe(true);
    const record = {
      at: clock.now(),
      type: 'query',
      recording: taken,
      sid: 's',
      httpStatus: 200,
      body: {},
    } as const;
    const fence = sharedBy(a.ownership).fenceOf(record);
    await expect(
      a.log.append(`recording-${taken}`, [query(clock.now(), taken)], {
        expectedVersion: 'any',
        ...fence,
      }),
    ).rejects.toThrow(LeaseLostError);
    let sent = 0;
    const answer = await sharedBy(a.ownership).call(taken, async () => {
      sent += 1;
      return 'answered';
    });
    expect(answer).toBeNull();
    expect(sent).toBe(0);
    expect(a.ownership.owns(taken)).toBe(false);
    // The new owner's calls go out.
    expect(await sharedBy(b.ownership).call(taken, async () => 'answered')).toBe('answered');
  });

  it('hands every lease back on stop, so another instance takes them at its next beat', async () => {
    const recordings = ['r1', 'r2', 'r3'];
    const { members } = await cluster(2, () => recordings);
    const [a, b] = members as [(typeof members)[0], (typeof members)[0]];
    await a.ownership.beat();
    await b.ownership.beat();
    expect(a.ownership.load + b.ownership.load).toBe(3);
    await a.ownership.stop();
    // No waiting for the leases to expire: the clock has not moved.
    await b.ownership.beat();
    expect(b.ownership.load).toBe(3);
    expect((await b.log.leases.held()).filter((l) => l.name.startsWith('recording:'))).toHaveLength(
      3,
    );
    expect(recordingLease('r1')).toBe('recording:r1');
  });

  it('releases the lease of a recording that ended', async () => {
    let recordings = ['r1', 'r2'];
    const { members } = await cluster(1, () => recordings);
    const [a] = members as [(typeof members)[0]];
    await a.ownership.beat();
    expect(a.ownership.load).toBe(2);
    recordings = ['r2'];
    await a.ownership.beat();
    expect(a.ownership.owns('r1')).toBe(false);
    expect((await a.log.leases.held()).map((l) => l.name)).not.toContain('recording:r1');
  });

  it('keeps a recording claimed while a heartbeat was out: the beat did not ask for it', async () => {
    // A claim (a `want`, the look at another's expiry) runs beside the heartbeat. A lease taken
    // after the renewal ran is not in its answer: not lost, and renewed by the next beats.
    const wanted: string[] = [];
    const { members, gained } = await cluster(1, () => wanted);
    const [{ log, ownership }] = members as [(typeof members)[0]];
    const renewAll = log.leases.renewAll.bind(log.leases);
    let renewed: () => void = () => {};
    const renewalRan = new Promise<void>((resolve) => {
      renewed = resolve;
    });
    let answer: () => void = () => {};
    const answered = new Promise<void>((resolve) => {
      answer = resolve;
    });
    vi.spyOn(log.leases, 'renewAll').mockImplementationOnce(async (holder) => {
      const kept = await renewAll(holder);
      renewed();
      await answered;
      return kept;
    });
    const beating = ownership.beat();
    await renewalRan;
    wanted.push('r1');
    ownership.want('r1');
    // A bound, not a sleep: the claim's few round trips to PostgreSQL on a busy machine.
    await vi.waitFor(() => expect(gained.map(([recording]) => recording)).toEqual(['r1']), {
      timeout: 30_000,
    });
    answer();
    await beating;
    expect(ownership.owns('r1')).toBe(true);
    const held = (await log.leases.held()).find((l) => l.name === recordingLease('r1'));
    expect(held?.holder).toBe(ownership.holder);
    // Its owner runs its effects: an append fenced by the lease goes through.
    await expect(
      log.append('recording-r1', [query(1_000_000, 'r1')], {
        expectedVersion: 'any',
        ...sharedBy(ownership).fenceOf({
          at: 1_000_000,
          type: 'query',
          recording: 'r1',
          sid: 's',
          httpStatus: 200,
          body: {},
        }),
      }),
    ).resolves.toBeDefined();
  });

  it("drives a recording whose lease it holds in the database though the acquire's answer was lost", async () => {
    // The acquire committed and the connection broke before its answer: the database gives the
    // lease to this instance, which did not know it. The next look takes it up (before, every
    // beat renewed it and nobody drove the recording).
    const { members, gained } = await cluster(1, () => ['r1']);
    const [{ log, ownership }] = members as [(typeof members)[0]];
    const acquire = log.leases.acquire.bind(log.leases);
    vi.spyOn(log.leases, 'acquire').mockImplementationOnce(async (name, holder) => {
      await acquire(name, holder);
      throw new Error('Connection terminated unexpectedly');
    });
    await ownership.beat();
    expect(ownership.owns('r1')).toBe(false);
    const held = (await log.leases.held()).find((l) => l.name === recordingLease('r1'));
    expect(held?.holder).toBe(ownership.holder);
    await ownership.beat();
    expect(ownership.owns('r1')).toBe(true);
    expect(gained).toEqual([['r1', ownership.holder]]);
    expect(ownership.leaseOf('r1')?.epoch).toBe(held?.epoch);
  });
});
