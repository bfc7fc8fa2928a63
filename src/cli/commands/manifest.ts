import {
  createCore,
  fleetManifest,
  ManifestBook,
  type ReceivedLine,
  Replay,
} from '../../core/index.js';
import { allEntries, openSqliteLog } from '../../log/index.js';
import { parseCommand } from '../args.js';
import { EXIT } from '../errors.js';
import { manifestText } from '../manifest-text.js';
import type { CliIo } from '../run.js';
import { openReplaySource } from '../sources.js';
import { eachTraceLine, stdinOf } from '../trace-lines.js';

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
  } else await eachTraceLine(source.name, source.lines, step, io);
  fold.finish();
  const manifest = fleetManifest(book);
  io.out.write(values.json === true ? `${JSON.stringify(manifest)}\n` : manifestText(manifest));
  return EXIT.ok;
}
