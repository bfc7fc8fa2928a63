import { openSource, startInspector } from '../../inspect/index.js';
import type { CliIo } from '../run.js';
import { INSPECT_USAGE } from '../usage.js';

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
  const parsed = parseArgs(args);
  if (parsed === null) {
    io.err.write(`usage: ${INSPECT_USAGE}\n`);
    return 64;
  }
  const { feed, problems } = await openSource(parsed.path);
  for (const problem of problems) {
    io.err.write(`${parsed.path}:${problem.line}: skipped: ${problem.message}\n`);
  }
  const inspector = await startInspector({ feed, port: parsed.port });
  const steps = feed.history().steps.length;
  io.out.write(`recwatch inspector: ${inspector.url} (${steps} inputs; Ctrl-C to stop)\n`);
  await (run.until ?? interrupted());
  await inspector.close();
  return 0;
}

function parseArgs(args: readonly string[]): { path: string; port: number } | null {
  let path: string | undefined;
  let port = 0;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string;
    if (arg === '--port') {
      const value = Number(args[i + 1]);
      if (!Number.isInteger(value) || value < 0 || value > 65_535) return null;
      port = value;
      i += 1;
    } else if (arg.startsWith('--') || path !== undefined) {
      return null;
    } else {
      path = arg;
    }
  }
  return path === undefined ? null : { path, port };
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
