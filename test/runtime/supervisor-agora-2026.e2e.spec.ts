// Issue 26, end to end: each kind of fault Agora's 2026 pages and the real reports describe, met by
// a supervisor with its shipped defaults against the simulator (src/sim), on one virtual clock,
// and the supervisor's picture compared with the simulator's ground truth. The rule of each is in
// docs/lifecycle.md; its unit test on both interpreters is in test/machines or test/core.
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { RecordingMode } from '../../src/index.js';
import type { Simulator } from '../../src/sim/index.js';
import {
  compareWithTruth,
  SIM_T0,
  type SimOptions,
  simSupervised,
} from '../fixtures/sim-supervised.js';
import { client } from '../sim/helpers.js';

type Harness = Awaited<ReturnType<typeof simSupervised>>;
let harness: Harness | undefined;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await harness?.close();
  harness = undefined;
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const SECOND = 1_000;
const MINUTE = 60_000;
const alwaysHost = (...rooms: string[]) =>
  Object.fromEntries(rooms.map((room) => [room, [{ uid: 4411, fromMs: 0 }]]));

async function open(options: SimOptions): Promise<Harness> {
  harness = await simSupervised(options);
  return harness;
}

const start = (h: Harness, recording: string, mode: RecordingMode = 'mix', uid = '1001') =>
  h.supervisor.start({
    recording,
    cname: `room-${recording}`,
    uid,
    mode,
    backupUid: String(Number(uid) + 1),
  });

/** The simulator's answered calls of one kind (`acquire`, `start`, `query`, `stop`). */
const calls = (h: Harness, kind: 'acquire' | 'start' | 'query' | 'stop') =>
  h.sim.requests().filter((r) => r.path.endsWith(`/${kind}`));

const eventsOf = (h: Harness, type: string) => h.events.filter((e) => e.type === type);

/**
 * Event 1 (fatal, errorLevel 5) from the session's current recorder, now: the body of its last
 * notification with the next sequence number.
 */
function fatalError(h: Harness): unknown {
  const [session] = h.recordings();
  const last = h.sim
    .deliveries()
    .filter((d) => d.sid === session?.sid)
    .at(-1);
  if (session === undefined || last === undefined) throw new Error('no notification to follow');
  const body = JSON.parse(last.body) as { payload: Record<string, unknown> } & Record<
    string,
    unknown
  >;
  const now = h.clock.now();
  return {
    ...body,
    noticeId: `fatal-${session.sid}`,
    eventType: 1,
    notifyMs: now,
    payload: {
      ...body.payload,
      uid: session.uids.at(-1),
      sequence: last.sequence + 1,
      sendts: now,
      details: {
        msgName: 'recorder_error',
        module: 0,
        errorLevel: 5,
        errorCode: 30,
        stat: 0,
        errorMsg: 'recorder down',
      },
    },
  };
}

/**
 * A loopback proxy in front of the simulator: every call reaches Agora at once, and its answer
 * goes back when `release(path)` says so (checked every few ms; null: at once). A slow network.
 */
