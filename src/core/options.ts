import type { RecordingOptions } from '../../machines/index.js';
import type { DedupeOptions, ReorderOptions } from '../stream/index.js';

/** Tunables of the core; every field has a default from lifecycle-rules.md. */
export interface CoreOptions {
  /** Options of every recording's machine. */
  readonly recording: Partial<RecordingOptions>;
  readonly dedupe: Partial<DedupeOptions>;
  readonly reorder: Partial<ReorderOptions>;
  /** How long notifications for a sid not yet known wait for `started` to name it (rule 9). */
  readonly unknownSidHoldMs: number;
}

/** The core's defaults: lifecycle-rules.md's, and 30 s for notifications of an unknown sid. */
export const DEFAULT_CORE_OPTIONS: CoreOptions = {
  recording: {},
  dedupe: {},
  reorder: {},
  unknownSidHoldMs: 30_000,
};

/** The defaults with the host's choices on top. */
export function resolveCoreOptions(options: Partial<CoreOptions> = {}): CoreOptions {
  return { ...DEFAULT_CORE_OPTIONS, ...options };
}
