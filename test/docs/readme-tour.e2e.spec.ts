// The README's tour examples, run exactly as written from a fresh folder that has the package's
// docs beside it (the command lines run the built `recwatch` through an `npx` stand-in).
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Journal, openSqliteLog } from '../../src/index.js';
import { example, resolved } from '../fixtures/doc-examples.js';
import { tempDir } from '../fixtures/temp-dir.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const work = tempDir('recwatch-tour-');
afterAll(() => work.remove());

/** A fresh folder with the package's docs (and their sample trace) beside it. */
function folder(name: string): string {
  const path = join(work.path, name);
  mkdirSync(path);
  symlinkSync(join(ROOT, 'docs'), join(path, 'docs'));
  return path;
}

function runScript(name: string): string {
  const cwd = folder(name);
  const script = join(cwd, `${name}.mjs`);
  writeFileSync(script, resolved(example('README.md', name)));
  return execFileSync(process.execPath, [script], { cwd, encoding: 'utf8' });
}

describe('the README tour', () => {
  it('signals: verifies the raw body, reads a failover and tells a 404 apart from a wrong route', () => {
    expect(runScript('tour-signals').trim().split('\n')).toEqual([
      'true',
      '2002',
      'false',
      'notFound',
      'clientError',
    ]);
  });

  it('core: one step of a start, then a shipped trace replayed to its picture', () => {
    const lines = runScript('tour-core').trim().split('\n');
    expect(lines[0]).toBe('applied, delivered start, effect acquireAndStart, effect wakeAt');
    expect(lines.slice(1)).toEqual(['starting', 'recording 3003 2 bak1_']);
  });

  it('journal: a host record acted on, raw input kept as a reject, then closed', () => {
    const lines = runScript('tour-journal').trim().split('\n');
    expect(lines).toEqual(["[ 'acquireAndStart', 'wakeAt' ]", 'rejected']);
  });

  it('journal: in the folder of the quick start, whose recwatch.db supervises r1, prints what it says', async () => {
    const cwd = folder('tour-journal-after-quick-start');
    const quickStartLog = await Journal.open(await openSqliteLog(join(cwd, 'recwatch.db')));
    await quickStartLog.receive({
      at: Date.now(),
      type: 'start',
      recording: 'r1',
      cname: 'room1',
      uid: '1001',
      mode: 'mix',
    });
    await quickStartLog.close();
    writeFileSync(join(cwd, 'tour-journal.mjs'), resolved(example('README.md', 'tour-journal')));
    const out = execFileSync(process.execPath, ['tour-journal.mjs'], { cwd, encoding: 'utf8' });
    expect(out.trim().split('\n')).toEqual(["[ 'acquireAndStart', 'wakeAt' ]", 'rejected']);
  });

  it('command: every line runs, and the log gives the picture the trace gives', () => {
    const cwd = folder('tour-command');
    // A reader going down the README ran the journal example here first: its tour.db stays.
    writeFileSync(join(cwd, 'tour-journal.mjs'), resolved(example('README.md', 'tour-journal')));
    execFileSync(process.execPath, ['tour-journal.mjs'], { cwd, encoding: 'utf8' });
    const bin = join(cwd, 'bin');
    mkdirSync(bin);
    // `npx recwatch …` as it runs once the package is installed.
    writeFileSync(
      join(bin, 'npx'),
      `#!/bin/sh\nshift\nexec "${process.execPath}" "${join(ROOT, 'dist/src/cli/main.js')}" "$@"\n`,
    );
    chmodSync(join(bin, 'npx'), 0o755);
    const env = { ...process.env, PATH: `${bin}:${process.env.PATH}` };
    const outputs = example('README.md', 'tour-command')
      .split('\n')
      .map((line) => line.replace(/\s+#.*$/, ''))
      .filter((line) => line.trim() !== '')
      .map((line) => execFileSync('sh', ['-c', line], { cwd, env, encoding: 'utf8' }));
    expect(outputs).toHaveLength(6);
    expect(outputs[0]).toContain('Final picture');
    expect(JSON.parse(outputs[4] ?? '')).toEqual(JSON.parse(outputs[1] ?? ''));
    expect(outputs[2]).toBe(outputs[0]);
  });
});
