import { z } from 'zod';
import { idLike, numberLike, toEpochMs } from './liberal.js';

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

const fileEntry = z
  .looseObject({
    fileName: z.string().optional(),
    filename: z.string().optional(),
    trackType: z.string().optional(),
    uid: idLike.optional(),
    mixedAllUser: z.boolean().optional(),
    isPlayable: z.boolean().optional(),
    sliceStartTime: numberLike.optional(),
  })
  .refine((entry) => entry.fileName !== undefined || entry.filename !== undefined, {
    message: 'expected fileName or filename',
  })
  .transform((entry): RecordedFile => {
    const file: { -readonly [K in keyof RecordedFile]: RecordedFile[K] } = {
      fileName: (entry.fileName ?? entry.filename) as string,
    };
    if (entry.trackType !== undefined) file.trackType = entry.trackType;
    if (entry.uid !== undefined) file.uid = entry.uid;
    if (entry.mixedAllUser !== undefined) file.mixedAllUser = entry.mixedAllUser;
    if (entry.isPlayable !== undefined) file.isPlayable = entry.isPlayable;
    if (entry.sliceStartTime !== undefined) file.sliceStartTime = toEpochMs(entry.sliceStartTime);
    return file;
  });

/**
 * `fileList` in every shape Agora sends: one M3U8 name (string mode and old responses), or an
 * array of entries (json mode, web mode, upload events). An empty string means no file yet. The
 * first bad entry rejects the list: a reject costs about what reading the list does, not one
 * issue per entry (10,000 empty entries took 80 ms when each was reported).
 */
export const fileList = z
  .union([z.string(), z.array(z.unknown())])
  .transform((list, context): RecordedFile[] => {
    if (typeof list === 'string') return list === '' ? [] : [{ fileName: list }];
    const files: RecordedFile[] = [];
    for (const [index, entry] of list.entries()) {
      const parsed = fileEntry.safeParse(entry);
      if (!parsed.success) {
        for (const issue of parsed.error.issues.slice(0, 1))
          context.addIssue({
            code: 'custom',
            message: issue.message,
            path: [index, ...issue.path],
          });
        return z.NEVER;
      }
      files.push(parsed.data);
    }
    return files;
  });
