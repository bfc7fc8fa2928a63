import { RecwatchError } from '../errors/index.js';

/**
 * Options the simulator cannot run with (an unknown profile, a negative rate, a bad URL).
 * `code` is `SIM_OPTIONS`; the message names the option, never a secret's value.
 */
export class SimulatorOptionsError extends RecwatchError {
  readonly code = 'SIM_OPTIONS';
  override readonly name = 'SimulatorOptionsError';
}
