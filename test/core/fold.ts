import {
  type CoreOutput,
  type CoreState,
  createCore,
  type ResolvedCoreOptions,
  resolveCoreOptions,
  stepUntrusted,
} from '../../src/core/index.js';

/** Folds inputs with `step` (the pure path), keeping every output. */
export function fold(
  inputs: readonly unknown[],
  from: CoreState = createCore(),
  options: ResolvedCoreOptions = resolveCoreOptions(),
) {
  let state = from;
  const outputs: CoreOutput[] = [];
  for (const input of inputs) {
    const result = stepUntrusted(state, input, options);
    state = result.state;
    outputs.push(...result.outputs);
  }
  return { state, outputs };
}
