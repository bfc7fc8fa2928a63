import type { RecordingContext } from './types.js';

/**
 * How many file names a recording keeps (the newest): enough to tell a new name from the ones
 * every query repeats, bounded however long it records. Every name stays in the event log.
 */
export const MAX_FILES = 1000;

/** The file names in `files` the recording has not seen yet, in order, each once. */
export function newFileNames(
  context: RecordingContext,
  files: readonly { readonly fileName: string }[] | undefined,
): readonly string[] {
  if (files === undefined || files.length === 0) return [];
  const known = new Set(context.files);
  const fresh: string[] = [];
  for (const { fileName } of files) {
    if (!known.has(fileName)) {
      known.add(fileName);
      fresh.push(fileName);
    }
  }
  return fresh;
}

/** The kept file names with `fresh` added: the newest `MAX_FILES`. */
export function withFiles(kept: readonly string[], fresh: readonly string[]): readonly string[] {
  const all = [...kept, ...fresh];
  return all.length > MAX_FILES ? all.slice(all.length - MAX_FILES) : all;
}
