// `recwatch migrate` and `recwatch import` against the run's PostgreSQL server, through the
// built command; and moving a SQLite log to PostgreSQL with export then import.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { type EventLog, openSqliteLog } from '../../src/index.js';
import { streamOf, toLogItem } from '../../src/log/index.js';
import { POSTGRES_SCHEMA_VERSION } from '../../src/log/postgres-schema.js';
import { openPostgresLog } from '../../src/postgres.js';
import { describePostgres, freshSchema } from '../fixtures/postgres.js';
import { tempDir } from '../fixtures/temp-dir.js';
import { notification, reject, stop, tick } from '../log/items.js';
import { pkg, root } from './recwatch.js';

// The built command, for what goes through a pipe; everything else runs in-process (faster).
function spawned(args: readonly string[], input?: string) {
  return spawnSync(process.execPath, [`${root}${pkg.bin.recwatch}`, ...args], {
    encoding: 'utf8',
    cwd: root,
    ...(input === undefined ? {} : { input }),
  });
}

async function recwatch(args: readonly string[]) {
  let stdout = '';
  let stderr = '';
  const status = await runCli(args, {
    out: { write: (text: string) => (stdout += text) },
    err: { write: (text: string) => (stderr += text) },
  });
  return { status, stdout, stderr };
}

const dirs: ReturnType<typeof tempDir>[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) dir.remove();
});

async function entriesOf(log: EventLog) {
  const all = await log.readAll({ limit: 100_000 });
  await log.close();
  return all;
}

describePostgres('recwatch migrate and import (PostgreSQL)', (url) => {
  it('migrates an empty database, then finds it current', async () => {
    const schema = freshSchema();
    const first = await recwatch(['migrate', url, '--schema', schema]);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toContain(
      `"${schema}" migrated from log schema version 0 to ${POSTGRES_SCHEMA_VERSION}`,
    );
    const again = await recwatch(['migrate', url, '--schema', schema]);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain(`already at log schema version ${POSTGRES_SCHEMA_VERSION}`);
  });

  it('reports an unreachable server in one line, without the password', async () => {
    const result = await recwatch(['migrate', 'postgres://ops:s3cret-pw@127.0.0.1:1/db']);
    expect(result.status).toBe(69);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('recwatch migrate: event log in PostgreSQL schema "recwatch"');
    expect(result.stderr).not.toContain('s3cret-pw');
  });

  it('refuses malformed arguments, naming the problem', async () => {
    expect((await recwatch(['migrate', 'log.db'])).status).toBe(64);
    expect((await recwatch(['migrate', url, '--schema', 'Bad-Name'])).status).toBe(64);
    expect((await recwatch(['import', 'trace.jsonl'])).status).toBe(64);
    expect((await recwatch(['import', '--to', url])).stderr).toContain('missing <trace.jsonl | ->');
  });

  it('moves a SQLite log to PostgreSQL with export then import: same entries, same order', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const file = dir.file('log.db');
    const sqlite = await openSqliteLog(file);
    const received = [
      stop(1),
      notification(2, { eventType: 40, sequence: 1, noticeId: 'n1' }),
      tick(3),
      tick(4),
      reject(5, { type: 'teleport' }, 'type: invalid'),
      toLogItem({ at: 6, type: 'stop', recording: 'r1' }, 6),
    ];
    // As a host's journal logs them: one append per input, in its stream.
    for (const item of received) {
      await sqlite.append(streamOf(item), [item], { expectedVersion: 'any' });
    }
    const before = await entriesOf(sqlite);
    const exported = spawned(['export', file]);
    expect(exported.status).toBe(0);
    const schema = freshSchema();
    const imported = spawned(['import', '-', '--to', url, '--schema', schema], exported.stdout);
    expect(imported.stderr).toBe(
      `recwatch: imported 6 entries into PostgreSQL schema "${schema}"\n`,
    );
    expect(imported.status).toBe(0);
    const after = await entriesOf(await openPostgresLog(url, { schema }));
    expect(after).toEqual(before);
  });

  it('never adds to a log that is not empty unless told, and then skips what is there', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const trace = dir.file('trace.jsonl');
    writeFileSync(trace, `${JSON.stringify({ at: 1, type: 'tick' })}\n`);
    const schema = freshSchema();
    const to = ['--to', url, '--schema', schema];
    expect((await recwatch(['import', trace, ...to])).status).toBe(0);
    writeFileSync(trace, `${JSON.stringify({ at: 1, type: 'tick' })}\n{"at":2,"type":"tick"}\n`);
    const refused = await recwatch(['import', trace, ...to]);
    expect(refused.status).toBe(73);
    expect(refused.stderr).toContain('is not empty; nothing imported');
    const added = await recwatch(['import', trace, ...to, '--append']);
    expect(added.status).toBe(0);
    expect(added.stderr).toContain('imported 1 entries');
    expect(added.stderr).toContain('1 already there');
  });
});

it('imports a trace into a new SQLite log, reporting unreadable lines (exit 65)', async () => {
  const dir = tempDir();
  dirs.push(dir);
  const trace = dir.file('trace.jsonl');
  writeFileSync(trace, '{"at":1,"type":"tick"}\nnot json\n{"at":3,"type":"tick"}\n');
  const result = await recwatch(['import', trace, '--to', dir.file('new.db')]);
  expect(result.status).toBe(65);
  expect(result.stderr).toContain(`${trace}:2: skipped: not JSON`);
  const log = await openSqliteLog(dir.file('new.db'));
  expect((await entriesOf(log)).map((entry) => entry.at)).toEqual([1, 3]);
});

it('reports a trace that does not exist without creating the target', async () => {
  const dir = tempDir();
  dirs.push(dir);
  const result = await recwatch(['import', dir.file('missing.jsonl'), '--to', dir.file('new.db')]);
  expect(result.status).toBe(66);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(spawnSync('ls', [dir.path], { encoding: 'utf8' }).stdout).toBe('');
});

it('reports a target log whose folder does not exist in one line (exit 66), no stack trace', async () => {
  const dir = tempDir();
  dirs.push(dir);
  const trace = dir.file('trace.jsonl');
  writeFileSync(trace, '{"at":1,"type":"tick"}\n');
  const result = await recwatch(['import', trace, '--to', dir.file('no-such-folder/new.db')]);
  expect(result.status).toBe(66);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr).toContain('its folder does not exist');
});
