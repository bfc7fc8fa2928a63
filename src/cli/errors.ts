// User errors of the command line: one line on stderr and an exit code from sysexits(3), never a
// stack trace. A stack trace is kept for what is a bug in recwatch (exit 70).

import { isRecwatchError } from '../errors/index.js';
import { LogFileError } from '../log/errors.js';

/** The exit codes of `recwatch`, as sysexits(3) names them. */
export const EXIT = {
  ok: 0,
  /** Wrong arguments: an unknown option, a missing or extra argument. */
  usage: 64,
  /** The input is readable but not what the command needs (no trace line, a bad snapshot). */
  data: 65,
  /** The input cannot be opened or read: missing, a folder, not a recwatch log. */
  noInput: 66,
  /** A database that cannot be reached or used (PostgreSQL down, wrong credentials). */
  unavailable: 69,
  /** A bug in recwatch. */
  software: 70,
  /** The output cannot be written as asked: it exists (no --force), or it is the input. */
  cantCreate: 73,
  /** Reading or writing failed midway (disk full, I/O error). */
  io: 74,
  /** stdout was closed by its reader (`| head`): 128 + SIGPIPE, as a shell reports it. */
  brokenPipe: 141,
} as const;

/** A user error of a command: its one-line message and its exit code. */
export class CliError extends Error {
  override readonly name = 'CliError';

  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/** Wrong arguments: exit 64. */
export class UsageError extends CliError {
  constructor(problem: string) {
    super(`${problem} (see 'recwatch --help')`, EXIT.usage);
  }
}

// What a file system error means, in words; the path is named separately.
const FILE_PROBLEMS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'is a folder, not a file',
  ENAMETOOLONG: 'name too long',
  ELOOP: 'too many levels of symbolic links',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENXIO: 'no such device',
  EEXIST: 'already exists',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large',
  EIO: 'input/output error',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files',
  ERR_FS_FILE_TOO_LARGE: 'file too large to read at once',
  ERR_STRING_TOO_LONG: 'too large to read at once',
  EADDRINUSE: 'the port is already in use',
  EADDRNOTAVAIL: 'the address is not available on this machine',
};

const WRITE_FAILURES: ReadonlySet<string> = new Set(['ENOSPC', 'EDQUOT', 'EFBIG', 'EIO']);

/**
 * The one line and exit code for an error a user can cause, or undefined for a bug in recwatch.
 * @example userFailure(Object.assign(new Error('x'), { code: 'ENOENT', path: 'a.db' })) // { message: 'a.db: no such file or folder', exitCode: 66 }
 */
export function userFailure(
  error: unknown,
): { readonly message: string; readonly exitCode: number } | undefined {
  if (error instanceof CliError) return { message: error.message, exitCode: error.exitCode };
  if (error instanceof LogFileError) {
    const cause = fileProblem(error.cause);
    const message = cause === undefined ? error.message : `${shortPath(error.file)}: ${cause}`;
    return { message, exitCode: EXIT.noInput };
  }
  if (isRecwatchError(error, 'LOG_DATABASE')) {
    return { message: error.message, exitCode: EXIT.unavailable };
  }
  if (isRecwatchError(error)) return { message: error.message, exitCode: EXIT.data };
  const problem = fileProblem(error);
  if (problem === undefined) return undefined;
  const { code, path } = error as { code: string; path?: unknown };
  const where = typeof path === 'string' ? `${shortPath(path)}: ` : '';
  return {
    message: `${where}${problem}`,
    exitCode: WRITE_FAILURES.has(code) ? EXIT.io : EXIT.noInput,
  };
}

/**
 * A file system error met while writing `path`, as a `CliError` (73, or 74 for a failed write);
 * anything else is returned as it is.
 * @example throw outputError(error, 'trace.jsonl')
 */
export function outputError(error: unknown, path: string): unknown {
  const problem = fileProblem(error);
  if (problem === undefined) return error;
  const code = (error as { code: string }).code;
  return new CliError(
    `${shortPath(path)}: ${problem}`,
    WRITE_FAILURES.has(code) ? EXIT.io : EXIT.cantCreate,
  );
}

function fileProblem(error: unknown): string | undefined {
  if (!(error instanceof Error) || !('code' in error) || typeof error.code !== 'string')
    return undefined;
  return FILE_PROBLEMS[error.code];
}

/** A path as an error line names it: escaped, and cut if absurdly long. */
export function shortPath(path: string): string {
  const shown = JSON.stringify(path).slice(1, -1);
  return shown.length > 200 ? `${shown.slice(0, 100)}…${shown.slice(-60)}` : shown;
}
