// What `replay` reads: a SQLite log (a file, opened read-only), or a trace from a file, a pipe,
// a process substitution or stdin (`-`). Nothing is created and nothing is read twice: a pipe
// cannot seek, so a trace is read as one stream of lines.
import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { CliError, EXIT, shortPath } from './errors.js';

const SQLITE_HEADER = 'SQLite format 3\0';

/**
 * Whether the file at `path` starts with SQLite's header (a log, not a trace). Throws the file
 * system's error for a path that cannot be opened.
 * @example isSqliteFile('recwatch.db') // true
 */
export function isSqliteFile(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const header = Buffer.alloc(16);
    return readSync(fd, header, 0, 16, 0) === 16 && header.toString('latin1') === SQLITE_HEADER;
  } finally {
    closeSync(fd);
  }
}

/** The longest trace line read (a line is one input; Agora's bodies are a few KB). */
export const MAX_LINE_CHARS = 64 * 1024 * 1024;

/** What a replay reads: a log file, or a trace as a stream of lines. */
export type ReplaySource =
  | { readonly kind: 'log'; readonly path: string }
  | { readonly kind: 'trace'; readonly name: string; readonly lines: AsyncIterable<string> };

/**
 * Opens what `replay` reads, for reading only. `-` is stdin. Throws the file system's error for
 * a path that cannot be opened, and `CliError` for a folder or a SQLite log through a pipe.
 * @example const source = openReplaySource('trace.jsonl', () => process.stdin);
 */
export function openReplaySource(path: string, stdin: () => Readable): ReplaySource {
  if (path === '-') return { kind: 'trace', name: '(stdin)', lines: linesOf(stdin(), '(stdin)') };
  const fd = openSync(path, 'r');
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory())
      throw new CliError(`${shortPath(path)}: is a folder, not a file`, EXIT.noInput);
    if (stat.isFile()) {
      const header = Buffer.alloc(16);
      const read = readSync(fd, header, 0, 16, 0);
      // A file that begins like SQLite's header is read as a log, which names what is wrong with
      // it (too short, damaged); only a pipe is refused for looking like one.
      if (read >= 15 && header.toString('latin1', 0, 15) === SQLITE_HEADER.slice(0, 15)) {
        closeSync(fd);
        return { kind: 'log', path };
      }
    }
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  // A regular file is read from its start; a pipe or a device from where it stands.
  const stream = createReadStream('', { fd, autoClose: true });
  return { kind: 'trace', name: path, lines: linesOf(stream, path) };
}

/**
 * The lines of a UTF-8 stream, split on '\n' like `readTrace` (line numbers agree). Throws
 * `CliError` for a line longer than `MAX_LINE_CHARS` and for a SQLite log read through a pipe.
 */
export async function* linesOf(stream: Readable, name: string): AsyncGenerator<string> {
  stream.setEncoding('utf8');
  // The start of a line that has not ended yet, in pieces: each chunk is scanned once.
  let pieces: string[] = [];
  let pendingLength = 0;
  let first = true;
  for await (const chunk of stream as AsyncIterable<string>) {
    if (first && chunk.startsWith(SQLITE_HEADER.slice(0, 15))) {
      stream.destroy();
      throw new CliError(
        `${shortPath(name)}: a SQLite log cannot be read from a pipe; give its file name`,
        EXIT.noInput,
      );
    }
    first = false;
    let start = 0;
    for (let end = chunk.indexOf('\n'); end >= 0; end = chunk.indexOf('\n', start)) {
      // A line within one chunk (nearly all) is a slice of it: no list, no join.
      if (pieces.length === 0) yield chunk.slice(start, end);
      else {
        pieces.push(chunk.slice(start, end));
        yield pieces.join('');
        pieces = [];
        pendingLength = 0;
      }
      start = end + 1;
    }
    if (start < chunk.length) {
      pieces.push(chunk.slice(start));
      pendingLength += chunk.length - start;
    }
    if (pendingLength > MAX_LINE_CHARS) {
      stream.destroy();
      throw new CliError(
        `${shortPath(name)}: a line longer than ${MAX_LINE_CHARS / 1024 / 1024} MiB is not a trace line`,
        EXIT.data,
      );
    }
  }
  if (pieces.length > 0) yield pieces.join('');
}
