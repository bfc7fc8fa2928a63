import type { Readable } from 'node:stream';
import { EXIT, userFailure } from './errors.js';
import { printable } from './printable.js';
import {
  DEMO_USAGE,
  EXPORT_USAGE,
  IMPORT_USAGE,
  INSPECT_USAGE,
  MANIFEST_USAGE,
  MIGRATE_USAGE,
  REPLAY_USAGE,
  SCENARIOS_USAGE,
  SERVE_USAGE,
  SIM_USAGE,
} from './usage.js';
import { packageVersion } from './version.js';

/** Where the CLI writes: the process's streams, or buffers in tests. */
export interface CliIo {
  readonly out: { write(text: string): unknown };
  readonly err: { write(text: string): unknown };
  /** What `replay -` reads; without it, `-` is a usage error. */
  readonly in?: Readable;
  /** The file descriptor behind `out`, so `export log.db >> log.db` is refused. */
  readonly outFd?: number;
}

const indent = (text: string) => text.replace(/^/gm, '  ');

const HELP = `recwatch: the truth about your Agora cloud recordings

Usage:
${indent(REPLAY_USAGE)}

${indent(MANIFEST_USAGE)}

${indent(EXPORT_USAGE)}

${indent(SIM_USAGE)}

${indent(SERVE_USAGE)}

${indent(IMPORT_USAGE)}

${indent(MIGRATE_USAGE)}

${indent(INSPECT_USAGE)}

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
    manifest: async (args, io) =>
      (await import('./commands/manifest.js')).manifestCommand(args, io),
    export: async (args, io) => (await import('./commands/export.js')).exportCommand(args, io),
    sim: async (args, io) => (await import('./commands/sim.js')).simCommand(args, io),
    serve: async (args, io) => (await import('./commands/serve.js')).serveCommand(args, io),
    import: async (args, io) => (await import('./commands/import.js')).importCommand(args, io),
    migrate: async (args, io) => (await import('./commands/migrate.js')).migrateCommand(args, io),
    inspect: async (args, io) => (await import('./commands/inspect.js')).inspectCommand(args, io),
    demo: async (args, io) => (await import('./commands/demo.js')).demoCommand(args, io),
    scenarios: async (args, io) =>
      (await import('./commands/scenarios.js')).scenariosCommand(args, io),
  };

// Each command's usage, for `recwatch <command> --help`.
const USAGES: Readonly<Record<string, string>> = {
  replay: REPLAY_USAGE,
  manifest: MANIFEST_USAGE,
  export: EXPORT_USAGE,
  sim: SIM_USAGE,
  serve: SERVE_USAGE,
  import: IMPORT_USAGE,
  migrate: MIGRATE_USAGE,
  inspect: INSPECT_USAGE,
  demo: DEMO_USAGE,
  scenarios: SCENARIOS_USAGE,
};

/**
 * Runs the recwatch command line and resolves to the exit code: 0 ok; a user error is one line
 * on `err` and 64 (usage), 65 (not a trace, a bad input), 66 (an input that cannot be opened),
 * 69 (a database that cannot be used), 73 (an output that must not be written) or 74 (a write
 * that failed). Rejects only for a bug.
 * @example await runCli(['replay', 'trace.jsonl', '--json'], { out: process.stdout, err: process.stderr })
 */
export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = args;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.out.write(HELP);
    return EXIT.ok;
  }
  if (command === '--version' || command === '-v') {
    io.out.write(`${packageVersion()}\n`);
    return EXIT.ok;
  }
  const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (run === undefined) {
    io.err.write(`recwatch: unknown command '${printable(command)}' (see 'recwatch --help')\n`);
    return EXIT.usage;
  }
  // `recwatch replay --help` asks for help, like `git log --help`: not an unknown option.
  const options = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
  if (options.includes('--help') || options.includes('-h')) {
    io.out.write(`usage: ${USAGES[command]}\n`);
    return EXIT.ok;
  }
  try {
    return await run(rest, io);
  } catch (error) {
    const failure = userFailure(error);
    if (failure === undefined) throw error;
    io.err.write(`recwatch ${command}: ${printable(failure.message)}\n`);
    return failure.exitCode;
  }
}
