import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { readTrace, type TraceLine } from '../../core/index.js';
import { streamOf } from '../../log/stream-of.js';
import { toLogItem } from '../../log/to-log-item.js';
import type { AppendResult, EventLog, LogItem } from '../../log/types.js';
import { openLogTarget, takeOption } from '../log-target.js';
import type { CliIo } from '../run.js';
import { IMPORT_USAGE } from '../usage.js';

// Lines read and appended per round: memory stays flat whatever the trace's size.
const LINES_PER_ROUND = 5000;

/** `recwatch import`: appends a trace to a log (SQLite or PostgreSQL); resolves to the exit code. */
export async function importCommand(
  args: readonly string[],
  io: CliIo,
  stdin: Readable = process.stdin,
): Promise<number> {
  const appendFlag = args.includes('--append');
  const { value: target, rest: withoutTo } = takeOption(
    args.filter((arg) => arg !== '--append'),
    '--to',
  );
  const { value: schema, rest } = takeOption(withoutTo, '--schema');
  const [source] = rest;
  const bad =
    rest.length !== 1 || source === undefined || (source !== '-' && source.startsWith('--'));
  if (bad || target === undefined || target === null || schema === null) {
    io.err.write(`usage: ${IMPORT_USAGE}\n`);
    return 64;
  }
  // The input first: a trace that cannot be opened leaves no new log behind.
  const input = source === '-' ? stdin : await openInput(source);
  const { log, describe } = await openLogTarget(target, schema);
  try {
    if (!appendFlag && (await log.readAll({ limit: 1 })).length > 0) {
      io.err.write(
        `recwatch import: ${describe} is not empty; nothing imported (--append adds to it; entries already there are skipped)\n`,
      );
      return 73;
    }
    const { appended, repeated, skipped } = await importLines(input, log, (line, message) =>
      io.err.write(`${source === '-' ? 'stdin' : source}:${line}: skipped: ${message}\n`),
    );
    io.err.write(
      `recwatch: imported ${appended} entries into ${describe}` +
        (repeated > 0 ? `, ${repeated} already there` : '') +
        (skipped > 0 ? `, ${skipped} unreadable lines skipped` : '') +
        '\n',
    );
    // Unreadable lines are data the target lacks: a script must notice (EX_DATAERR).
    return skipped > 0 ? 65 : 0;
  } finally {
    await log.close();
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
  input: Readable,
  log: EventLog,
  onProblem: (line: number, message: string) => void,
): Promise<{ appended: number; repeated: number; skipped: number }> {
  const totals = { appended: 0, repeated: 0, skipped: 0 };
  let chunk: string[] = [];
  let firstLine = 1;
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
  for await (const line of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
    chunk.push(line);
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
