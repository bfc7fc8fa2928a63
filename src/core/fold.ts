// What every step of one fold shares, passed as one value instead of positional arguments.
import type { RecordingSnapshot } from '../../machines/index.js';
import type { Edit } from '../stream/collections/index.js';
import type { DedupeContext, ReorderContext } from '../stream/index.js';
import type { ResolvedCoreOptions } from './options.js';
import type { CoreState } from './state.js';
import type { StepRun } from './step.js';

/**
 * The options a step reads, with the stream stage's contexts built from them (its options with
 * the fold's edit token), once per options rather than once per step.
 */
export interface FoldSettings {
  readonly options: ResolvedCoreOptions;
  readonly dedupe: DedupeContext;
  readonly reorder: ReorderContext;
}

/** How a fold runs (see `Fold`); every field defaults to null or false. */
export interface FoldOptions {
  readonly override?: ResolvedCoreOptions | null;
  readonly edit?: Edit | null;
  readonly quiet?: boolean;
  readonly forgotten?: Map<string, RecordingSnapshot> | null;
  readonly compactKeys?: boolean;
  readonly ownsStates?: boolean;
}

/**
 * The context of a fold of inputs: the host's override of the options (null: each step reads the
 * options in force in its state, rule 12), the edit token of a fold that owns its state until it
 * is done (see `Replay`; null: every update is persistent), and whether anyone listens (with
 * `quiet`, decisions and outputs are not even made: a replay for its state alone). `forgotten`,
 * when given, receives the last snapshot of each finished recording that leaves memory
 * (`retainFinishedMs`), so a replay can still show its final state.
 */
export class Fold {
  private last: FoldSettings | null = null;
  /**
   * The state object this fold made last and nobody else holds (a fold that owns its states,
   * `ownsStates`): a step from it writes the next state into it rather than making one. Given
   * up with the fold (a `LiveCore` makes a new fold when it hands its state out).
   */
  owned: CoreState | null = null;
  /** The run of its steps, made once, when it owns its states (see `stepIn`). */
  run: StepRun | null = null;

  readonly override: ResolvedCoreOptions | null;
  readonly edit: Edit | null;
  readonly quiet: boolean;
  readonly forgotten: Map<string, RecordingSnapshot> | null;
  /** Dedupe's key sets stay compact tries under the token (a core that lives long). */
  readonly compactKeys: boolean;
  /** The states of its steps are its own until it is given up (see `owned`). */
  readonly ownsStates: boolean;

  constructor(settings: FoldOptions) {
    this.override = settings.override ?? null;
    this.edit = settings.edit ?? null;
    this.quiet = settings.quiet ?? false;
    this.forgotten = settings.forgotten ?? null;
    this.compactKeys = settings.compactKeys ?? false;
    this.ownsStates = settings.ownsStates ?? false;
  }

  /** The settings of a step from a state whose options in force are `inForce`. */
  settings(inForce: ResolvedCoreOptions): FoldSettings {
    const options = this.override ?? inForce;
    if (this.last?.options === options) return this.last;
    const { edit } = this;
    // Without a token, the options are the stream's contexts as they are: nothing is copied.
    const dedupe =
      edit === null ? options.dedupe : { ...options.dedupe, edit, compactKeys: this.compactKeys };
    const reorder = edit === null ? options.reorder : { ...options.reorder, edit };
    this.last = { options, dedupe, reorder };
    return this.last;
  }
}

/** A plain step's fold: persistent updates, every output made, the options in force or `override`. */
export function plainFold(override?: ResolvedCoreOptions): Fold {
  return override === undefined ? PLAIN : new Fold({ override });
}

const PLAIN = new Fold({});
