import type { Database } from 'better-sqlite3';

// Node 24's ObjectWrap aborts the process (RemoveEnvironmentCleanupHook: env != nullptr) when
// V8 collects a better-sqlite3 Database or Statement outside a JS context, which it may do at
// any GC. So no handle is ever left for the collector: each is kept for the process's life.
// A closed one is a small shell (its SQLite resources are released on close); Node frees them
// at exit, with a context entered.
const kept: object[] = [];

/**
 * Keeps a better-sqlite3 handle reachable until the process exits, and returns it.
 * @example const db = keep(new Database(file)); const head = keep(db.prepare('SELECT 1'));
 */
export function keep<T extends object>(handle: T): T {
  kept.push(handle);
  return handle;
}

/**
 * Reads a pragma through a kept statement (`db.pragma` would leave one for the collector).
 * @example readPragma(db, 'application_id') // 0x52574c47 for a recwatch log
 */
export function readPragma(db: Database, pragma: string): unknown {
  return keep(db.prepare(`PRAGMA ${pragma}`))
    .pluck()
    .get();
}

/**
 * Reads every row of a pragma through a kept statement.
 * @example readPragmaRows(db, 'quick_check(5)') // ['ok']
 */
export function readPragmaRows(db: Database, pragma: string): unknown[] {
  return keep(db.prepare(`PRAGMA ${pragma}`))
    .pluck()
    .all();
}
