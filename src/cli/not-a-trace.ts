// The one line for an input with no valid trace record, the same from every command.
import type { TraceProblem } from '../core/index.js';
import { CliError, EXIT, shortPath } from './errors.js';
import { printable } from './printable.js';

/**
 * The error for `name`, which held no valid record: its first problem and how many more (exit 65).
 * @example throw notATrace('notes.txt', problems) // notes.txt: not a trace, no valid record (line 1: not JSON…)
 */
export function notATrace(name: string, problems: readonly TraceProblem[], then = ''): CliError {
  const first = problems[0];
  const why =
    first === undefined
      ? 'it has no lines'
      : `line ${first.line}: ${printable(first.message)}${problems.length > 1 ? `; ${problems.length - 1} more unreadable line(s)` : ''}`;
  return new CliError(
    `${shortPath(name)}: not a trace, no valid record (${why})${then}`,
    EXIT.data,
  );
}
