import { openSource, startInspector } from '../../inspect/index.js';
import { parseCommand } from '../args.js';
import { shortPath, UsageError } from '../errors.js';
import { notATrace } from '../not-a-trace.js';
import { printable } from '../printable.js';
import type { CliIo } from '../run.js';
import { isSqliteFile } from '../sources.js';

/** Options of the inspect command beyond its arguments: the signal that stops it (tests). */
export interface InspectRun {
  readonly until?: Promise<unknown>;
}

/**
 * `recwatch inspect <trace.jsonl | log.db> [--port N]`: serves the inspector page on loopback,
 * prints its URL and runs until interrupted (SIGINT or SIGTERM); resolves to the exit code.
 */
export async function inspectCommand(
  args: readonly string[],
  io: CliIo,
  run: InspectRun = {},
): Promise<number> {
  const parsed = readArgs(args);
  const { feed, problems } = await openSource(parsed.path);
  const steps = feed.history().steps.length;
  // A file that is neither a log nor a trace is refused, as `replay` refuses it, not served empty.
  if (steps === 0 && !isSqliteFile(parsed.path)) throw notATrace(parsed.path, problems);
  for (const problem of problems) {
    io.err.write(
      `${shortPath(parsed.path)}:${problem.line}: skipped: ${printable(problem.message)}\n`,
    );
  }
  const inspector = await startInspector({ feed, port: parsed.port });
  io.out.write(`recwatch inspector: ${inspector.url} (${steps} inputs; Ctrl-C to stop)\n`);
  await (run.until ?? interrupted());
  await inspector.close();
  return 0;
}

function readArgs(args: readonly string[]): { path: string; port: number } {
  const { values, positionals } = parseCommand(
    { options: { port: { type: 'string' } }, positionals: ['trace.jsonl | log.db'] },
    args,
  );
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!/^\d+$/.test(String(values.port ?? '0')) || port > 65_535) {
    throw new UsageError(
      `--port must be a port number (0..65535), not ${printable(String(values.port))}`,
    );
  }
  return { path: positionals[0] as string, port };
}

function interrupted(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
