import type { Readable } from 'node:stream';
import {
  createCore,
  fleetManifest,
  ManifestBook,
  type ReceivedLine,
  Replay,
  readTraceLine,
  type TraceProblem,
} from '../../core/index.js';
import { allEntries, openSqliteLog } from '../../log/index.js';
import { parseCommand } from '../args.js';
import { CliError, EXIT, shortPath } from '../errors.js';
import { manifestText } from '../manifest-text.js';
import { notATrace } from '../not-a-trace.js';
import { printable } from '../printable.js';
import type { CliIo } from '../run.js';
import { openReplaySource } from '../sources.js';

/** Non-blank lines read before the first record: past these, the file is not a trace. */
const LINES_BEFORE_GIVING_UP = 100;

/**
 * `recwatch manifest`: what every recording of a trace or log produced (sessions, playlists,
 * files, coverage and gaps). Reads its input only; resolves to the exit code.
 */
export async function manifestCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand(
    { options: { json: { type: 'boolean' } }, positionals: ['trace.jsonl | log.db | -'] },
    args,
  );
  const path = positionals[0] as string;
  const book = new ManifestBook();
  const fold = new Replay(createCore());
  const step = (line: ReceivedLine) => book.step(line, fold.line(line));
  const source = openReplaySource(path, () => stdinOf(io));
  if (source.kind === 'log') {
    const log = await openSqliteLog(source.path, { readOnly: true });
    try {
      for await (const entry of allEntries(log)) step(entry.item);
    } finally {
      await log.close();
    }
  } else await readTrace(source.name, source.lines, step, io);
  fold.finish();
  const manifest = fleetManifest(book);
  io.out.write(values.json === true ? `${JSON.stringify(manifest)}\n` : manifestText(manifest));
  return EXIT.ok;
}

async function readTrace(
  name: string,
  lines: AsyncIterable<string>,
  step: (line: ReceivedLine) => void,
  io: CliIo,
): Promise<void> {
  const report = (problem: TraceProblem) =>
    io.err.write(`${shortPath(name)}:${problem.line}: skipped: ${printable(problem.message)}\n`);
  // Problems before the first record wait: a file that is not a trace is one line, not dozens.
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

function stdinOf(io: CliIo): Readable {
  if (io.in === undefined)
    throw new CliError("'-' reads stdin, which is not given here", EXIT.usage);
  return io.in;
}
