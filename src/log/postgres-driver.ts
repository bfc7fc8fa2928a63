// The `pg` driver, loaded only when a PostgreSQL log opens its own pool: `pg` is an optional peer
// dependency of recwatch, so a host on SQLite (or on a pool of its own) never needs it installed.
import type pg from 'pg';
import { ConfigurationError } from '../errors/index.js';

let loaded: Promise<typeof pg> | undefined;

/**
 * The `pg` module, imported once on first use.
 * @throws ConfigurationError naming `npm install pg` when the driver is not installed (any other
 *   failure to load it is rethrown as it is).
 * @example const { Pool } = await loadPg();
 */
export function loadPg(): Promise<typeof pg> {
  loaded ??= import('pg').then(
    (module) => (module as { default?: typeof pg }).default ?? (module as unknown as typeof pg),
    (error: unknown) => {
      loaded = undefined;
      if (isMissing(error)) {
        throw new ConfigurationError(
          'the PostgreSQL log needs the pg driver, an optional peer dependency of recwatch: npm install pg',
        );
      }
      throw error;
    },
  );
  return loaded;
}

function isMissing(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
    /['"]pg['"]/.test(String((error as { message?: unknown }).message))
  );
}
