import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { readTrace, readTraceLine, type TraceLine, type TraceProblem } from '../../core/index.js';
import { streamOf } from '../../log/stream-of.js';
import { toLogItem } from '../../log/to-log-item.js';
import type { AppendResult, EventLog, LogItem } from '../../log/types.js';
import { parseCommand } from '../args.js';
import { shortPath, UsageError } from '../errors.js';
import { openLogTarget } from '../log-target.js';
import { notATrace } from '../not-a-trace.js';
import { printable } from '../printable.js';
import type { CliIo } from '../run.js';

// Lines read and appended per round: memory stays flat whatever the trace's size.
const LINES_PER_ROUND = 5000;

/** `recwatch import`: appends a trace to a log (SQLite or PostgreSQL); resolves to the exit code. */
export async function importCommand(
  args: readonly string[],
  io: CliIo,
  stdin: Readable = process.stdin,
): Promise<number> {
  const { values, positionals } = parseCommand(
    {
      options: { to: { type: 'string' }, schema: { type: 'string' }, append: { type: 'boolean' } },
      positionals: ['trace.jsonl | -'],
    },
    args,
  );
  const target = values.to;
  if (typeof target !== 'string') throw new UsageError('missing --to <log.db | postgres://…>');
  const schema = typeof values.schema === 'string' ? values.schema : undefined;
  const source = positionals[0] as string;
  const name = source === '-' ? '(stdin)' : source;
  // The input first: a trace that cannot be opened, or holds no record, leaves no log behind.
  const input = source === '-' ? stdin : await openInput(source);
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })[
    Symbol.asyncIterator
  ]();
  const report = (line: number, message: string) =>
    io.err.write(`${shortPath(name)}:${line}: skipped: ${printable(message)}\n`);
  const start = await firstRecord(lines);
  if (start.first === null) throw notATrace(name, start.problems, '; nothing imported');
  for (const problem of start.problems) report(problem.line, problem.message);
  const { log, describe } = await openLogTarget(target, schema);
  try {
    if (values.append !== true && (await log.readAll({ limit: 1 })).length > 0) {
      io.err.write(
        `recwatch import: ${describe} is not empty; nothing imported (--append adds to it; entries already there are skipped)\n`,
      );
      return 73;
    }
    const { appended, repeated, skipped } = await importLines(start.first, lines, log, report);
    const unreadable = skipped + start.problems.length;
    io.err.write(
      `recwatch: imported ${appended} entries into ${describe}` +
        (repeated > 0 ? `, ${repeated} already there` : '') +
        (unreadable > 0 ? `, ${unreadable} unreadable lines skipped` : '') +
        '\n',
    );
    // Unreadable lines are data the target lacks: a script must notice (EX_DATAERR).
    return unreadable > 0 ? 65 : 0;
  } finally {
    await log.close();
  }
}

/** Reads up to the first line that is a record: that line (and its number), and the problems before it. */
async function firstRecord(lines: AsyncIterator<string>): Promise<{
  first: { text: string; line: number } | null;
  problems: TraceProblem[];
}> {
  const problems: TraceProblem[] = [];
  for (let line = 1; ; line += 1) {
    const next = await lines.next();
    if (next.done === true) return { first: null, problems };
    const read = readTraceLine(next.value, line);
    if (read === null) continue;
    if ('kind' in read) return { first: { text: next.value, line }, problems };
    problems.push(read);
  }
}

async function openInput(path: string): Promise<Readable> {
  const stream = createReadStream(path);
  // Surfaces a missing or unreadable file (ENOENT, EISDIR, EACCES) before anything is opened.
  await new Promise<void>((resolve, reject) => {
    stream.once('readable', resolve);
    stream.once('error', reject);
  });
  return stream;
}

async function importLines(
  first: { text: string; line: number },
  lines: AsyncIterator<string>,
  log: EventLog,
  onProblem: (line: number, message: string) => void,
): Promise<{ appended: number; repeated: number; skipped: number }> {
  const totals = { appended: 0, repeated: 0, skipped: 0 };
  let chunk: string[] = [first.text];
  let firstLine = first.line;
  const flush = async () => {
    const { records, problems } = readTrace(chunk.join('\n'));
    for (const problem of problems) onProblem(firstLine + problem.line - 1, problem.message);
    totals.skipped += problems.length;
    for (const result of await appendInOrder(log, records.map(toItem))) {
      for (const repeat of result.repeated) totals[repeat ? 'repeated' : 'appended'] += 1;
    }
    firstLine += chunk.length;
    chunk = [];
  };
  for (let next = await lines.next(); next.done !== true; next = await lines.next()) {
    chunk.push(next.value);
    if (chunk.length === LINES_PER_ROUND) await flush();
  }
  await flush();
  return totals;
}

function toItem(line: TraceLine): LogItem {
  if (line.kind === 'reject')
    return { kind: 'reject', at: line.at, reason: line.reason, raw: line.raw };
  const at = (line.record as { at: number }).at;
  return toLogItem(line.record, at);
}

// Runs of one stream become one append; all are issued at once and the log's group commit keeps
// them in the order issued, so the target's positions follow the trace's order.
function appendInOrder(log: EventLog, items: readonly LogItem[]): Promise<AppendResult[]> {
  const appends: Promise<AppendResult>[] = [];
  let run: LogItem[] = [];
  let stream = '';
  for (const item of items) {
    const next = streamOf(item);
    if (run.length > 0 && next !== stream) {
      appends.push(log.append(stream, run, { expectedVersion: 'any' }));
      run = [];
    }
    stream = next;
    run.push(item);
  }
  if (run.length > 0) appends.push(log.append(stream, run, { expectedVersion: 'any' }));
  return Promise.all(appends);
}
