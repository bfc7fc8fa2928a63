import { LogFileError } from '../log/errors.js';
import { DEMO_USAGE, EXPORT_USAGE, REPLAY_USAGE, SCENARIOS_USAGE, SIM_USAGE } from './usage.js';
import { packageVersion } from './version.js';

/** Where the CLI writes: the process's streams, or buffers in tests. */
export interface CliIo {
  readonly out: { write(text: string): unknown };
  readonly err: { write(text: string): unknown };
}

const indent = (text: string) => text.replace(/^/gm, '  ');

const HELP = `recwatch: the truth about your Agora cloud recordings

Usage:
${indent(REPLAY_USAGE)}

${indent(EXPORT_USAGE)}

${indent(SIM_USAGE)}

${indent(DEMO_USAGE)}

${indent(SCENARIOS_USAGE)}

  recwatch --help          show this help
  recwatch --version       print the version

recwatch is a library first: see the README for a tour.
`;

// Loaded when run: help and version stay quick.
const COMMANDS: Readonly<Record<string, (args: readonly string[], io: CliIo) => Promise<number>>> =
  {
    replay: async (args, io) => (await import('./commands/replay.js')).replayCommand(args, io),
    export: async (args, io) => (await import('./commands/export.js')).exportCommand(args, io),
    sim: async (args, io) => (await import('./commands/sim.js')).simCommand(args, io),
    demo: async (args, io) => (await import('./commands/demo.js')).demoCommand(args, io),
    scenarios: async (args, io) =>
      (await import('./commands/scenarios.js')).scenariosCommand(args, io),
  };

/**
 * Runs the recwatch command line and resolves to the exit code (0 ok, 64 usage error, 66 a file
 * that cannot be read as asked).
 * @example await runCli(['replay', 'trace.jsonl', '--json'], { out: process.stdout, err: process.stderr })
 */
export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = args;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.out.write(HELP);
    return 0;
  }
  if (command === '--version' || command === '-v') {
    io.out.write(`${packageVersion()}\n`);
    return 0;
  }
  const run = COMMANDS[command];
  if (run === undefined) {
    io.err.write(`recwatch: unknown command '${command}'\n\n${HELP}`);
    return 64;
  }
  try {
    return await run(rest, io);
  } catch (error) {
    if (error instanceof LogFileError || isFileError(error)) {
      io.err.write(`recwatch ${command}: ${(error as Error).message}\n`);
      return 66;
    }
    throw error;
  }
}

function isFileError(error: unknown): boolean {
  return (
    error instanceof Error &&
    'code' in error &&
    (error.code === 'ENOENT' || error.code === 'EISDIR' || error.code === 'EACCES')
  );
}
