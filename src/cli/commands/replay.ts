import { readFile } from 'node:fs/promises';
import type { RecordingSnapshot } from '../../../machines/index.js';
import {
  type CoreOutput,
  type CoreState,
  createCore,
  differingOptions,
  picture,
  Replay,
  type ResolvedCoreOptions,
  readRecordedOptions,
} from '../../core/index.js';
import { openSqliteLog } from '../../log/index.js';
import { rebuildFromLog } from '../../runtime/index.js';
import { parseCommand } from '../args.js';
import { CliError, EXIT, shortPath } from '../errors.js';
import { printable } from '../printable.js';
import type { CliIo } from '../run.js';
import { openReplaySource } from '../sources.js';
import { formatOutput, formatPicture } from '../timeline.js';
import { eachTraceLine, stdinOf } from '../trace-lines.js';

/** `recwatch replay`: resolves to the exit code. Reads its input only; writes stdout and stderr. */
export async function replayCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand(
    {
      options: { json: { type: 'boolean' }, options: { type: 'string' } },
      positionals: ['trace.jsonl | log.db | -'],
    },
    args,
  );
  const json = values.json === true;
  const path = positionals[0] as string;
  const override =
    typeof values.options === 'string' ? await readOptionsFile(values.options) : undefined;
  const print = json ? null : (output: CoreOutput) => io.out.write(`${formatOutput(output)}\n`);
  const source = openReplaySource(path, () => stdinOf(io));
  const { state, forgotten } =
    source.kind === 'log'
      ? await replayLog(source.path, print, override)
      : await replayTrace(source.name, source.lines, print, io, override);
  if (override !== undefined) {
    // The state keeps what the input recorded, whatever replaced it: say what differs.
    const differ = differingOptions(state.options, override);
    io.err.write(
      differ.length === 0
        ? 'recwatch replay: --options are the ones the input recorded\n'
        : `recwatch replay: --options replace the recorded options; they differ in ${differ.join(', ')}\n`,
    );
  }
  // A recording that finished and left memory during the trace still has its final state.
  const final = picture(state, forgotten);
  io.out.write(json ? `${JSON.stringify(final)}\n` : `\n${formatPicture(final)}\n`);
  return EXIT.ok;
}

/** The options file of `--options`: JSON core options, read as an `options` record is. */
async function readOptionsFile(path: string): Promise<ResolvedCoreOptions> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new CliError(`--options: ${shortPath(path)} cannot be read`, EXIT.noInput);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new CliError(`--options: ${shortPath(path)} is not JSON`, EXIT.data);
  }
  const read = readRecordedOptions(raw);
  if (!read.ok) throw new CliError(`--options: ${printable(read.reason)}`, EXIT.data);
  return read.value;
}

/**
 * The whole log, always: a snapshot holds the recordings in memory at its position, not those
 * that finished and left before it, and the picture shows every recording the log knows.
 */
async function replayLog(
  path: string,
  print: ((output: CoreOutput) => void) | null,
  override: ResolvedCoreOptions | undefined,
): Promise<{ state: CoreState; forgotten: ReadonlyMap<string, RecordingSnapshot> }> {
  const log = await openSqliteLog(path, { readOnly: true });
  try {
    return await rebuildFromLog(log, {
      useSnapshot: false,
      keepForgotten: true,
      ...(print !== null && { onOutput: print }),
      ...(override !== undefined && { options: override }),
    });
  } finally {
    await log.close();
  }
}

async function replayTrace(
  name: string,
  lines: AsyncIterable<string>,
  print: ((output: CoreOutput) => void) | null,
  io: CliIo,
  override: ResolvedCoreOptions | undefined,
): Promise<{ state: CoreState; forgotten: ReadonlyMap<string, RecordingSnapshot> }> {
  // The picture alone needs no outputs: they are not even made.
  const fold = new Replay(createCore(), {
    outputs: print !== null,
    keepForgotten: true,
    ...(override !== undefined && { options: override }),
  });
  await eachTraceLine(
    name,
    lines,
    (line) => {
      const outputs = fold.line(line);
      if (print !== null) for (const output of outputs) print(output);
    },
    io,
  );
  return { state: fold.finish(), forgotten: fold.forgotten };
}
