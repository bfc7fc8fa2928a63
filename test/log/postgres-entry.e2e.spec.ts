// The package's entries as a host imports them: `recwatch` never loads the `pg` driver;
// `recwatch/postgres` gives the PostgreSQL log, and loads pg (an optional peer dependency) only
// when a log opens its own pool.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { root } from '../cli/recwatch.js';

// Whether importing `specifier` from the package root loads pg (a CommonJS module, so it lands
// in the require cache), and what the entry exports.
function load(specifier: string, then = ''): { pgLoaded: boolean; exports: string[] } {
  const script = `
    import { createRequire } from 'node:module';
    const entry = await import(${JSON.stringify(specifier)});
    ${then}
    const cache = createRequire(import.meta.url).cache;
    const pgLoaded = Object.keys(cache).some((path) => path.includes('/node_modules/pg/'));
    console.log(JSON.stringify({ pgLoaded, exports: Object.keys(entry) }));`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: root,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout) as { pgLoaded: boolean; exports: string[] };
}

describe('package entries (built)', () => {
  it('does not load pg for the main entry', () => {
    const main = load('recwatch');
    expect(main.pgLoaded).toBe(false);
    expect(main.exports).toContain('openSqliteLog');
    expect(main.exports).not.toContain('openPostgresLog');
  });

  it('gives the PostgreSQL log under recwatch/postgres', () => {
    const postgres = load('recwatch/postgres');
    expect(postgres.pgLoaded).toBe(false);
    // Nothing listens on port 9: the open fails, after loading the driver.
    const opened = load(
      'recwatch/postgres',
      "await entry.openPostgresLog('postgres://127.0.0.1:9/none').catch(() => {});",
    );
    expect(opened.pgLoaded).toBe(true);
    expect(postgres.exports).toEqual(
      expect.arrayContaining(['openPostgresLog', 'migratePostgres', 'LeaseLostError']),
    );
  });
});
