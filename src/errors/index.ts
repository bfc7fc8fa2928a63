// One family for every error a host may have to react to: `instanceof RecwatchError` catches them
// all, and `code` tells them apart without string matching (the way emmett's errors work).

/** The codes of recwatch's errors, one per class. */
export type RecwatchErrorCode =
  | 'VERSION_CONFLICT'
  | 'LOG_FILE'
  | 'LOG_CLOSED'
  | 'CORE_STATE'
  | 'INVALID_TIME'
  | 'JOURNAL_CLOSED'
  | (string & {});

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
 * True when `error` is one of recwatch's, and of `code` when given.
 * @example if (isRecwatchError(error, 'VERSION_CONFLICT')) retry();
 */
export function isRecwatchError(error: unknown, code?: RecwatchErrorCode): error is RecwatchError {
  return error instanceof RecwatchError && (code === undefined || error.code === code);
}
