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

/**
 * Reads `--name value` out of `args`: the value (undefined when absent, null when the flag has
 * no value) and the other arguments.
 */
export function takeOption(
  args: readonly string[],
  name: string,
): { value: string | undefined | null; rest: string[] } {
  const at = args.indexOf(name);
  if (at < 0) return { value: undefined, rest: [...args] };
  const value = args[at + 1];
  const rest = args.filter((_, index) => index !== at && index !== at + 1);
  return { value: value === undefined || value.startsWith('--') ? null : value, rest };
}
