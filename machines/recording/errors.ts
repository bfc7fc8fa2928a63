// The machine's own errors. machines/ imports nothing of ours, so these carry a stable `code`
// the way src/errors' RecwatchError family does, and src/errors lists the codes.

/**
 * The machine definition uses a construct the compiled fast path cannot run (a parallel state,
 * an inline guard, a delay...): thrown when the machine is compiled, at module load, so a
 * definition the fast path would misread never runs. A developer's error, not a host's.
 * @example try { compile() } catch (e) { if (e instanceof MachineCompileError) console.error(e.construct) }
 */
export class MachineCompileError extends Error {
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
export class UnknownStateValueError extends Error {
  override readonly name = 'UnknownStateValueError';
  readonly code = 'UNKNOWN_STATE_VALUE';
  constructor(value: unknown) {
    super(`recording machine: no state ${JSON.stringify(value)}`);
  }
}
