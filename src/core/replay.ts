import type { RecordingSnapshot } from '../../machines/index.js';
import { RecwatchError } from '../errors/index.js';
import type { TraceRecord } from '../signals/index.js';
import { Edit } from '../stream/collections/index.js';
import type { CoreOutput } from './decisions.js';
import { Fold } from './fold.js';
import { type CoreOptions, type ResolvedCoreOptions, resolveCoreOptions } from './options.js';
import { type CoreState, createCore } from './state.js';
import { type ReceivedLine, rejectIn, stepIn } from './step.js';
import { checkedRecordOf } from './trace.js';

const NONE_FORGOTTEN: ReadonlyMap<string, RecordingSnapshot> = new Map();

/**
 * A replay fold was used after `finish()`: its state is immutable from then on.
 * @example fold.finish(); fold.input(record) // throws ReplayFinishedError (code REPLAY_FINISHED)
 */
export class ReplayFinishedError extends RecwatchError {
  override readonly name = 'ReplayFinishedError';
  readonly code = 'REPLAY_FINISHED';
  constructor() {
    super('this replay is finished: start another from its state');
  }
}

/**
 * A fold of inputs into a state it owns until `finish`: each step updates that state in place
 * (an edit token on its persistent maps) instead of copying paths, which makes replay several
 * times lighter on memory than folding `step`, with the same result. The state it starts from is
 * never changed; intermediate states are not shown, since they are changed in place.
 * @example
 * const fold = new Replay(createCore());
 * for (const line of lines) fold.input(line.record);
 * const state = fold.finish();
 */
export class Replay {
  private current: CoreState;
  /** One context for every step; null once finished. */
  private fold: Fold | null;

  /** The last snapshot of each finished recording that left memory, when asked to keep them. */
  private readonly left: Map<string, RecordingSnapshot> | null;

  /**
   * With `outputs: false`, only the state is wanted: decisions and outputs are not even made.
   * `options`: the host's override, given to every step instead of the options in force in the
   * state (which `options` records in the inputs set, rule 12). `keepForgotten`: keep the last
   * snapshot of every finished recording that leaves memory (see `forgotten`).
   */
  constructor(
    from: CoreState,
    options: {
      readonly outputs?: boolean;
      readonly options?: ResolvedCoreOptions;
      readonly keepForgotten?: boolean;
    } = {},
  ) {
    this.current = from;
    this.left = options.keepForgotten === true ? new Map() : null;
    this.fold = new Fold({
      override: options.options ?? null,
      edit: new Edit(),
      quiet: options.outputs === false,
      forgotten: this.left,
    });
  }

  /**
   * The finished recordings that left memory during this fold (`retainFinishedMs`,
   * `maxFinishedRecordings`), each with its last snapshot; empty unless made with
   * `keepForgotten`. `picture(state, forgotten)` shows them with the rest.
   */
  get forgotten(): ReadonlyMap<string, RecordingSnapshot> {
    return this.left ?? NONE_FORGOTTEN;
  }

  /** Steps one input; returns its outputs (none when made with `outputs: false`). */
  input(raw: unknown): readonly CoreOutput[] {
    const result = stepIn(this.live(), this.current, raw);
    this.current = result.state;
    return result.outputs;
  }

  /** Records an input rejected before the core (a log reject). */
  reject(at: number, reason: string, raw: unknown): readonly CoreOutput[] {
    const result = rejectIn(this.live(), this.current, at, reason, raw);
    this.current = result.state;
    return result.outputs;
  }

  /** Steps a logged item or a trace line: an input, or a reject with its reason. */
  line(line: ReceivedLine): readonly CoreOutput[] {
    if (line.kind === 'reject') return this.reject(line.at, line.reason, line.raw);
    const result = stepIn(this.live(), this.current, line.record, checkedRecordOf(line));
    this.current = result.state;
    return result.outputs;
  }

  /** Inputs folded so far. */
  get position(): number {
    return this.current.position;
  }

  /** The state, from now on immutable like any other; the fold cannot go on. */
  finish(): CoreState {
    this.live();
    this.fold = null;
    return this.current;
  }

  private live(): Fold {
    if (this.fold === null) throw new ReplayFinishedError();
    return this.fold;
  }
}

export interface ReplayOptions {
  /** Start from this state instead of an empty core (e.g. a snapshot). It is not changed. */
  readonly from?: CoreState;
  /**
   * The host's override of the options: every step reads these instead of the ones the inputs'
   * `options` records set (rule 12; without either, docs/lifecycle.md's defaults).
   */
  readonly options?: Partial<CoreOptions>;
  /** Receives every output, in order; replay runs no effects. */
  readonly onOutput?: (output: CoreOutput) => void;
}

/**
 * Folds inputs through the core: the same inputs always give the same state and outputs, and
 * the same as folding `step` over them. Each input is a record the host built, or a line of
 * `readTrace(text).records` (or a log item): an input line steps its record (of any shape, as
 * `stepUntrusted` does), a reject line is recorded with its reason, as the log keeps them.
 * @example
 * const { state } = replay(readTrace(text).records);
 * picture(state).recordings.r1?.state; // 'recording'
 */
export function replay(
  inputs: Iterable<TraceRecord | ReceivedLine>,
  options: ReplayOptions = {},
): { state: CoreState } {
  return replayUntrusted(inputs, options);
}

/**
 * `replay` for values of any shape (records parsed from a file nobody checked): each is stepped
 * as `stepUntrusted` would, a reject line recorded with its reason. Never throws for any input.
 * @example const { state } = replayUntrusted(lines.map((line) => JSON.parse(line)));
 */
export function replayUntrusted(
  inputs: Iterable<unknown>,
  options: ReplayOptions = {},
): { state: CoreState } {
  const { onOutput } = options;
  const fold = new Replay(options.from ?? createCore(), {
    outputs: onOutput !== undefined,
    ...(options.options !== undefined && { options: resolveCoreOptions(options.options) }),
  });
  for (const input of inputs) {
    const outputs = isReceivedLine(input) ? fold.line(input) : fold.input(input);
    if (onOutput !== undefined) for (const output of outputs) onOutput(output);
  }
  return { state: fold.finish() };
}

/** A trace line or a log item (`kind`, no `type`), as opposed to a record as received. */
export function isReceivedLine(input: unknown): input is ReceivedLine {
  try {
    if (typeof input !== 'object' || input === null || 'type' in input) return false;
    const line = input as { kind?: unknown; record?: unknown; at?: unknown; reason?: unknown };
    if (line.kind === 'input') return 'record' in line;
    return line.kind === 'reject' && typeof line.at === 'number' && typeof line.reason === 'string';
  } catch {
    // A throwing getter or a proxy's trap: stepped as a value, which rejects it with the reason.
    return false;
  }
}
