// A trace file or a SQLite log, replayed once through the core into inspector steps.
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import {
  type CoreOptions,
  createCore,
  type ReceivedLine,
  type ResolvedCoreOptions,
  readTrace,
  resolveCoreOptions,
  stepLine,
  type TraceProblem,
} from '../core/index.js';
import { type InspectorFeed, staticFeed } from './feed.js';
import { type RecordedStep, StepRecorder } from './inspector-step.js';
import { readLogEntries } from './read-only-log.js';

/** Options of the offline readers. */
export interface OfflineOptions {
  /**
   * Options that override the ones the inputs recorded (rule 12: their `options` records, the
   * defaults before any); default none, the recorded ones decide.
   */
  readonly core?: Partial<CoreOptions>;
  /** Receives every step with the machine steps behind it (e.g. the Stately bridge). */
  readonly onStep?: (recorded: RecordedStep) => void;
}

/** An offline feed, and the trace lines that could not be read (skipped). */
export interface OfflineSource {
  readonly feed: InspectorFeed;
  readonly problems: readonly TraceProblem[];
}

/**
 * Replays received lines (a trace's, or a log's items) through the core.
 * @example const steps = inspectLines(readTrace(text).records);
 */
export function inspectLines(
  lines: Iterable<ReceivedLine>,
  options: OfflineOptions = {},
): RecordedStep['step'][] {
  const settings = options.core === undefined ? undefined : resolveCoreOptions(options.core);
  const recorder = new StepRecorder(createCore());
  const steps: RecordedStep['step'][] = [];
  for (const line of lines) steps.push(record(recorder, line, settings, options));
  return steps;
}

function record(
  recorder: StepRecorder,
  line: ReceivedLine,
  settings: ResolvedCoreOptions | undefined,
  options: OfflineOptions,
) {
  const result = stepLine(recorder.state, line, settings);
  const recorded = recorder.record(line, result.outputs, result.state);
  options.onStep?.(recorded);
  return recorded.step;
}

/**
 * A trace file (JSON Lines, format v1) as an inspector feed.
 * @example const { feed, problems } = traceSource('node_modules/recwatch/docs/traces/failover.jsonl');
 */
export function traceSource(path: string, options: OfflineOptions = {}): OfflineSource {
  const { records, problems } = readTrace(readFileSync(path, 'utf8'));
  return { feed: staticFeed(basename(path), inspectLines(records, options)), problems };
}

/**
 * A SQLite event log as an inspector feed, read read-only (never created or changed).
 * @example const { feed } = await logSource('recwatch.db');
 */
export async function logSource(
  path: string,
  options: OfflineOptions = {},
): Promise<OfflineSource> {
  const settings = options.core === undefined ? undefined : resolveCoreOptions(options.core);
  const recorder = new StepRecorder(createCore());
  const steps: RecordedStep['step'][] = [];
  for await (const entry of readLogEntries(path)) {
    steps.push(record(recorder, entry.item, settings, options));
  }
  return { feed: staticFeed(basename(path), steps), problems: [] };
}

/**
 * A trace or a SQLite log, told apart by the file's first bytes (SQLite's header).
 * @example const { feed } = await openSource(process.argv[2]);
 */
export async function openSource(
  path: string,
  options: OfflineOptions = {},
): Promise<OfflineSource> {
  return isSqlite(path) ? logSource(path, options) : traceSource(path, options);
}

function isSqlite(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const header = Buffer.alloc(16);
    return (
      readSync(fd, header, 0, 16, 0) === 16 && header.toString('latin1') === 'SQLite format 3\0'
    );
  } finally {
    closeSync(fd);
  }
}
