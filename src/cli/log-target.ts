import type { EventLog } from '../log/types.js';

/** Whether a CLI argument names a PostgreSQL database (a `postgres://` URL), not a SQLite file. */
export function isPostgresUrl(target: string): boolean {
  return /^postgres(ql)?:\/\//i.test(target);
}

/**
 * Opens the log a CLI argument names: a SQLite file, or a schema of a PostgreSQL database (the
 * `pg` driver loads only then). `describe` names it for messages, never with a password.
 */
export async function openLogTarget(
  target: string,
  schema: string | undefined,
): Promise<{ log: EventLog; describe: string }> {
  if (isPostgresUrl(target)) {
    const { openPostgresLog } = await import('../log/postgres-store.js');
    const log = await openPostgresLog(target, schema === undefined ? {} : { schema });
    return { log, describe: `PostgreSQL schema "${log.schema}"` };
  }
  const { openSqliteLog } = await import('../log/sqlite-store.js');
  return { log: await openSqliteLog(target), describe: target };
}
