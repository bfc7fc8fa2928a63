import { z } from 'zod';
import { booleanLike, idLike, lenient, numberLike, toEpochMs } from './liberal.js';

/** A recorded file as Agora reports it, whatever the mode or the casing of its name field. */
export interface RecordedFile {
  readonly fileName: string;
  readonly trackType?: 'audio' | 'video' | 'audio_and_video' | (string & {});
  readonly uid?: string;
  readonly mixedAllUser?: boolean;
  readonly isPlayable?: boolean;
  /** Epoch ms (Agora's text says seconds, its examples ms; both are accepted). */
  readonly sliceStartTime?: number;
}

// Only the name is needed; every other field is read when it reads (booleans and numbers may
// come as strings, agora-cloud-recording.md §1.1) and left out when it does not.
const fileEntry = z
  .looseObject({
    fileName: lenient(z.string()),
    filename: lenient(z.string()),
    trackType: lenient(z.string()),
    uid: lenient(idLike),
    mixedAllUser: lenient(booleanLike),
    isPlayable: lenient(booleanLike),
    sliceStartTime: lenient(numberLike),
  })
  .transform((entry): RecordedFile | null => {
    const fileName = entry.fileName ?? entry.filename;
    if (fileName === undefined || fileName === '') return null;
    const file: { -readonly [K in keyof RecordedFile]: RecordedFile[K] } = { fileName };
    if (entry.trackType !== undefined) file.trackType = entry.trackType;
    if (entry.uid !== undefined) file.uid = entry.uid;
    if (entry.mixedAllUser !== undefined) file.mixedAllUser = entry.mixedAllUser;
    if (entry.isPlayable !== undefined) file.isPlayable = entry.isPlayable;
    if (entry.sliceStartTime !== undefined) file.sliceStartTime = toEpochMs(entry.sliceStartTime);
    return file;
  });

/**
 * `fileList` in every shape Agora sends: one M3U8 name (string mode and old responses), or an
 * array of entries (json mode, web mode, upload events). An empty string means no file yet.
 * Best effort, never a failure: entries without a name, and a list of any other shape, give no
 * file (the files are news for the host; the lifecycle never depends on one entry).
 */
export const fileList = z.unknown().transform((list): RecordedFile[] => {
  if (typeof list === 'string') return list === '' ? [] : [{ fileName: list }];
  if (!Array.isArray(list)) return [];
  const files: RecordedFile[] = [];
  for (const entry of list) {
    // Cheap test first: an entry with no name is skipped without building a zod error, so a
    // list of junk costs about what reading it does.
    if (!hasName(entry)) continue;
    const parsed = fileEntry.safeParse(entry);
    if (parsed.success && parsed.data !== null) files.push(parsed.data);
  }
  return files;
});

function hasName(entry: unknown): boolean {
  if (entry === null || typeof entry !== 'object') return false;
  const { fileName, filename } = entry as { fileName?: unknown; filename?: unknown };
  return (
    (typeof fileName === 'string' && fileName !== '') ||
    (typeof filename === 'string' && filename !== '')
  );
}
