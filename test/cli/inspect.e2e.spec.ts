import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pkg, recwatch, root } from './recwatch.js';

describe('recwatch inspect', () => {
  it('serves the page for a trace on loopback, prints its URL, and stops on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [join(root, pkg.bin.recwatch), 'inspect', join(root, 'test/traces/rule-04-failover.jsonl')],
      { cwd: root },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const found = /recwatch inspector: (http:\/\/127\.0\.0\.1:\d+\/) \(11 inputs/.exec(out);
          if (found?.[1] !== undefined) resolve(found[1]);
        });
        child.once('exit', (code) => reject(new Error(`exited with ${code}: ${out}`)));
      });
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('recwatch inspector');
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  }, 60_000);

  it('names what is wrong with its arguments, and lists its usage in the help', () => {
    const result = recwatch('inspect');
    expect(result.status).toBe(64);
    expect(result.stderr).toContain('missing <trace.jsonl | log.db>');
    expect(recwatch('--help').stdout).toContain(
      'recwatch inspect <trace.jsonl | log.db> [--port N]',
    );
    expect(recwatch('inspect', 'a.jsonl', '--port', 'x').status).toBe(64);
    expect(recwatch('--help').stdout).toContain('recwatch inspect');
  });

  it('never creates a log it was asked to read', () => {
    const path = join(root, 'test-output', 'no-such.db');
    const result = recwatch('inspect', path);
    expect(result.status).toBe(66);
    expect(result.stderr).toContain('no-such.db');
    expect(existsSync(path)).toBe(false);
  });
});