async function slowAnswers(
  sim: Simulator,
  release: (path: string) => (() => boolean) | null,
): Promise<string> {
  const target = new URL(sim.baseUrl);
  const server = createServer((incoming, answer) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const forward = request(
        {
          host: target.hostname,
          port: target.port,
          method: incoming.method,
          path: incoming.url,
          headers: incoming.headers,
        },
        (response) => {
          const body: Buffer[] = [];
          response.on('data', (chunk: Buffer) => body.push(chunk));
          response.on('end', () => {
            const ready = release(incoming.url ?? '');
            const send = () => {
              if (ready !== null && !ready()) return void setTimeout(send, 2);
              answer.writeHead(response.statusCode ?? 502, response.headers);
              answer.end(Buffer.concat(body));
            };
            send();
          });
        },
      );
      forward.on('error', () => answer.destroy());
      forward.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * Moves the clock by `ms` without waiting for the supervisor's calls to be answered (one may be
 * held on purpose), then lets the event loop run until the simulator is quiet for a while.
 */
async function stepWithoutSettling(h: Harness, ms: number): Promise<void> {
  h.clock.advanceBy(ms);
  // Deliveries in flight end when the webhook answered, after the durable append.
  await h.sim.settle();
  let activity = h.sim.activity();
  for (let quiet = 0; quiet < 30; ) {
    await new Promise((resolve) => setImmediate(resolve));
    const now = h.sim.activity();
    quiet = now === activity ? quiet + 1 : 0;
    activity = now;
  }
}

/** Advances in steps until `done` holds, or throws after `limitMs`. */
async function until(h: Harness, done: () => boolean, limitMs: number, stepMs = SECOND) {
  for (let waited = 0; !done(); waited += stepMs) {
    if (waited >= limitMs) throw new Error(`not reached within ${limitMs} ms`);
    await h.advance(stepMs);
  }
}

describe("issue 26: Agora's 2026 faults, end to end against the simulator", () => {
  it('1. a start refused 400 code 406 (the App ID is at its concurrent-task quota) is retried later, not failed', async () => {
    // One task at a time: the second recording's start meets 406 vendor_over_load until the
    // first one stops.
    const h = await open({
      seed: 26,
      concurrencyLimit: 1,
      hosts: alwaysHost('room-r0', 'room-r1'),
    });
    await start(h, 'r0');
    await h.advance(10 * SECOND);
    await start(h, 'r1', 'mix', '2001');
    await h.advance(40 * SECOND);
    const refusals = h.sim.truth().filter((r) => r.type === 'startRefused');
    expect(refusals.length).toBeGreaterThan(0);
    expect(refusals[0]).toMatchObject({ httpStatus: 400, code: 406, reason: 'overload' });
    expect(h.supervisor.get('r1')?.state).toBe('starting');
    await h.supervisor.stop('r0');
    await h.advance(4 * MINUTE);
    expect(h.supervisor.get('r1')).toMatchObject({ state: 'recording', quitReason: null });
    expect(eventsOf(h, 'failed')).toEqual([]);
    expect(compareWithTruth(h)).toEqual([]);
    expect(h.live().map((s) => s.cname)).toEqual(['room-r1']);
  });

  it('2. a stop answered 404 after a failover hint is not proof: the recording is stopped once it lives again', async () => {
    const h = await open({
      seed: 26,
      hosts: alwaysHost('room-r1'),
      overrides: { life: { serverLossPerHour: 6 } },
    });
    await start(h, 'r1');
    await until(
      h,
      () => h.recordings()[0]?.states.at(-1)?.state === 'failoverPending',
      60 * MINUTE,
    );
    // The hint: Agora's fatal error (event 1, errorLevel 5) from the recorder that went down,
    // which the simulator does not send itself; the host stops the recording 5 s later.
    await h.supervisor.receiveWebhook(fatalError(h));
    await h.advance(5 * SECOND);
    await h.supervisor.stop('r1');
    await h.advance(5 * MINUTE);
    const [session] = h.recordings();
    expect(session?.faults.map((f) => f.kind)).toContain('stopDuringFailover');
    expect(calls(h, 'stop').length).toBeGreaterThan(1);
    expect(h.live()).toEqual([]);
    expect(session?.quit?.cause).toBe('stopped');
    expect(h.supervisor.get('r1')?.state).toBe('stopped');
    // Never pictured stopped while the recorder ran on: stopped once it truly ended.
    const [stopped] = eventsOf(h, 'stopped');
    expect(stopped?.observedAt).toBeGreaterThanOrEqual(
      session?.quit?.at ?? Number.POSITIVE_INFINITY,
    );
    expect(compareWithTruth(h)).toEqual([]);
  });

  it('3. a raw recording (Individual Recording v2) is supervised: its rtsc/raw-recording notices and a stranded upload read', async () => {
    const h = await open({
      seed: 26,
      hosts: alwaysHost('room-r1'),
      overrides: { life: { strandedUploads: 1 } },
    });
    await start(h, 'r1', 'raw');
    await h.advance(30 * SECOND);
    expect(h.supervisor.get('r1')).toMatchObject({
      state: 'recording',
      sid: h.recordings()[0]?.sid,
    });
    const scenes = h.sim
      .deliveries()
      .map(
        (d) =>
          (JSON.parse(d.body) as { payload?: { serviceScene?: string } }).payload?.serviceScene,
      );
    expect(new Set(scenes)).toEqual(new Set(['rtsc/raw-recording']));
    await h.supervisor.stop('r1');
    await h.advance(MINUTE);
    const stopAnswer = calls(h, 'stop')[0]?.response as { serverResponse?: unknown } | undefined;
    expect(stopAnswer?.serverResponse).toMatchObject({ uploadingStatus: 'stranded' });
    expect(h.supervisor.get('r1')?.state).toBe('stopped');
    expect(h.live()).toEqual([]);
  });

  it('4. a web recorder started paused (status 0, inProgress, onhold) is alive: no second web recorder', async () => {
    const h = await open({
      seed: 26,
      // Its 13 is not subscribed: only the query can tell, and it says status 0 for 150 s.
      overrides: {
        life: { webStartsOnhold: 1, onholdMs: [150_000, 150_000] },
        delivery: { unsubscribed: [13] },
      },
    });
    await start(h, 'r1', 'web');
    await h.advance(140 * SECOND);
    expect(h.recordings()[0]?.faults.map((f) => f.kind)).toEqual(['onhold']);
    expect(h.supervisor.get('r1')).toMatchObject({ state: 'recording', restarts: 0 });
    await h.advance(2 * MINUTE);
    expect(calls(h, 'start')).toHaveLength(1);
    expect(h.recordings()).toHaveLength(1);
    expect(eventsOf(h, 'restarting')).toEqual([]);
    expect(compareWithTruth(h)).toEqual([]);
  });

  it('5. every query answered 429 while starting (the App ID busy with other starts): starting stays, no second recorder', async () => {
    // Another instance of the app uses the App ID's 2 calls a second, and no notification comes:
    // nothing answers whether the start worked until the other instance calms down.
    const h = await open({ seed: 26, qpsLimit: 2, overrides: { delivery: { lost: 1 } } });
    const other = client(h.sim);
    await start(h, 'r1');
    await until(h, () => (h.supervisor.get('r1')?.sid ?? null) !== null, 10 * SECOND, 10);
    // Offset from the supervisor's whole-second steps, so the window is never found empty.
    await h.advance(137);
    for (let t = 0; t < 150 * SECOND; t += 250) {
      await other.query('busy', 'busy', 'mix').catch(() => {});
      await other.query('busy', 'busy', 'mix').catch(() => {});
      await h.advance(250);
    }
    const answered = calls(h, 'query').filter((r) => !r.path.includes('/busy/'));
    expect(answered.length).toBeGreaterThan(2);
    expect(answered.every((r) => r.httpStatus === 429)).toBe(true);
    expect(h.supervisor.get('r1')).toMatchObject({ state: 'starting', restarts: 0 });
    expect(calls(h, 'start')).toHaveLength(1);
    // The other instance is done: the first answered query decides.
    await h.advance(2 * MINUTE);
    expect(h.supervisor.get('r1')).toMatchObject({ state: 'recording', restarts: 0 });
    expect(h.recordings()).toHaveLength(1);
    expect(compareWithTruth(h)).toEqual([]);
  });

  it("6. an idle 41 sent while a query's answer was on its way is not outranked by it: idle, no restart", async () => {
    // Twelve channels whose host leaves at staggered times: each recorder idles out 30 s later
    // (a 41 with leave code 4, then an 11). A query that reached Agora in the 8 s before the idle
    // exit is answered "status 5", and that answer comes back only after the 41 was sent; the
    // 41 reaches the webhook 1.5 s after it was sent, after the answer. (Were the 41 outranked,
    // the 11 after it would still quit idle, by rule 9's old news: the quit's moment tells.)
    const rooms = Array.from({ length: 12 }, (_, i) => `r${i}`);
    const leaves = rooms.map((_, i) => 150 * SECOND + i * 5 * SECOND);
    const held: string[] = [];
    const h = await open({
      seed: 26,
      hosts: Object.fromEntries(
        rooms.map((r, i) => [`room-${r}`, [{ uid: 4411, fromMs: 0, toMs: leaves[i]! }]]),
      ),
      overrides: { delivery: { delayed: 1, delayMs: [1_500, 1_500] } },
      via: (sim, clock) =>
        slowAnswers(sim, (path) => {
          const session = sim.recordings().find((s) => path.includes(`/sid/${s.sid}/`));
          if (session === undefined || !path.endsWith('/query')) return null;
          const leftAt = leaves[rooms.indexOf(session.cname.slice('room-'.length))]!;
          const idleAt = SIM_T0 + leftAt + 30 * SECOND;
          const now = clock.now();
          if (now <= idleAt - 8 * SECOND || now >= idleAt) return null;
          held.push(session.cname);
          // The idle exit's 41 is sent 200 ms after it: the answer is read 100 ms after that.
          return () => clock.now() >= idleAt + 300;
        }),
    });
    for (const [i, recording] of rooms.entries())
      await start(h, recording, 'mix', String(1001 + 10 * i));
    await h.advance(leaves[0]! + 20 * SECOND);
    for (let t = 0; t < 90 * SECOND; t += 100) await stepWithoutSettling(h, 100);
    await h.advance(3 * MINUTE);
    const sessions = h.recordings();
    expect(held.length).toBeGreaterThan(0);
    // A held recording quit on its 41 (sent after the query left), not on the 11 that came after.
    for (const cname of held) {
      const session = sessions.find((s) => s.cname === cname);
      const arrived = (eventType: number) =>
        h.sim.deliveries().find((d) => d.sid === session?.sid && d.eventType === eventType)?.at;
      const [quit] = eventsOf(h, 'quit').filter((e) => `room-${e.recording}` === cname);
      expect(quit?.observedAt).toBeGreaterThanOrEqual(arrived(41) ?? Number.POSITIVE_INFINITY);
      expect(quit?.observedAt).toBeLessThan(arrived(11) ?? 0);
    }
    expect(sessions.map((s) => s.quit?.cause)).toEqual(rooms.map(() => 'idle'));
    for (const recording of rooms)
      expect(h.supervisor.get(recording)).toMatchObject({
        state: 'quit',
        quitReason: 'idle',
        restarts: 0,
      });
    expect(eventsOf(h, 'restarting')).toEqual([]);
    expect(calls(h, 'start')).toHaveLength(rooms.length);
  });

  it('7. a start whose answer is lost while its recorder comes up is adopted: one start, one recorder', async () => {
    const h = await open({
      seed: 26,
      hosts: alwaysHost('room-r1'),
      overrides: { api: { startAnswerLost: 1 } },
    });
    await start(h, 'r1');
    await h.advance(3 * MINUTE);
    const [session] = h.recordings();
    expect(session?.faults.map((f) => f.kind)).toEqual(['startAnswerLost']);
    expect(h.supervisor.get('r1')).toMatchObject({ state: 'recording', sid: session?.sid });
    expect(eventsOf(h, 'adopted')).toEqual([
      expect.objectContaining({ recording: 'r1', sid: session?.sid, uid: '1001' }),
    ]);
    expect(calls(h, 'start')).toHaveLength(1);
    expect(h.recordings()).toHaveLength(1);
    expect(compareWithTruth(h)).toEqual([]);
  });

  it("8. a web recording that reached the host's maxRecordingHour (71 code 1) quits maxRecordingHour and is not restarted", async () => {
    const h = await open({
      seed: 26,
      hosts: alwaysHost('room-r1'),
      overrides: { life: { maxRecordingHourPerHour: 6 } },
    });
    await start(h, 'r1', 'web');
    await until(h, () => h.recordings()[0]?.quit != null, 60 * MINUTE, 10 * SECOND);
    await h.advance(5 * MINUTE);
    expect(h.recordings()[0]?.quit?.cause).toBe('maxRecordingHour');
    expect(h.supervisor.get('r1')).toMatchObject({
      state: 'quit',
      quitReason: 'maxRecordingHour',
      restarts: 0,
    });
    expect(calls(h, 'start')).toHaveLength(1);
    expect(h.live()).toEqual([]);
  });

  // Known: rule 1 keeps Agora's 5, 10, 15 s of 404 probing while starting (issue 26 decided it),
  // and here that leaves two recorders in one channel. A server lost 4.35 s after the start
  // (before any notice could confirm it: every notice is lost) answers 404 for 70 s; probing
  // while starting gives up after 30 s, the start counts as failed (notStarted) and is restarted
  // on the backup uid, and the first recorder comes back at 74.6 s, billed and unseen. Expected
  // to fail until the rule changes (then drop `.fails`): the steps while starting would have to
  // outlast a lost server as rule 3's do.
  const C300 = {
    seed: 26,
    overrides: { life: { serverLossPerHour: 4 }, delivery: { lost: 1 } },
  } as const;
  it("9b (its setup): channel c300's first server loss strikes 4.35 s in, for more than 60 s", async () => {
    const h = await open(C300);
    const [loss, next] = h.sim.scheduledFaults('c300', SIM_T0 + 10 * MINUTE);
    expect(loss).toMatchObject({ kind: 'serverLoss', at: SIM_T0 + 4_350 });
    expect(loss?.windowMs).toBeGreaterThan(60 * SECOND);
    expect(next?.at ?? Number.POSITIVE_INFINITY).toBeGreaterThan(SIM_T0 + 3 * MINUTE);
  });
  it.fails("9b. a server lost in a recorder's first seconds, its notices lost: no second recorder (known double recording)", async () => {
    const h = await open(C300);
    await h.supervisor.start({
      recording: 'r1',
      cname: 'c300',
      uid: '1001',
      mode: 'mix',
      backupUid: '1002',
    });
    await h.advance(3 * MINUTE);
    expect(h.live()).toHaveLength(1);
    expect(compareWithTruth(h, { recorderUid: false })).toEqual([]);
  });

  it('9. servers lost for up to 90 s, their notices all lost, answer 404 meanwhile: 95 s of probing outlasts them, no restart of a live one', async () => {
    const rooms = Array.from({ length: 8 }, (_, i) => `r${i}`);
    const h = await open({
      seed: 26,
      hosts: alwaysHost(...rooms.map((r) => `room-${r}`)),
      overrides: { life: { serverLossPerHour: 2 }, delivery: { lost: 1 } },
    });
    for (const [i, recording] of rooms.entries())
      await start(h, recording, 'mix', String(1001 + 10 * i));
    await h.advance(60 * MINUTE);
    const sessions = h.recordings();
    // From a loss's first 404 to the recorder's return, ms: past 30 s (Agora's 5, 10, 15 s of
    // probing) somewhere, or the test proves nothing.
    const outlasting = sessions.flatMap((session) =>
      session.failovers.map((failover) => {
        const first = calls(h, 'query').find(
          (r) =>
            r.path.includes(`/sid/${session.sid}/`) &&
            r.httpStatus === 404 &&
            r.at >= failover.at &&
            r.at < failover.resumedAt,
        );
        return first === undefined ? 0 : failover.resumedAt - first.at;
      }),
    );
    expect(sessions.flatMap((s) => s.failovers.map((f) => f.kind))).toContain('serverLoss');
    expect(Math.max(...outlasting)).toBeGreaterThan(30 * SECOND);
    // Only a session that truly ended (a 4th loss: haExhausted) is restarted, once.
    const ended = sessions.filter((s) => s.quit !== null);
    expect(ended.map((s) => s.quit?.cause)).toEqual(ended.map(() => 'haExhausted'));
    expect(eventsOf(h, 'restarting').map((e) => `room-${e.recording}`)).toEqual(
      ended.map((s) => s.cname),
    );
    expect(sessions).toHaveLength(rooms.length + ended.length);
    // Each failover counted from the files' bak<n>_ prefix (its 12 and new uid were lost).
    for (const recording of rooms) {
      const latest = sessions.filter((s) => s.cname === `room-${recording}`).at(-1);
      expect(h.supervisor.get(recording)).toMatchObject({
        state: 'recording',
        sid: latest?.sid,
        haAttempts: latest?.failovers.length,
      });
    }
    expect(compareWithTruth(h, { recorderUid: false })).toEqual([]);
  });
});
