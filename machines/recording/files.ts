import type { RecordingContext } from './types.js';

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
