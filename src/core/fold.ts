// What every step of one fold shares, passed as one value instead of three positional arguments.
import type { Edit } from '../stream/collections/index.js';
import { DEFAULT_CORE_OPTIONS, type ResolvedCoreOptions } from './options.js';

/**
 * The context of a fold of inputs: the host's options, the edit token of a fold that owns its
 * state until it is done (see `Replay`; null: every update is persistent), and whether anyone
 * listens (with `quiet`, decisions and outputs are not even made: a replay for its state alone).
 */
export interface Fold {
  readonly options: ResolvedCoreOptions;
  readonly edit: Edit | null;
  readonly quiet: boolean;
}

/** A plain step's fold: persistent updates, every output made. */
export function plainFold(options: ResolvedCoreOptions = DEFAULT_CORE_OPTIONS): Fold {
  return options === DEFAULT_CORE_OPTIONS ? DEFAULT_FOLD : { options, edit: null, quiet: false };
}

const DEFAULT_FOLD: Fold = { options: DEFAULT_CORE_OPTIONS, edit: null, quiet: false };
