import type { CoreOutput } from './decisions.js';
import type { CoreOptions } from './options.js';
import { type CoreState, createCore } from './state.js';
import { step } from './step.js';

export interface ReplayOptions {
  /** Start from this state instead of an empty core (e.g. a snapshot). */
  readonly from?: CoreState;
  /** Options of a new core (ignored with `from`). */
  readonly options?: Partial<CoreOptions>;
  /** Receives every output, in order; replay runs no effects. */
  readonly onOutput?: (output: CoreOutput, state: CoreState) => void;
}

/**
 * Folds inputs through the core: the same inputs always give the same state and outputs.
 * @example
 * const { state } = replay(traceRecords);
 * picture(state).recordings.r1?.state; // 'recording'
 */
export function replay(
  inputs: Iterable<unknown>,
  options: ReplayOptions = {},
): { state: CoreState } {
  let state = options.from ?? createCore(options.options);
  const { onOutput } = options;
  for (const input of inputs) {
    const result = step(state, input);
    state = result.state;
    if (onOutput !== undefined) for (const output of result.outputs) onOutput(output, state);
  }
  return { state };
}
