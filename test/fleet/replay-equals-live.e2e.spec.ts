// Rule 12 over simulator runs: whatever the faults, the supervisor's log replays to exactly the
// pictures it held at the end of the run, and no channel ever had two recorders at once.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recwatchObserver } from '../../src/fleet/recwatch-observer.js';
import { runFleet } from '../../src/fleet/run.js';
import {
  createMemoryLog,
  picture,
  rebuildFromLog,
  type SupervisedRecording,
} from '../../src/index.js';
import type { TruthRecord } from '../../src/sim/index.js';

/** Every pair of one channel's sessions that ran at the same time. */
function overlaps(truth: readonly TruthRecord[]): string[] {
  const byChannel = new Map<string, [number, number][]>();
  for (const r of truth) {
    if (r.type !== 'recording') continue;
    const spans = byChannel.get(r.cname) ?? [];
    spans.push([r.startedAt, r.quit?.at ?? Number.POSITIVE_INFINITY]);
    byChannel.set(r.cname, spans);
  }
  const found: string[] = [];
  for (const [cname, spans] of byChannel) {
    spans.sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < spans.length; i += 1)
      if ((spans[i]?.[0] ?? 0) < (spans[i - 1]?.[1] ?? 0)) found.push(cname);
  }
  return found;
}

describe('replay of the log equals the live pictures, on simulator runs', () => {
  it('holds for several profiles and seeds, with no two recorders in one channel', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('chaos', 'failoverStorm', 'redundantReordered', 'lossy'),
        fc.integer({ min: 1, max: 1_000 }),
        async (profile, seed) => {
          const log = createMemoryLog();
          let live: SupervisedRecording[] = [];
          const run = await runFleet({
            profile: profile as 'chaos',
            seed,
            recordings: 6,
            durationMs: 20 * 60_000,
            observer: async (context) => {
              const observer = await recwatchObserver(context, { log });
              return {
                ...observer,
                close: async () => {
                  await observer.close();
                  live = observer.supervisor.list();
                },
              };
            },
          });
          expect(live).toHaveLength(6);
          const believed = Object.fromEntries(
            live.map(({ recording, ...rest }) => [recording, rest]),
          );
          const { state } = await rebuildFromLog(log, { useSnapshot: false });
          expect(picture(state).recordings).toEqual(believed);
          expect(overlaps(run.truth)).toEqual([]);
        },
      ),
      { numRuns: 8, seed: 20_261_207 },
    );
  }, 600_000);
});
