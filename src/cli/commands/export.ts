import { EventEmitter, once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rejectLine, traceLineText } from '../../core/index.js';
import { allEntries, openSqliteLog } from '../../log/index.js';
import type { CliIo } from '../run.js';
import { EXPORT_USAGE } from '../usage.js';

/** `recwatch export`: resolves to the exit code. */
export async function exportCommand(args: readonly string[], io: CliIo): Promise<number> {
  const outAt = args.indexOf('--out');
  const outPath = outAt >= 0 ? args[outAt + 1] : undefined;
  const rest = args.filter((_, i) => outAt < 0 || (i !== outAt && i !== outAt + 1));
  const [path] = rest;
  if (path === undefined || rest.length > 1 || (outAt >= 0 && outPath === undefined)) {
    io.err.write(`usage: ${EXPORT_USAGE}\n`);
    return 64;
  }
  // The log first: a file that is not a log must not leave an empty export behind.
  const log = await openSqliteLog(path);
  const file = outPath === undefined ? null : createWriteStream(outPath);
  const sink = file ?? io.out;
  let count = 0;
  try {
    for await (const entry of allEntries(log)) {
      const { item } = entry;
      const line = item.kind === 'input' ? item.record : rejectLine(item.at, item.reason, item.raw);
      // Wait for a full stream to drain (a file, or stdout into a slow pipe): memory stays flat.
      if (sink.write(`${traceLineText(line)}\n`) === false && sink instanceof EventEmitter)
        await once(sink, 'drain');
      count += 1;
    }
  } finally {
    await log.close();
    if (file !== null) {
      file.end();
      await once(file, 'close');
    }
  }
  if (outPath !== undefined) io.err.write(`recwatch: exported ${count} inputs to ${outPath}\n`);
  return 0;
}
