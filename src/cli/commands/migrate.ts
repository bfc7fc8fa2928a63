import { checkSchemaName, migratePostgres } from '../../log/postgres-schema.js';
import { isPostgresUrl, takeOption } from '../log-target.js';
import type { CliIo } from '../run.js';
import { MIGRATE_USAGE } from '../usage.js';

/** `recwatch migrate`: creates or upgrades a PostgreSQL log's schema; resolves to the exit code. */
export async function migrateCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { value: schema, rest } = takeOption(args, '--schema');
  const [url] = rest;
  if (url === undefined || rest.length > 1 || schema === null || !isPostgresUrl(url)) {
    io.err.write(`usage: ${MIGRATE_USAGE}\n`);
    return 64;
  }
  const { default: pg } = await import('pg');
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
