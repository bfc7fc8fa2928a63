// A start answered 429 by the App ID's rate limit started nothing: the supervisor sends it again
// with the same uid (rules 5, 7), and it counts as one start, not a start sent twice (rule 11).
// How supervisor-shared.e2e.spec.ts failed on a busy CI machine: three instances, each with the
// whole QPS budget, bunched their starts past the simulator's 10 calls a second.
import { afterEach, expect, it } from 'vitest';
import type { TrueRecording } from '../../src/sim/index.js';
import { admittedStarts, cnameOfStart } from '../fixtures/admitted-starts.js';
import { compareWithTruth, type SimSupervised, simSupervised } from '../fixtures/sim-supervised.js';

let harness: SimSupervised | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const ROOMS = [0, 1, 2, 3];

it('starts answered 429 are sent again with the same uid: one session and one admitted start per channel', async () => {
  // The supervisor's budget (5 calls a second) is more than the App ID's (3): as that of three
  // instances with 10 each is, against Agora's 10.
  const h = await simSupervised({ seed: 29, qpsLimit: 3, supervisor: { qps: 5 } });
  harness = h;
  await Promise.all(
    ROOMS.map((i) =>
      h.supervisor.start({
        recording: `r${i}`,
        cname: `room${i}`,
        uid: String(1000 + i),
        mode: 'mix',
      }),
    ),
  );
  await h.advance(2 * 60_000);

  const starts = h.sim.requests().filter((r) => r.path.endsWith('/start'));
  const limited = starts.filter((r) => r.httpStatus === 429);
  // The case happened: some start met the rate limit, so more start requests than channels.
  expect(limited.length).toBeGreaterThan(0);
  expect(starts.length).toBeGreaterThan(ROOMS.length);
  // Each was sent again with the same uid (a 429 leaves no recorder behind it), and went through.
  const admitted = admittedStarts(h.sim.requests());
  const uidOf = (r: { body: string }) => (JSON.parse(r.body) as { uid: string }).uid;
  for (const refused of limited) {
    const again = admitted.find((r) => cnameOfStart(r) === cnameOfStart(refused));
    expect(again === undefined ? null : uidOf(again)).toBe(uidOf(refused));
  }
  // One admitted start, and one session, per channel; none refused past the gateway.
  const rooms = ROOMS.map((i) => `room${i}`);
  expect(admitted.map(cnameOfStart).sort()).toEqual(rooms);
  const truth = h.sim.truth();
  expect(truth.filter((r) => r.type === 'startRefused')).toEqual([]);
  const sessions = truth.filter((r): r is TrueRecording => r.type === 'recording');
  expect(sessions.map((s) => s.cname).sort()).toEqual(rooms);
  expect(h.supervisor.list().map((p) => p.state)).toEqual(ROOMS.map(() => 'recording'));
  expect(compareWithTruth(h)).toEqual([]);
});
