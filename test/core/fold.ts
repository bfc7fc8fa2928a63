import { type CoreOutput, type CoreState, createCore, stepUntrusted } from '../../src/index.js';

/** Folds inputs with `step` (the pure path), keeping every output. */
export function fold(inputs: readonly unknown[], from: CoreState = createCore()) {
  let state = from;
  const outputs: CoreOutput[] = [];
  for (const input of inputs) {
    const result = stepUntrusted(state, input);
    state = result.state;
    outputs.push(...result.outputs);
  }
  return { state, outputs };
}
