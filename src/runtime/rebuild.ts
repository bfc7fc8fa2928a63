// Rebuilding the core's state from the event log: the latest snapshot plus the tail.
import type { RecordingSnapshot } from '../../machines/index.js';
import {
  CORE_STATE_VERSION,
  type CoreOptions,
  type CoreOutput,
  type CoreState,
  CoreStateError,
  createCore,
  deserializeCore,
  Replay,
  type ResolvedCoreOptions,
  resolveCoreOptions,
  serializeCore,
} from '../core/index.js';
import {
  allEntries,
  type EventLog,
  type LogEntry,
  type Snapshot,
  SnapshotUnreadableError,
} from '../log/index.js';

export interface RebuildOptions {
  /**
   * The host's override of the log's options (rule 12): every entry is stepped with it instead
   * of the options the log recorded, and a snapshot must have been built with it. Default: the
   * log's own.
   */
  readonly options?: Partial<CoreOptions>;
  /** Start from the latest snapshot (default); false replays the whole log. */
  readonly useSnapshot?: boolean;
  readonly onOutput?: (output: CoreOutput, entry: LogEntry) => void;
  /**
   * Keep the last snapshot of every finished recording that leaves memory during the rebuild
   * (`retainFinishedMs`, `maxFinishedRecordings`) in `forgotten`. Those that left before the
   * snapshot started from are not known: with it, pass `useSnapshot: false` too.
   */
  readonly keepForgotten?: boolean;
}

export interface Rebuilt {
  readonly state: CoreState;
  /** The snapshot position started from (0 = the beginning). */
  readonly fromPosition: number;
  /** Entries replayed after it. */
  readonly replayed: number;
  /**
   * Why the latest snapshot was not used (corrupt, foreign, or built with other options), when
   * it was not: the whole log was replayed instead.
   */
  readonly snapshotRefused?: string;
  /** With `keepForgotten`: the finished recordings that left memory, each its last snapshot. */
  readonly forgotten: ReadonlyMap<string, RecordingSnapshot>;
}

/**
 * Rebuilds the core state from a log: the latest snapshot of this state version (one of an older
 * version is ignored, never misread), then every entry after it. A snapshot that does not check
 * out (malformed, or built with other options: see `deserializeCore`) is set aside and the whole
 * log is replayed, which gives the state these options build; `snapshotRefused` says why.
 * @example const { state } = await rebuildFromLog(await openSqliteLog('recwatch.db'));
 */
export async function rebuildFromLog(
  log: EventLog,
  options: RebuildOptions = {},
): Promise<Rebuilt> {
  const settings = options.options === undefined ? undefined : resolveCoreOptions(options.options);
  let snapshotRefused: string | undefined;
  let snapshot: Snapshot | null = null;
  if (options.useSnapshot !== false) {
    try {
      snapshot = await log.loadSnapshot(CORE_STATE_VERSION);
    } catch (error) {
      // Its text is damaged, not the entries: they give the state without it.
      if (!(error instanceof SnapshotUnreadableError)) throw error;
      snapshotRefused = error.message;
    }
  }
  let from = createCore();
  let fromPosition = 0;
  if (snapshot !== null) {
    try {
      from = deserializeCore(snapshot.state, settings);
      fromPosition = snapshot.position;
    } catch (error) {
      if (!(error instanceof CoreStateError)) throw error;
      snapshotRefused = error.message;
    }
  }
  const fold = new Replay(from, {
    outputs: options.onOutput !== undefined,
    keepForgotten: options.keepForgotten === true,
    ...(settings !== undefined && { options: settings }),
  });
  for await (const entry of allEntries(log, { fromPosition: fromPosition + 1 })) {
    const outputs = fold.line(entry.item);
    if (options.onOutput !== undefined)
      for (const output of outputs) options.onOutput(output, entry);
  }
  const state = fold.finish();
  return {
    state,
    fromPosition,
    replayed: state.position - fromPosition,
    forgotten: fold.forgotten,
    ...(snapshotRefused !== undefined && { snapshotRefused }),
  };
}

/**
 * Writes a snapshot of the state at its position (its options in force inside), marked with the
 * override it was built with, if any.
 * @example await saveCoreSnapshot(log, state);
 */
export async function saveCoreSnapshot(
  log: EventLog,
  state: CoreState,
  override?: ResolvedCoreOptions,
): Promise<void> {
  await log.saveSnapshot({
    position: state.position,
    schemaVersion: CORE_STATE_VERSION,
    state: serializeCore(state, override),
  });
}
