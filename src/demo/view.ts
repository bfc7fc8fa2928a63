// The demo's live view: a block redrawn in place on a terminal (log-update), every line cut to
// the terminal's width (80 columns unless it says otherwise) so nothing wraps; or a plain line
// every tenth of the run when stdout is not a terminal or CI is set.
import { createLogUpdate } from 'log-update';
import { type DemoCounts, duplicatesOf } from './counters.js';
import type { RecentChange } from './recent.js';

/** One picture of the run. */
export interface DemoFrame {
  /** Simulated ms since the start, and the run's length. */
  readonly elapsedMs: number;
  readonly durationMs: number;
  readonly wallMs: number;
  /** Recordings by recwatch's state. */
  readonly states: Readonly<Record<string, number>>;
  readonly counts: DemoCounts;
  /** The recordings that changed most recently, newest first. */
  readonly recent?: readonly RecentChange[];
}

/** Where frames go. */
export interface DemoView {
  update(frame: DemoFrame): void;
  /** Leaves the last frame on screen. */
  done(frame: DemoFrame): void;
}

/** The lifecycle's states, in the order the view counts them (docs/lifecycle.md). */
export const STATE_ORDER = [
  'starting',
  'recording',
  'failoverPending',
  'restarting',
  'stopping',
  'stopped',
  'quit',
  'failed',
] as const;

/** The width the view keeps to when the terminal does not say. */
export const DEFAULT_COLUMNS = 80;

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

/**
 * `line` cut to `width` characters (the view's text is one column per character), with `…`
 * where it was cut.
 * @example fitWidth('recording-01 quit (abnormalExit)', 20) // 'recording-01 quit (…'
 */
export function fitWidth(line: string, width: number): string {
  const chars = [...line];
  return chars.length <= width ? line : `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
}

/** Words, joined by ` · `, broken into lines of at most `width` after a `label` column. */
function wrapped(label: string, words: readonly string[], width: number): string[] {
  const indent = ' '.repeat(label.length);
  const lines: string[] = [];
  let line = label;
  for (const word of words) {
    const joined = line === label || line === indent ? `${line}${word}` : `${line} · ${word}`;
    if ([...joined].length > width && line !== label && line !== indent) {
      lines.push(line);
      line = `${indent}${word}`;
    } else line = joined;
  }
  lines.push(line);
  return lines;
}

/** The lines of a frame, none longer than `width`. */
export function frameLines(frame: DemoFrame, width = DEFAULT_COLUMNS): string[] {
  const { counts } = frame;
  const d = counts.decisions;
  const share = frame.durationMs === 0 ? 1 : frame.elapsedMs / frame.durationMs;
  const states = STATE_ORDER.map((s) => `${s} ${frame.states[s] ?? 0}`);
  const quits = Object.entries(counts.quits)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([reason, n]) => `${reason} ${n}`);
  const lines = [
    `${bar(share)} ${String(Math.floor(share * 100)).padStart(3)}%  simulated ${clockText(frame.elapsedMs)} / ${clockText(frame.durationMs)}  (${(frame.wallMs / 1000).toFixed(1)} s)`,
    ...wrapped('states    ', states, width),
    ...wrapped(
      'events    ',
      [
        `failovers ${counts.failovers}`,
        `restarts ${counts.restarts}`,
        `quits ${quits.length === 0 ? 0 : quits.join(', ')}`,
      ],
      width,
    ),
    ...wrapped(
      'inputs    ',
      [
        `${counts.received} logged`,
        `webhook requests ${counts.webhookRequests}`,
        `duplicates dropped ${duplicatesOf(counts)}`,
        `held ${d.held ?? 0}`,
        `released after a gap ${d.releasedAfterGap ?? 0}`,
        `late ${d.late ?? 0}`,
        `stale ${d.stale ?? 0}`,
        `unrouted ${d.unrouted ?? 0}`,
        `rejected ${d.rejected ?? 0}`,
        `queries ${counts.queries}`,
        `429s ${counts.rateLimited}`,
      ],
      width,
    ),
  ];
  const recent = frame.recent ?? [];
  for (const [i, change] of recent.entries()) {
    lines.push(
      `${i === 0 ? 'recent    ' : '          '}${clockText(change.elapsedMs)}  ${change.recording}  ${change.text}`,
    );
  }
  return lines.map((line) => fitWidth(line, width));
}

/** The plain line of a frame (stdout not a terminal): one per tenth of the run. */
export function plainLine(frame: DemoFrame): string {
  const { counts } = frame;
  const d = counts.decisions;
  return [
    `[${clockText(frame.elapsedMs)}] recordings  ${list(frame.states, STATE_ORDER)}`,
    `failovers ${counts.failovers} · restarts ${counts.restarts} · quits: ${list(counts.quits)}`,
    `inputs ${counts.received} (webhook requests ${counts.webhookRequests}): duplicates dropped ${duplicatesOf(counts)} · held ${d.held ?? 0}, released after a gap ${d.releasedAfterGap ?? 0} · late ${d.late ?? 0} · stale ${d.stale ?? 0} · unrouted ${d.unrouted ?? 0} · rejected ${d.rejected ?? 0}`,
    `queries ${counts.queries} · 429s ${counts.rateLimited}`,
  ].join(' | ');
}

/**
 * A live view on `out`: redrawn in place when `live`, else one plain line per tenth of the run.
 * Live, every line is cut to `out.columns` (80 when it does not say).
 * @example const view = createView(process.stdout, process.stdout.isTTY && !process.env.CI);
 */
export function createView(
  out: NodeJS.WritableStream & { columns?: number },
  live: boolean,
): DemoView {
  if (live) {
    const draw = createLogUpdate(out, { showCursor: true });
    const text = (frame: DemoFrame) => frameLines(frame, out.columns ?? DEFAULT_COLUMNS).join('\n');
    return {
      update: (frame) => draw(text(frame)),
      done(frame) {
        draw(text(frame));
        draw.done();
      },
    };
  }
  let printed = -1;
  const line = (frame: DemoFrame) => out.write(`${plainLine(frame)}\n`);
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
