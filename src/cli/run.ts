import { packageVersion } from './version.js';

/** Where the CLI writes: the process's streams, or buffers in tests. */
export interface CliIo {
  readonly out: { write(text: string): unknown };
  readonly err: { write(text: string): unknown };
}

const HELP = `recwatch: the truth about your Agora cloud recordings

Usage:
  recwatch --help          show this help
  recwatch --version       print the version

recwatch is a library first: import { parseNotification, classifyQuery, verifySignature }
from 'recwatch'. See the README for a tour.
`;

/**
 * Runs the recwatch command line and resolves to the exit code (0 ok, 64 usage error).
 * @example await runCli(['--version'], { out: process.stdout, err: process.stderr })
 */
export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  const [command] = args;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.out.write(HELP);
    return 0;
  }
  if (command === '--version' || command === '-v') {
    io.out.write(`${packageVersion()}\n`);
    return 0;
  }
  io.err.write(`recwatch: unknown command '${command}'\n\n${HELP}`);
  return 64;
}
