import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { linesOf } from '../../src/cli/sources.js';
import { Journal, openSqliteLog } from '../../src/index.js';
import { idempotencyKeys, readReceived, streamOf } from '../../src/log/index.js';
import { keep } from '../../src/log/sqlite-keep.js';
import { at, start, started, tick } from '../core/inputs.js';
import { notificationBody } from '../fixtures/agora.js';
import { tempDir } from '../fixtures/temp-dir.js';
import { writeOldSqliteLog } from '../log/old-sqlite-log.js';
import { pkg, root } from './recwatch.js';

/** Runs the command in this process (quicker than a child), as `main` would, with buffers. */
async function cli(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const status = await runCli(args, {
    out: { write: (text: string) => (stdout += text) },
    err: { write: (text: string) => (stderr += text) },
  });
  return { status, stdout, stderr };
}

const work = tempDir('recwatch-safety-');
afterAll(() => work.remove());
const trace = readFileSync(join(root, 'test/traces/rule-07-restart.jsonl'), 'utf8');
const expected = JSON.parse(
  readFileSync(join(root, 'test/traces/rule-07-restart.expected.json'), 'utf8'),
);
const bin = `${root}${pkg.bin.recwatch}`;

/** A SQLite log holding the rule-07 trace, with a snapshot every 3 inputs. */
async function writeLog(file: string): Promise<Buffer> {
  const log = await openSqliteLog(file);
  const journal = await Journal.open(log, { snapshotEvery: 3 });
  for (const [index, line] of trace.trimEnd().split('\n').entries())
    await journal.receiveUntrusted(JSON.parse(line), index + 1);
  await log.close();
  return readFileSync(file);
}

/** Runs the command through bash, for pipes, redirections and process substitution. */
function shell(script: string) {
  return spawnSync('bash', ['-o', 'pipefail', '-c', script], {
    encoding: 'utf8',
    cwd: work.path,
    env: { ...process.env, R: `${process.execPath} ${bin}` },
  });
}

