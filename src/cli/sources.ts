import { closeSync, openSync, readSync } from 'node:fs';

const SQLITE_HEADER = 'SQLite format 3\0';

/** Whether a file is a SQLite database (by its 16-byte header), rather than a trace. */
export function isSqliteFile(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const header = Buffer.alloc(16);
    const read = readSync(fd, header, 0, 16, 0);
    return read === 16 && header.toString('latin1') === SQLITE_HEADER;
  } finally {
    closeSync(fd);
  }
}
