// What every step of one fold shares, passed as one value instead of positional arguments.
import type { Edit } from '../stream/collections/index.js';
import type { DedupeContext, ReorderContext } from '../stream/index.js';
import { DEFAULT_CORE_OPTIONS, type ResolvedCoreOptions } from './options.js';

/**
 * The context of a fold of inputs: the host's options, the edit token of a fold that owns its
 * state until it is done (see `Replay`; null: every update is persistent), and whether anyone
 * listens (with `quiet`, decisions and outputs are not even made: a replay for its state alone).
 * `dedupe` and `reorder` are the stream stage's contexts (its options with the same token),
 * built once per fold.
 */
export interface Fold {
  readonly options: ResolvedCoreOptions;
  readonly edit: Edit | null;
  readonly quiet: boolean;
  readonly dedupe: DedupeContext;
  readonly reorder: ReorderContext;
}

/**
 * A fold's context. `edit`: the token of a fold that owns its state (null: persistent updates);
 * `quiet`: decisions and outputs are not made.
 */
export function foldOf(options: ResolvedCoreOptions, edit: Edit | null, quiet: boolean): Fold {
  // Without a token, the options are the stream's contexts as they are: nothing is copied.
  const dedupe = edit === null ? options.dedupe : { ...options.dedupe, edit };
  const reorder = edit === null ? options.reorder : { ...options.reorder, edit };
  return { options, edit, quiet, dedupe, reorder };
}

/** A plain step's fold: persistent updates, every output made. */
export function plainFold(options: ResolvedCoreOptions = DEFAULT_CORE_OPTIONS): Fold {
  return options === DEFAULT_CORE_OPTIONS ? DEFAULT_FOLD : foldOf(options, null, false);
}

const DEFAULT_FOLD: Fold = foldOf(DEFAULT_CORE_OPTIONS, null, false);
