// The part of fs-native-extensions (no types of its own) the SQLite writer lock uses.
declare module 'fs-native-extensions' {
  /**
   * Takes a lock on `length` bytes from `offset` of the open file `fd` without waiting: true when
   * granted, false when another open file holds a conflicting one. Linux: an open file description
   * lock (F_OFD_SETLK); Windows: LockFileEx; macOS: flock on the whole file.
   */
  export function tryLock(
    fd: number,
    offset: number,
    length: number,
    options?: { shared?: boolean },
  ): boolean;

  /** Releases a lock taken with `tryLock` on the same bytes. */
  export function unlock(fd: number, offset: number, length: number): void;
}
