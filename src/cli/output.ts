// Where `export --out` writes: never over its input, never over an existing file without
// --force, and never half-written: the trace goes to a temporary file beside the output and
// takes its name only once complete.
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import {
  createWriteStream,
  linkSync,
  renameSync,
  type Stats,
  statSync,
  unlinkSync,
  type WriteStream,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { CliError, EXIT, outputError, shortPath } from './errors.js';

/** An output being written: `commit` gives it its name, `abort` leaves nothing behind. */
export interface Output {
  readonly stream: WriteStream;
  commit(): Promise<void>;
  abort(): void;
}

/** The companions SQLite keeps beside a log: writing over them damages the log. */
const SQLITE_COMPANIONS = ['', '-wal', '-shm', '-journal'];

/**
 * Opens `path` for writing a command's output. Throws `CliError` (exit 73) when it is one of
 * `inputs` (or a SQLite companion of one), under any name or link, or when it exists and
 * `force` is false. A device or a pipe (`/dev/stdout`) is written directly.
 * @example const out = openOutput('trace.jsonl', { force: false, inputs: ['recwatch.db'] });
 */
export function openOutput(
  path: string,
  options: { readonly force: boolean; readonly inputs: readonly string[] },
): Output {
  try {
    return open(path, options);
  } catch (error) {
    throw outputError(error, path);
  }
}

function open(
  path: string,
  options: { readonly force: boolean; readonly inputs: readonly string[] },
): Output {
  const existing = statOrNull(path);
  for (const input of options.inputs) {
    if (isInput(path, existing, input)) {
      throw new CliError(
        `${shortPath(path)} is the input ${shortPath(input)}: an output never replaces its input`,
        EXIT.cantCreate,
      );
    }
  }
  if (existing?.isDirectory())
    throw new CliError(`${shortPath(path)}: is a folder, not a file`, EXIT.cantCreate);
  if (existing !== null && !existing.isFile()) {
    const stream = createWriteStream(path, { flags: 'w' });
    return { stream, commit: () => finish(stream), abort: () => stream.destroy() };
  }
  if (existing !== null && !options.force) {
    throw new CliError(`${shortPath(path)} exists; add --force to replace it`, EXIT.cantCreate);
  }
  const temporary = join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  const stream = createWriteStream(temporary, { flags: 'wx', mode: 0o644 });
  return {
    stream,
    async commit() {
      try {
        await finish(stream);
        publish(temporary, path, options.force);
      } catch (error) {
        throw outputError(error, path);
      } finally {
        removeQuietly(temporary);
      }
    },
    abort() {
      stream.destroy();
      removeQuietly(temporary);
    },
  };
}

async function finish(stream: WriteStream): Promise<void> {
  stream.end();
  await once(stream, 'close');
}

// A hard link never replaces an existing file, so a file that appeared meanwhile is kept.
function publish(temporary: string, path: string, force: boolean): void {
  if (force) {
    renameSync(temporary, path);
    return;
  }
  try {
    linkSync(temporary, path);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'EEXIST') {
      throw new CliError(`${shortPath(path)} exists; add --force to replace it`, EXIT.cantCreate);
    }
    throw error;
  }
}

function isInput(path: string, existing: Stats | null, input: string): boolean {
  for (const suffix of SQLITE_COMPANIONS) {
    const companion = `${input}${suffix}`;
    if (resolve(path) === resolve(companion)) return true;
    const other = statOrNull(companion);
    if (existing !== null && other !== null && sameFile(existing, other)) return true;
  }
  return false;
}

/** Whether two stats are of one file (one inode on one device), whatever the names. */
export function sameFile(a: Stats, b: Stats): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOENT') return null;
    throw error;
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone (renamed into place).
  }
}
