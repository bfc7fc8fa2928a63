import { loadPg } from '../../log/postgres-driver.js';
import { checkSchemaName, migratePostgres } from '../../log/postgres-schema.js';
import { parseCommand } from '../args.js';
import { UsageError } from '../errors.js';
import { isPostgresUrl } from '../log-target.js';
import type { CliIo } from '../run.js';

/** `recwatch migrate`: creates or upgrades a PostgreSQL log's schema; resolves to the exit code. */
export async function migrateCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand(
    { options: { schema: { type: 'string' } }, positionals: ['postgres://…'] },
    args,
  );
  const url = positionals[0] as string;
  // Not echoed: what was meant as a URL may hold a password.
  if (!isPostgresUrl(url)) throw new UsageError('the database must be a postgres:// URL');
  const schema = typeof values.schema === 'string' ? values.schema : undefined;
  const pg = await loadPg();
  const name = schema ?? 'recwatch';
  try {
    checkSchemaName(name);
  } catch (error) {
    io.err.write(`recwatch migrate: ${(error as Error).message}\n`);
    return 64;
  }
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  pool.on('error', () => {});
  try {
    const { from, to } = await migratePostgres(pool, name);
    io.out.write(
      from === to
        ? `recwatch: PostgreSQL schema "${name}" is already at log schema version ${to}\n`
        : `recwatch: PostgreSQL schema "${name}" migrated from log schema version ${from} to ${to}\n`,
    );
    return 0;
  } finally {
    await pool.end();
  }
}
