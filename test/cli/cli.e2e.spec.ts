import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../fixtures/temp-dir.js';
import { pkg, recwatch, root } from './recwatch.js';

describe('the recwatch command (built)', () => {
  it('prints its version', () => {
    const result = recwatch('--version');
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe(pkg.version);
  });

  it('prints help', () => {
    const result = recwatch('--help');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Usage:');
  });

  it.each([
    'replay',
    'manifest',
    'export',
    'sim',
    'import',
    'migrate',
    'inspect',
    'demo',
    'scenarios',
  ])('prints the usage of %s for --help and -h, and exits 0', (command) => {
    for (const flag of ['--help', '-h']) {
      const result = recwatch(command, flag);
      expect(result.status).toBe(0);
      expect(result.stdout.startsWith(`usage: recwatch ${command} `)).toBe(true);
      expect(result.stderr).toBe('');
    }
  });

  it.each([
    ['sim', '--seed', '-1'],
    ['sim', '--nope'],
    ['sim', 'extra'],
    ['sim', '--speed', '0'],
    ['scenarios', '--seeds', 'x'],
    ['scenarios', '--nope'],
    ['demo', '--recordings', '0'],
  ])('a usage error of %s is one line naming the problem, exit 64 (%s %s)', (...args) => {
    const result = recwatch(...args);
    expect(result.status).toBe(64);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^recwatch ${args[0]}: .+ \\(see 'recwatch --help'\\)$`));
  });

  it.each([
    ['sim', '--truth'],
    ['scenarios', '--md'],
    ['scenarios', '--json'],
  ])(
    '%s %s never replaces an existing file without --force (exit 73, before running)',
    (command, flag) => {
      const dir = tempDir();
      try {
        const file = dir.file('kept.txt');
        writeFileSync(file, 'kept');
        const result = recwatch(command, flag, file);
        expect(result.status).toBe(73);
        expect(result.stderr).toContain('exists; add --force to replace it');
        expect(readFileSync(file, 'utf8')).toBe('kept');
      } finally {
        dir.remove();
      }
    },
  );

  it('refuses an unknown command with a usage error', () => {
    const result = recwatch('frobnicate');
    expect(result.status).toBe(64);
    expect(result.stderr).toContain("unknown command 'frobnicate'");
  });

  it('runs through the package bin, as npx does', () => {
    const out = execFileSync('npm', ['exec', '--offline', '--', 'recwatch', '--version'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(out.trim()).toBe(pkg.version);
  });
});
