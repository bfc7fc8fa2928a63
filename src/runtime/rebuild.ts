// Rebuilding the core's state from the event log: the latest snapshot plus the tail.
import {
  CORE_STATE_VERSION,
  type CoreOptions,
  type CoreOutput,
  type CoreState,
  createCore,
  deserializeCore,
  Replay,
  serializeCore,
} from '../core/index.js';
import { allEntries, type EventLog, type LogEntry } from '../log/index.js';

export interface RebuildOptions {
  /** Options of a new core, when there is no snapshot to start from. */
  readonly options?: Partial<CoreOptions>;
  /** Start from the latest snapshot (default); false replays the whole log. */
  readonly useSnapshot?: boolean;
  readonly onOutput?: (output: CoreOutput, entry: LogEntry) => void;
}

export interface Rebuilt {
  readonly state: CoreState;
  /** The snapshot position started from (0 = the beginning). */
  readonly fromPosition: number;
  /** Entries replayed after it. */
  readonly replayed: number;
}

/**
 * Rebuilds the core state from a log: the latest snapshot of this state version (one of an older
 * version is ignored, never misread), then every entry after it.
 * @example const { state } = await rebuildFromLog(await openSqliteLog('recwatch.db'));
 */
export async function rebuildFromLog(
  log: EventLog,
  options: RebuildOptions = {},
): Promise<Rebuilt> {
  const snapshot =
    options.useSnapshot === false ? null : await log.loadSnapshot(CORE_STATE_VERSION);
  const from = snapshot === null ? createCore(options.options) : deserializeCore(snapshot.state);
  const fold = new Replay(from, { outputs: options.onOutput !== undefined });
  const fromPosition = snapshot?.position ?? 0;
  for await (const entry of allEntries(log, { fromPosition: fromPosition + 1 })) {
    const outputs = fold.line(entry.item);
    if (options.onOutput !== undefined)
      for (const output of outputs) options.onOutput(output, entry);
  }
  const state = fold.finish();
  return { state, fromPosition, replayed: state.position - fromPosition };
}

/**
 * Writes a snapshot of the state at its position.
 * @example await saveCoreSnapshot(log, state);
 */
export async function saveCoreSnapshot(log: EventLog, state: CoreState): Promise<void> {
  await log.saveSnapshot({
    position: state.position,
    schemaVersion: CORE_STATE_VERSION,
    state: serializeCore(state),
  });
}
