// One family for every error a host may have to react to: `isRecwatchError` recognises them all
// (`instanceof RecwatchError`, and the machine's own errors, which cannot extend it), and `code`
// tells them apart without string matching (the way emmett's errors work).
import { MachineError, type MachineErrorCode } from '../../machines/recording/errors.js';

/** The codes of recwatch's errors, one per class. */
export type RecwatchErrorCode =
  | 'VERSION_CONFLICT'
  | 'LOG_FILE'
  | 'LOG_CLOSED'
  | 'LOG_DATABASE'
  | 'SNAPSHOT_UNREADABLE'
  | 'LEASE_LOST'
  | 'LOG_IN_USE'
  | 'CORE_STATE'
  | 'CONFIGURATION'
  | 'SUPERVISOR_CLOSED'
  | 'UNKNOWN_RECORDING'
  | 'RECORDING_EXISTS'
  | 'NO_SESSION'
  | 'INVALID_COMMAND'
  | 'INVALID_TIME'
  | 'JOURNAL_CLOSED'
  | 'INVALID_ARGUMENT'
  | 'LOG_GAP'
  | 'REPLAY_FINISHED'
  | 'STEP_STATE_GONE'
  | 'SIM_OPTIONS'
  | 'DEMO_USAGE'
  | MachineErrorCode;

/**
 * The base of every error recwatch throws for a host to handle. `code` is stable across
 * versions; `message` is for people and never holds a secret.
 * @example
 * try { await journal.receive(input) } catch (e) { if (isRecwatchError(e, 'LOG_CLOSED')) reopen() }
 */
export abstract class RecwatchError extends Error {
  abstract readonly code: RecwatchErrorCode;
}

/**
 * True when `error` is one of recwatch's (a `RecwatchError`, or a `MachineError` of the lifecycle
 * machine), and of `code` when given (then `error.code` is typed as that code).
 * @example if (isRecwatchError(error, 'VERSION_CONFLICT')) retry();
 */
export function isRecwatchError<C extends RecwatchErrorCode = RecwatchErrorCode>(
  error: unknown,
  code?: C,
): error is (RecwatchError | MachineError) & { readonly code: C } {
  return (
    (error instanceof RecwatchError || error instanceof MachineError) &&
    (code === undefined || error.code === code)
  );
}

/**
 * The host's options cannot work (a missing credential, a QPS that is not a positive number, an
 * unknown log kind), or Agora refused them (401, 400): fix the configuration, retrying will not help.
 * @example new ConfigurationError('agora.appId is required')
 */
export class ConfigurationError extends RecwatchError {
  override readonly name = 'ConfigurationError';
  readonly code = 'CONFIGURATION';
}

/**
 * The supervisor was closed: it takes no more commands or webhooks.
 * @example if (isRecwatchError(error, 'SUPERVISOR_CLOSED')) return;
 */
export class SupervisorClosedError extends RecwatchError {
  override readonly name = 'SupervisorClosedError';
  readonly code = 'SUPERVISOR_CLOSED';
  constructor() {
    super('the supervisor is closed');
  }
}

/**
 * A command named a recording the supervisor does not know.
 * @example await supervisor.stop('nope') // throws UnknownRecordingError (code UNKNOWN_RECORDING)
 */
export class UnknownRecordingError extends RecwatchError {
  override readonly name = 'UnknownRecordingError';
  readonly code = 'UNKNOWN_RECORDING';
  readonly recording: string;
  constructor(recording: string) {
    super(`no recording '${recording}' is supervised`);
    this.recording = recording;
  }
}

/**
 * `start` named a recording id already in use: every logical recording has its own id.
 * @example await supervisor.start({ recording: 'r1', ... }) // twice ⇒ RecordingExistsError
 */
export class RecordingExistsError extends RecwatchError {
  override readonly name = 'RecordingExistsError';
  readonly code = 'RECORDING_EXISTS';
  readonly recording: string;
  constructor(recording: string) {
    super(`recording '${recording}' already exists; give a new recording its own id`);
    this.recording = recording;
  }
}

/**
 * A host command needs a live session and the recording has none now (update before its start
 * answered, or after it ended).
 * @example await supervisor.update('r1', { clientRequest }) // before `started` ⇒ NoSessionError
 */
export class NoSessionError extends RecwatchError {
  override readonly name = 'NoSessionError';
  readonly code = 'NO_SESSION';
  readonly recording: string;
  constructor(recording: string) {
    super(`recording '${recording}' has no live session to update`);
    this.recording = recording;
  }
}

/**
 * A host command's arguments cannot be used (a missing recording id, an unknown mode): the message
 * names the field.
 * @example await supervisor.start({ recording: '', ... }) // InvalidCommandError (code INVALID_COMMAND)
 */
export class InvalidCommandError extends RecwatchError {
  override readonly name = 'InvalidCommandError';
  readonly code = 'INVALID_COMMAND';
}

/**
 * An argument of a recwatch function cannot be used (a stream name that is empty, a negative
 * duration, a count that is not a positive integer): a bug in the caller, which the message
 * names. Retrying the same call will not help.
 * @example new VirtualClock(-1) // throws InvalidArgumentError (code INVALID_ARGUMENT)
 */
export class InvalidArgumentError extends RecwatchError {
  override readonly name = 'InvalidArgumentError';
  readonly code = 'INVALID_ARGUMENT';
}
