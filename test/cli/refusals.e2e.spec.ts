// What a new user meets first: a command given wrong arguments or the wrong file says what is
// wrong in one line, with an exit code, and leaves nothing behind.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../fixtures/temp-dir.js';
import { pkg, root } from './recwatch.js';

/**
 * Runs the built command. A command that wrongly keeps running (a server started on a bad
 * input) is ended by the timeout and fails on its missing status, instead of hanging the suite.
 */
function run(args: readonly string[], input?: string) {
  return spawnSync(process.execPath, [`${root}${pkg.bin.recwatch}`, ...args], {
    encoding: 'utf8',
    cwd: root,
    timeout: 30_000,
    ...(input !== undefined && { input }),
  });
}

const dirs: ReturnType<typeof tempDir>[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) dir.remove();
});
function folder() {
  const dir = tempDir();
  dirs.push(dir);
  return dir;
}

/** One line on stderr, naming `problem`, and exit `status`. */
function expectOneLine(
  result: { status: number | null; stderr: string },
  status: number,
  problem: RegExp,
) {
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr).toMatch(problem);
  expect(result.status).toBe(status);
}

describe('usage errors name the problem (exit 64)', () => {
  it.each([
    [['import', 'trace.jsonl'], /^recwatch import: missing --to <log\.db \| postgres:\/\/…>/],
    [['import', '--to', 'log.db'], /^recwatch import: missing <trace\.jsonl \| ->/],
    [['import', 'a.jsonl', 'b.jsonl', '--to', 'log.db'], /unexpected argument b\.jsonl/],
    [['import', 'a.jsonl', '--to'], /option --to needs a value/],
    [['import', 'a.jsonl', '--to', 'log.db', '--apend'], /unknown option --apend/],
    [['inspect'], /^recwatch inspect: missing <trace\.jsonl \| log\.db>/],
    [
      ['inspect', 'a.jsonl', '--port', 'abc'],
      /^recwatch inspect: --port must be a port number \(0\.\.65535\), not abc/,
    ],
    [
      ['inspect', 'a.jsonl', '--port', '70000'],
      /--port must be a port number \(0\.\.65535\), not 70000/,
    ],
    [['inspect', 'a.jsonl', '--json'], /unknown option --json/],
    [['migrate'], /^recwatch migrate: missing <postgres:\/\/…>/],
    [['migrate', 'log.db'], /^recwatch migrate: the database must be a postgres:\/\/ URL/],
  ])('recwatch %j', (args, problem) => {
    expectOneLine(run(args), 64, problem);
  });
});

describe('recwatch inspect refuses what is not a trace or a log', () => {
  it('says a file of text is not a trace (exit 65) instead of serving an empty page', () => {
    const dir = folder();
    const notes = dir.file('notes.txt');
    writeFileSync(notes, 'these are my notes\nnot a trace\n');
    expectOneLine(
      run(['inspect', notes]),
      65,
      /notes\.txt: not a trace, no valid record \(line 1: /,
    );
  }, 40_000);

  it('says an empty file has no lines (exit 65)', () => {
    const dir = folder();
    writeFileSync(dir.file('empty.jsonl'), '');
    expectOneLine(
      run(['inspect', dir.file('empty.jsonl')]),
      65,
      /empty\.jsonl: not a trace, no valid record \(it has no lines\)/,
    );
  }, 40_000);
});

describe('recwatch import refuses before creating the log', () => {
  it('leaves no log behind for a file with no valid record (exit 65)', () => {
    const dir = folder();
    writeFileSync(dir.file('notes.txt'), 'these are my notes\n{"at": "soon"}\n');
    const target = dir.file('new.db');
    expectOneLine(
      run(['import', dir.file('notes.txt'), '--to', target]),
      65,
      /notes\.txt: not a trace, no valid record \(line 1: .*; 1 more unreadable line\(s\)\); nothing imported/,
    );
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(dir.path)).toEqual(['notes.txt']);
  });

  it('leaves no log behind for an empty trace from stdin (exit 65)', () => {
    const dir = folder();
    const target = dir.file('new.db');
    const result = run(['import', '-', '--to', target], '');
    expectOneLine(
      result,
      65,
      /\(stdin\): not a trace, no valid record \(it has no lines\); nothing imported/,
    );
    expect(existsSync(target)).toBe(false);
  });
});

describe('recwatch sim checks --truth before it starts', () => {
  it('refuses a truth file in a folder that does not exist (exit 73), at once', () => {
    const dir = folder();
    const truth = dir.file('no/such/folder/truth.jsonl');
    // Before the fix the simulator ran until interrupted: the timeout ends it, with no status.
    const result = run(['sim', '--truth', truth]);
    expectOneLine(
      result,
      73,
      /^recwatch sim: --truth .*truth\.jsonl: no such file or folder; nothing started/,
    );
    expect(result.stdout).toBe('');
  }, 40_000);

  it('refuses a truth path that is a folder (exit 73)', () => {
    const dir = folder();
    const result = run(['sim', '--truth', dir.path]);
    expectOneLine(result, 73, /--truth .*: is a folder, not a file; nothing started/);
  }, 40_000);
});
