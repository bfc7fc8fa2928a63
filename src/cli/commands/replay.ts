import { readFileSync } from 'node:fs';
import {
  type CoreOutput,
  type CoreState,
  createCore,
  picture,
  Replay,
  readTrace,
} from '../../core/index.js';
import { openSqliteLog } from '../../log/index.js';
import { rebuildFromLog } from '../../runtime/index.js';
import type { CliIo } from '../run.js';
import { isSqliteFile } from '../sources.js';
import { formatOutput, formatPicture } from '../timeline.js';
import { REPLAY_USAGE } from '../usage.js';

/** `recwatch replay`: resolves to the exit code. */
export async function replayCommand(args: readonly string[], io: CliIo): Promise<number> {
  const json = args.includes('--json');
  const paths = args.filter((arg) => arg !== '--json');
  const [path] = paths;
  if (path === undefined || paths.length > 1 || paths.some((arg) => arg.startsWith('--'))) {
    io.err.write(`usage: ${REPLAY_USAGE}\n`);
    return 64;
  }
  const print = json ? () => {} : (output: CoreOutput) => io.out.write(`${formatOutput(output)}\n`);
  let state: CoreState;
  if (isSqliteFile(path)) {
    const log = await openSqliteLog(path);
    try {
      // The picture alone can start from the latest snapshot; a timeline shows every input.
      ({ state } = await rebuildFromLog(
        log,
        json ? { useSnapshot: true } : { useSnapshot: false, onOutput: print },
      ));
    } finally {
      await log.close();
    }
  } else {
    const { records, problems } = readTrace(readFileSync(path, 'utf8'));
    for (const problem of problems)
      io.err.write(`${path}:${problem.line}: skipped: ${problem.message}\n`);
    const fold = new Replay(createCore(), { outputs: !json });
    for (const line of records) for (const output of fold.line(line)) print(output);
    state = fold.finish();
  }
  io.out.write(
    json ? `${JSON.stringify(picture(state))}\n` : `\n${formatPicture(picture(state))}\n`,
  );
  return 0;
}
