import { EventEmitter, once } from 'node:events';
import { fstatSync, statSync } from 'node:fs';
import { rejectLine, traceLineText } from '../../core/index.js';
import { allEntries, openSqliteLog } from '../../log/index.js';
import { parseCommand } from '../args.js';
import { CliError, EXIT, shortPath } from '../errors.js';
import { openOutput, sameFile } from '../output.js';
import type { CliIo } from '../run.js';

/**
 * `recwatch export`: resolves to the exit code. Reads the log read-only; writes the trace to
 * stdout, or to `--out` (which must not exist, unless `--force`, and is never the log).
 */
export async function exportCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand(
    { options: { out: { type: 'string' }, force: { type: 'boolean' } }, positionals: ['log.db'] },
    args,
  );
  const path = positionals[0] as string;
  const outPath = values.out === '-' ? undefined : (values.out as string | undefined);
  // The log first: a file that is not a log must not leave an export behind.
  const log = await openSqliteLog(path, { readOnly: true });
  let output: ReturnType<typeof openOutput> | null = null;
  let count = 0;
  try {
    if (outPath === undefined) refuseStdoutOnto(path, io);
    else output = openOutput(outPath, { force: values.force === true, inputs: [path] });
    const sink = output?.stream ?? io.out;
    for await (const entry of allEntries(log)) {
      const { item } = entry;
      const line = item.kind === 'input' ? item.record : rejectLine(item.at, item.reason, item.raw);
      // Wait for a full stream to drain (a file, or stdout into a slow pipe): memory stays flat.
      if (sink.write(`${traceLineText(line)}\n`) === false && sink instanceof EventEmitter)
        await once(sink, 'drain');
      count += 1;
    }
    await output?.commit();
  } catch (error) {
    output?.abort();
    throw error;
  } finally {
    await log.close();
  }
  if (outPath !== undefined)
    io.err.write(`recwatch: exported ${count} inputs to ${shortPath(outPath)}\n`);
  return EXIT.ok;
}

// `recwatch export log.db >> log.db` would append the trace to the log itself.
function refuseStdoutOnto(path: string, io: CliIo): void {
  if (io.outFd === undefined) return;
  let same = false;
  try {
    same = sameFile(fstatSync(io.outFd), statSync(path));
  } catch {
    // stdout that cannot be inspected is not the log's file.
  }
  if (same)
    throw new CliError(
      `stdout is the input ${shortPath(path)}: an output never replaces its input`,
      EXIT.cantCreate,
    );
}
