// The machine's own errors. machines/ imports nothing of ours, so they cannot extend src/errors'
// RecwatchError; they share its contract instead (a stable `code`), src/errors lists their codes
// and `isRecwatchError` recognises them.

/** The codes of the machine's errors (members of src/errors' `RecwatchErrorCode`). */
export type MachineErrorCode = 'MACHINE_COMPILE' | 'UNKNOWN_STATE_VALUE';

/**
 * The base of the machine's errors: `code` tells them apart, as in the RecwatchError family.
 * @example if (error instanceof MachineError) console.error(error.code)
 */
export abstract class MachineError extends Error {
  abstract readonly code: MachineErrorCode;
}

/**
 * The machine definition uses a construct the compiled fast path cannot run (a parallel state,
 * an inline guard, a delay...): thrown when the machine is compiled, at module load, so a
 * definition the fast path would misread never runs. A developer's error, not a host's.
 * @example try { compile() } catch (e) { if (e instanceof MachineCompileError) console.error(e.construct) }
 */
export class MachineCompileError extends MachineError {
  override readonly name = 'MachineCompileError';
  readonly code = 'MACHINE_COMPILE';
  /** What was refused, and where in the definition. */
  readonly construct: string;
  constructor(construct: string) {
    super(`recording machine: the compiled fast path does not support ${construct}`);
    this.construct = construct;
  }
}

/**
 * A state value the machine does not have (a snapshot saved by another version, or corrupt).
 * @example restoreRecording({ value: 'nowhere', context }) // throws UnknownStateValueError
 */
export class UnknownStateValueError extends MachineError {
  override readonly name = 'UnknownStateValueError';
  readonly code = 'UNKNOWN_STATE_VALUE';
  constructor(value: unknown) {
    super(`recording machine: no state ${JSON.stringify(value)}`);
  }
}
