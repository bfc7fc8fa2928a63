import { DEFAULT_RECORDING_OPTIONS, type RecordingOptions } from '../../machines/index.js';
import {
  DEFAULT_DEDUPE_OPTIONS,
  DEFAULT_REORDER_OPTIONS,
  type DedupeOptions,
  type ReorderOptions,
} from '../stream/index.js';

/** Tunables of the core, as a host gives them: every field has a default from docs/lifecycle.md. */
export interface CoreOptions {
  /** Options of every recording's machine. */
  readonly recording: Partial<RecordingOptions>;
  readonly dedupe: Partial<DedupeOptions>;
  readonly reorder: Partial<ReorderOptions>;
  /** How long notifications for a sid not yet known wait for `started` to name it (rule 9). */
  readonly unknownSidHoldMs: number;
  /**
   * How long a finished recording (stopped, failed, or quit for good) stays in the core's memory
   * after it finished (ms of observed time): it leaves on the first tick after. The log keeps it.
   */
  readonly retainFinishedMs: number;
  /** Most finished recordings held; past it, the earliest finished leave first (ties by id). */
  readonly maxFinishedRecordings: number;
}

/** The core's options with every default filled in. */
export interface ResolvedCoreOptions {
  readonly recording: RecordingOptions;
  readonly dedupe: DedupeOptions;
  readonly reorder: ReorderOptions;
  readonly unknownSidHoldMs: number;
  readonly retainFinishedMs: number;
  readonly maxFinishedRecordings: number;
}

/**
 * The core's defaults: docs/lifecycle.md's, 30 s for notifications of an unknown sid, and a
 * finished recording held for 1 h (longer than dedupe remembers its sid), 10,000 at most.
 */
export const DEFAULT_CORE_OPTIONS: ResolvedCoreOptions = {
  recording: DEFAULT_RECORDING_OPTIONS,
  dedupe: DEFAULT_DEDUPE_OPTIONS,
  reorder: DEFAULT_REORDER_OPTIONS,
  unknownSidHoldMs: 30_000,
  retainFinishedMs: 60 * 60_000,
  maxFinishedRecordings: 10_000,
};

/**
 * The defaults with the host's choices on top, section by section.
 * @example resolveCoreOptions({ recording: { pollIntervalMs: 90_000 } }).recording.startTimeoutMs // 90000
 */
export function resolveCoreOptions(options: Partial<CoreOptions> = {}): ResolvedCoreOptions {
  return {
    recording: { ...DEFAULT_RECORDING_OPTIONS, ...options.recording },
    dedupe: { ...DEFAULT_DEDUPE_OPTIONS, ...options.dedupe },
    reorder: { ...DEFAULT_REORDER_OPTIONS, ...options.reorder },
    unknownSidHoldMs: options.unknownSidHoldMs ?? DEFAULT_CORE_OPTIONS.unknownSidHoldMs,
    retainFinishedMs: options.retainFinishedMs ?? DEFAULT_CORE_OPTIONS.retainFinishedMs,
    maxFinishedRecordings:
      options.maxFinishedRecordings ?? DEFAULT_CORE_OPTIONS.maxFinishedRecordings,
  };
}
