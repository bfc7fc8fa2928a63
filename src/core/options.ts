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

export const DEFAULT_CORE_OPTIONS: CoreOptions = {
  recording: {},
  dedupe: {},
  reorder: {},
  unknownSidHoldMs: 30_000,
};

export function resolveCoreOptions(options: Partial<CoreOptions> = {}): CoreOptions {
  return { ...DEFAULT_CORE_OPTIONS, ...options };
}
