// supervisor.manifest: a book built once from the log at the first call, then fed by every step,
// gives what a full replay of the log gives; on a failover storm it shows the bak<n>_ playlists.
import { afterAll, describe, expect, it } from 'vitest';
import { manifestOf, type RecordingManifest } from '../../src/core/index.js';
import { recwatchObserver } from '../../src/fleet/recwatch-observer.js';
import { runFleet } from '../../src/fleet/run.js';
import { allEntries, openSqliteLog, type Supervisor } from '../../src/index.js';
import { tempDir } from '../fixtures/temp-dir.js';

const work = tempDir('recwatch-manifest-');
afterAll(() => work.remove());

describe('supervisor.manifest', () => {
  it('built mid-run and fed live, equals a replay of the whole log; failovers have their playlists', async () => {
    const path = work.file('storm.db');
    let supervisor: Supervisor | undefined;
    let asked = false;
    let live: RecordingManifest[] = [];
    let until = 0;
    const run = await runFleet({
      profile: 'failoverStorm',
      seed: 7,
      recordings: 4,
      durationMs: 20 * 60_000,
      observer: async (context) => {
        const observer = await recwatchObserver(context, { log: path });
        supervisor = observer.supervisor;
        return observer;
      },
      onStep: (progress) => {
        const s = supervisor as Supervisor;
        // The first call (the log read once) a third of the way in; steps after it feed the book.
        if (!asked && progress.now - progress.t0 > 7 * 60_000) {
          asked = true;
          void s.manifest('recording-01');
        }
        if (progress.now >= progress.end) {
          until = progress.now;
          void Promise.all(s.list().map((p) => s.manifest(p.recording))).then((all) => {
            live = all.filter((m): m is RecordingManifest => m !== undefined);
          });
        }
      },
    });
    expect(run.end).toBe(until);
    expect(live).toHaveLength(4);
    const log = await openSqliteLog(path, { readOnly: true });
    const lines = [];
    try {
      for await (const entry of allEntries(log)) lines.push(entry.item);
    } finally {
      await log.close();
    }
    const replayed = manifestOf(lines, { until });
    expect(live).toEqual(replayed.recordings);
    // The storm failed recorders over: their sessions have bak<n>_ playlists, in order.
    const prefixes = live.flatMap((m) =>
      m.sessions.flatMap((s) => s.playlists.map((p) => p.prefix)),
    );
    expect(prefixes).toContain('bak0_');
    for (const m of live) {
      for (const s of m.sessions) {
        const order = s.playlists.map((p) => p.failover ?? -1);
        expect(order).toEqual([...order].sort((a, b) => a - b));
      }
      expect(m.coverage.recordedMs).toBeLessThanOrEqual(m.coverage.wantedMs);
    }
    expect(await (supervisor as Supervisor).manifest('nobody').catch((e: unknown) => e)).toBe(
      undefined,
    );
  }, 240_000);
});
