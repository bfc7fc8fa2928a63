// The demo's live view: a block redrawn in place on a terminal (log-update), or a plain line every
// tenth of the run when stdout is not a terminal or CI is set.
import { createLogUpdate } from 'log-update';
import { type DemoCounts, duplicatesOf } from './counters.js';

/** One picture of the run. */
export interface DemoFrame {
  /** Simulated ms since the start, and the run's length. */
  readonly elapsedMs: number;
  readonly durationMs: number;
  readonly wallMs: number;
  /** Recordings by recwatch's state. */
  readonly states: Readonly<Record<string, number>>;
  readonly counts: DemoCounts;
}

/** Where frames go. */
export interface DemoView {
  update(frame: DemoFrame): void;
  /** Leaves the last frame on screen. */
  done(frame: DemoFrame): void;
}

const STATE_ORDER = [
  'starting',
  'recording',
  'failoverPending',
  'restarting',
  'stopping',
  'stopped',
  'quit',
  'failed',
];

/** `hh:mm:ss` of a duration in ms. */
export function clockText(ms: number): string {
  const total = Math.floor(ms / 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(total / 3600))}:${pad(Math.floor(total / 60) % 60)}:${pad(total % 60)}`;
}

function bar(share: number, width = 30): string {
  const full = Math.round(Math.min(1, Math.max(0, share)) * width);
  return `${'█'.repeat(full)}${'░'.repeat(width - full)}`;
}

function list(entries: Readonly<Record<string, number>>, order?: readonly string[]): string {
  const keys = order ?? Object.keys(entries).sort();
  const parts = keys.filter((k) => (entries[k] ?? 0) > 0).map((k) => `${k} ${entries[k]}`);
  return parts.length === 0 ? 'none' : parts.join(' · ');
}

/** The lines of a frame. */
export function frameLines(frame: DemoFrame): string[] {
  const { counts } = frame;
  const d = counts.decisions;
  const share = frame.durationMs === 0 ? 1 : frame.elapsedMs / frame.durationMs;
  return [
    `${bar(share)} ${String(Math.floor(share * 100)).padStart(3)}%  simulated ${clockText(frame.elapsedMs)} / ${clockText(frame.durationMs)}  (${(frame.wallMs / 1000).toFixed(1)} s)`,
    `recordings  ${list(frame.states, STATE_ORDER)}`,
    `failovers ${counts.failovers} · restarts ${counts.restarts} · quits: ${list(counts.quits)}`,
    `inputs ${counts.received} (webhook requests ${counts.webhookRequests}): duplicates dropped ${duplicatesOf(counts)} · held ${d.held ?? 0}, released after a gap ${d.releasedAfterGap ?? 0} · late ${d.late ?? 0} · stale ${d.stale ?? 0} · unrouted ${d.unrouted ?? 0} · rejected ${d.rejected ?? 0}`,
    `queries ${counts.queries} · 429s ${counts.rateLimited}`,
  ];
}

/**
 * A live view on `out`: redrawn in place when `live`, else one plain line per tenth of the run.
 * @example const view = createView(process.stdout, process.stdout.isTTY && !process.env.CI);
 */
export function createView(out: NodeJS.WritableStream, live: boolean): DemoView {
  if (live) {
    const draw = createLogUpdate(out, { showCursor: true });
    return {
      update: (frame) => draw(frameLines(frame).join('\n')),
      done(frame) {
        draw(frameLines(frame).join('\n'));
        draw.done();
      },
    };
  }
  let printed = -1;
  const line = (frame: DemoFrame) => {
    const [, states, events, inputs, queries] = frameLines(frame);
    out.write(`[${clockText(frame.elapsedMs)}] ${states} | ${events} | ${inputs} | ${queries}\n`);
  };
  return {
    update(frame) {
      const tenth = Math.floor((frame.elapsedMs / Math.max(1, frame.durationMs)) * 10);
      if (tenth <= printed) return;
      printed = tenth;
      line(frame);
    },
    done: line,
  };
}
