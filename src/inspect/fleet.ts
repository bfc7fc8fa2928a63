// The fleet view's data (`/api/fleet`): a lane per recording over the feed's time, coloured by
// state, with failovers, restarts, quits and host stops, and the gaps of what was recorded.
import { type CoreOutput, ManifestBook, type ReceivedLine } from '../core/index.js';
import type { InspectorFeed } from './feed.js';
import type { WireFleet, WireLane, WireStateChange } from './page/wire.js';

const MARKS = new Set(['failover', 'restarted', 'quit', 'hostStop', 'stopped', 'failed']);

/**
 * The fleet of a feed's steps: each recording's state changes (from the steps' `changed`, so the
 * lanes end where the recordings table does) and its manifest (coverage, gaps, marks). Built
 * from the steps the feed keeps, on each call.
 * @example fleetOf(traceSource('trace.jsonl').feed).lanes.map((lane) => lane.recording)
 */
export function fleetOf(feed: InspectorFeed): WireFleet {
  const { base, steps } = feed.history();
  const book = new ManifestBook();
  const states = new Map<string, WireStateChange[]>();
  const first = steps[0]?.at ?? 0;
  for (const [id, view] of Object.entries(base)) states.set(id, [{ at: first, state: view.state }]);
  for (const step of steps) {
    const outputs = step.decisions.flatMap((d) => [d.decision, ...d.outputs]);
    book.step(step.received as ReceivedLine, outputs as unknown as CoreOutput[]);
    for (const [id, change] of Object.entries(step.changed)) {
      const list = states.get(id) ?? [];
      if (list.at(-1)?.state !== change.after.state)
        list.push({ at: step.at, state: change.after.state });
      states.set(id, list);
    }
  }
  const to = steps.at(-1)?.at ?? first;
  const lanes: WireLane[] = [...states.keys()].sort().map((recording) => {
    const changes = states.get(recording) ?? [];
    const manifest = book.manifest(recording, to);
    const from = changes[0]?.at ?? first;
    return {
      recording,
      state: changes.at(-1)?.state ?? 'idle',
      states: changes,
      marks: (manifest?.marks ?? []).filter((m) => MARKS.has(m.kind)),
      wanted: manifest?.coverage.wanted ?? { from, to },
      recordedMs: manifest?.coverage.recordedMs ?? 0,
      gaps: manifest?.coverage.gaps ?? [],
    };
  });
  const endedAt = feed.live ? null : (feed.endedAt ?? null);
  return { from: first, to, live: feed.live, endedAt, lanes };
}