/** A user error: one line on stderr naming the problem, never a stack trace. */
function expectOneLine(result: { stderr: string }, problem: string | RegExp): void {
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(problem);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

describe('recwatch never creates, changes or replaces what it reads', () => {
  it('refuses a mistyped log path and creates nothing', async () => {
    const dir = work.file('empty');
    mkdirSync(dir);
    for (const command of ['export', 'replay']) {
      const result = await cli(command, join(dir, 'nope.db'));
      expect(result.status).toBe(66);
      expectOneLine(result, /nope\.db: no such file or folder/);
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it('never writes an export over its log, under any name or link, even with --force', async () => {
    const file = work.file('victim.db');
    const before = await writeLog(file);
    symlinkSync(file, work.file('victim-link.db'));
    linkSync(file, work.file('victim-hard.db'));
    for (const out of [
      file,
      work.file('victim-link.db'),
      work.file('victim-hard.db'),
      `${file}-wal`,
    ]) {
      for (const force of [[], ['--force']]) {
        const result = await cli('export', file, '--out', out, ...force);
        expect(result.status).toBe(73);
        expectOneLine(result, /an output never replaces its input/);
      }
    }
    const appended = shell(`$R export "${file}" >> "${file}"`);
    expect(appended.status).toBe(73);
    expect(readFileSync(file).equals(before)).toBe(true);
    expect((await cli('replay', file, '--json')).stdout).toBe(`${JSON.stringify(expected)}\n`);
  });

  it('replaces an existing output only with --force, and leaves no partial file', async () => {
    const file = work.file('force.db');
    await writeLog(file);
    const out = work.file('force.jsonl');
    writeFileSync(out, 'precious\n');
    const refused = await cli('export', file, '--out', out);
    expect(refused.status).toBe(73);
    expectOneLine(refused, /exists; add --force/);
    expect(readFileSync(out, 'utf8')).toBe('precious\n');
    expect((await cli('export', file, '--out', out, '--force')).status).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(trace);
    expect(readdirSync(work.path).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('replays and exports a read-only log in a read-only folder, changing nothing', async () => {
    const dir = work.file('locked');
    mkdirSync(dir);
    const file = join(dir, 'log.db');
    const before = await writeLog(file);
    const out = work.file('locked.jsonl');
    chmodSync(file, 0o444);
    chmodSync(dir, 0o555);
    chmodSync(work.path, 0o777);
    // Root ignores permissions: the command then runs as nobody, for whom they hold.
    const as = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: root, ...as });
    const replayed = run('replay', file, '--json');
    const timeline = run('replay', file);
    const exported = run('export', file, '--out', out);
    chmodSync(dir, 0o755);
    // A spawn error here means nobody cannot reach node or the tree (a setup problem, not ours).
    expect(replayed.error).toBeUndefined();
    expect(replayed.stderr).toBe('');
    expect(JSON.parse(replayed.stdout)).toEqual(expected);
    expect(timeline.status).toBe(0);
    expect(exported.status).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(trace);
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(readdirSync(dir)).toEqual(['log.db']);
  });
});

describe('recwatch reads a log of an older schema as it is', () => {
  it('replays and exports a schema 2 SQLite log without migrating it', async () => {
    const file = work.file('schema-2.db');
    // The trace as recwatch's log held it before the lean log (schema 3), in that schema's DDL.
    const entries = trace
      .trimEnd()
      .split('\n')
      .map((line, index) => {
        const { item } = readReceived(JSON.parse(line), index + 1);
        return { stream: streamOf(item), item, keys: idempotencyKeys(item) };
      });
    writeOldSqliteLog(file, 2, entries);
    const before = readFileSync(file);
    const replayed = await cli('replay', file, '--json');
    const exported = await cli('export', file, '--out', work.file('schema-2.jsonl'));
    expect(replayed.stderr).toBe('');
    expect(JSON.parse(replayed.stdout)).toEqual(expected);
    expect(exported.status).toBe(0);
    expect(readFileSync(work.file('schema-2.jsonl'), 'utf8')).toBe(trace);
    expect(readFileSync(file).equals(before)).toBe(true);
    const db = keep(new Database(file, { readonly: true }));
    const schema = keep(db.prepare('SELECT max(version) FROM recwatch_schema')).pluck().get();
    db.close();
    expect(schema).toBe(2);
  });
});

describe('recwatch replay reads pipes and stdin', () => {
  const path = work.file('piped.jsonl');
  writeFileSync(path, trace);
  const picture = `${JSON.stringify(expected)}\n`;

  it.each([
    ['-', `cat "${path}" | $R replay - --json`],
    ['/dev/stdin', `cat "${path}" | $R replay /dev/stdin --json`],
    ['a redirection', `$R replay - --json < "${path}"`],
    ['process substitution', `$R replay <(cat "${path}") --json`],
  ])('from %s', (_, script) => {
    const result = shell(script);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(picture);
  });

  it('refuses a SQLite log through a pipe, in one line', async () => {
    const file = work.file('piped.db');
    await writeLog(file);
    const result = shell(`cat "${file}" | $R replay -`);
    expect(result.status).toBe(66);
    expectOneLine(result, /a SQLite log cannot be read from a pipe/);
  });

  it('reads a file too short for a SQLite header as a file, not as a pipe', async () => {
    const file = work.file('header-only.db');
    writeFileSync(file, 'SQLite format 3\n');
    const result = await cli('replay', file);
    expect(result.status).toBe(66);
    expectOneLine(result, /header-only\.db/);
    expect(result.stderr).not.toMatch(/pipe/);
  });

  it('stops quietly when its reader goes away (| head)', () => {
    const ticks = Array.from({ length: 20_000 }, (_, i) => JSON.stringify(tick(i)));
    const long = work.file('long.jsonl');
    writeFileSync(long, `${[JSON.stringify(start(0)), ...ticks].join('\n')}\n`);
    const result = shell(`$R replay "${long}" | head -n 1`);
    expect(result.stderr).toBe('');
    expect(result.stdout.split('\n')).toHaveLength(2);
    expect(result.status).toBe(141);
  });
});

describe('recwatch user errors are one line and an exit code', () => {
  it('names an unknown option, a missing value and an extra argument', async () => {
    const path = join(root, 'test/traces/rule-07-restart.jsonl');
    const cases: [string[], RegExp][] = [
      [['replay', path, '--jsn'], /unknown option --jsn/],
      [['replay', path, 'other.jsonl'], /unexpected argument other\.jsonl/],
      [['replay'], /missing <trace\.jsonl \| log\.db \| ->/],
      [['export', 'log.db', '--out'], /option --out needs a value/],
      [['export', 'log.db', '--out', '--force'], /option --out needs a value/],
      [['export', 'log.db', '--json'], /unknown option --json/],
    ];
    for (const [args, problem] of cases) {
      const result = await cli(...args);
      expect(result.status).toBe(64);
      expectOneLine(result, problem);
    }
  });

  it('refuses a command named like an object property', async () => {
    for (const command of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const result = await cli(command);
      expect(result.status).toBe(64);
      expectOneLine(result, `recwatch: unknown command '${command}' (see 'recwatch --help')`);
    }
  });

  it('refuses a file with no valid line (a picture, an empty file) with exit 65', async () => {
    const picture = join(root, 'test/traces/rule-07-restart.expected.json');
    const notTrace = await cli('replay', picture);
    expect(notTrace.status).toBe(65);
    expect(notTrace.stdout).toBe('');
    expectOneLine(notTrace, /not a trace, no valid record \(line 1: not JSON: .*; \d+ more/);
    const empty = work.file('empty.jsonl');
    writeFileSync(empty, '\n\n');
    expect((await cli('replay', empty)).status).toBe(65);
  });

  it('names file system problems without a stack trace', async () => {
    const file = work.file('plain.jsonl');
    writeFileSync(file, trace);
    symlinkSync('loop-b', work.file('loop-a'));
    symlinkSync('loop-a', work.file('loop-b'));
    const cases: [string, RegExp][] = [
      [join(file, 'inside.jsonl'), /a part of the path is not a folder/],
      [work.file('x'.repeat(300)), /name too long/],
      [work.file('loop-a'), /too many levels of symbolic links/],
      [work.path, /is a folder, not a file/],
    ];
    for (const [path, problem] of cases) {
      for (const command of ['replay', 'export']) {
        const result = await cli(command, path);
        expect(result.status).toBe(66);
        expectOneLine(result, problem);
      }
    }
    const out = await cli('export', work.file('victim.db'), '--out', join(file, 'x.jsonl'));
    expect(out.status).toBe(73);
    expectOneLine(out, /x\.jsonl: a part of the path is not a folder/);
  });

  it('replays a log whose snapshot has the wrong shape from the log itself', async () => {
    const file = work.file('bad-snapshot.db');
    await writeLog(file);
    const db = keep(new Database(file));
    const write = keep(db.prepare('UPDATE snapshots SET state = ?'));
    for (const state of ['{"version":1,"position":"seven"}', '{"version":', '[]']) {
      write.run(state);
      const result = await cli('replay', file, '--json');
      expect(result.status).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual(expected);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(result.stderr.split('\n').filter(Boolean).length).toBeLessThanOrEqual(1);
    }
    db.close();
  });

  it('refuses a trace line over its size limit, reading each byte once', async () => {
    const block = 'x'.repeat(1024 * 1024);
    const chunks = function* () {
      yield `${JSON.stringify(start(0))}\n{"at":${at(1)},"type":"tick","pad":"`;
      for (let i = 0; i < 65; i += 1) yield block;
    };
    const read = async () => {
      for await (const _ of linesOf(Readable.from(chunks()), 'huge.jsonl'));
    };
    await expect(read()).rejects.toThrow(/huge\.jsonl: a line longer than 64 MiB/);
    await expect(read()).rejects.toMatchObject({ exitCode: 65 });
  });
});

describe('recwatch replay prints what it read safely', () => {
  it('keeps the first record of a trace that starts with a byte order mark', async () => {
    const file = work.file('bom.jsonl');
    writeFileSync(file, `\ufeff${trace}`);
    const result = await cli('replay', file, '--json');
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual(expected);
  });

  it('escapes terminal control sequences a webhook carried', async () => {
    const sid = 'S1\u001b]0;pwned\u0007\u001b[2J\u009b1m\u202e';
    const body = notificationBody({ eventType: 40, sid, sequence: 0, sendts: at(2) });
    const lines = [start(0), started(1, sid), { at: at(2), type: 'notification', body }];
    const file = work.file('escapes.jsonl');
    writeFileSync(file, lines.map((line) => JSON.stringify(line)).join('\n'));
    const result = await cli('replay', file);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('S1\\u001b]0;pwned\\u0007\\u001b[2J\\u009b1m\\u202e');
    const unsafe = [...result.stdout].filter((char) => {
      const code = char.charCodeAt(0);
      return (code < 0x20 && char !== '\n') || (code >= 0x7f && code <= 0x9f) || code === 0x202e;
    });
    expect(unsafe).toEqual([]);
  });
});
