// Reading a trace for a command: every record in order, problems reported with their line
// number, and a file with no record at all refused as not a trace.
import type { Readable } from 'node:stream';
import { type ReceivedLine, readTraceLine, type TraceProblem } from '../core/index.js';
import { CliError, EXIT, shortPath } from './errors.js';
import { notATrace } from './not-a-trace.js';
import { printable } from './printable.js';
import type { CliIo } from './run.js';

/** Non-blank lines read before the first record: past these, the file is not a trace. */
const LINES_BEFORE_GIVING_UP = 100;

/**
 * Gives each record of a trace to `step`, in order; an unreadable line is reported on stderr
 * (`name:line: skipped: why`) and skipped. Problems before the first record wait: a file that
 * is not a trace is one error, not dozens.
 * @throws CliError (not a trace) when no line is a record.
 */
export async function eachTraceLine(
  name: string,
  lines: AsyncIterable<string>,
  step: (line: ReceivedLine) => void,
  io: CliIo,
): Promise<void> {
  const report = (problem: TraceProblem) =>
    io.err.write(`${shortPath(name)}:${problem.line}: skipped: ${printable(problem.message)}\n`);
  const waiting: TraceProblem[] = [];
  let records = 0;
  let number = 0;
  for await (const text of lines) {
    number += 1;
    const read = readTraceLine(text, number);
    if (read === null) continue;
    if (!('kind' in read)) {
      if (records > 0) report(read);
      else if (waiting.push(read) >= LINES_BEFORE_GIVING_UP) throw notATrace(name, waiting);
      continue;
    }
    if (records === 0) for (const problem of waiting.splice(0)) report(problem);
    records += 1;
    step(read);
  }
  if (records === 0) throw notATrace(name, waiting);
}

/** The command's stdin, for `-`; a usage error where none is given. */
export function stdinOf(io: CliIo): Readable {
  if (io.in === undefined)
    throw new CliError("'-' reads stdin, which is not given here", EXIT.usage);
  return io.in;
}
