// How durable an acknowledged SQLite append is: a type of its own, so the public types never
// reach the writer thread's (and so better-sqlite3's) declarations.

/**
 * How durable an acknowledged append is. `'full'`: the WAL is fsynced at every group commit
 * (`synchronous=FULL`), so it survives a power loss. `'normal'`: WAL with `synchronous=NORMAL`,
 * the WAL is fsynced only at checkpoints: an append survives the process crashing (the write is
 * in the operating system's cache) but the last commits before a power loss or a kernel crash
 * may be lost (never corrupted). Source: SQLite's `PRAGMA synchronous` documentation.
 */
export type SqliteDurability = 'full' | 'normal';
