import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as {
  version: string;
  bin: { recwatch: string };
};
const bin = `${root}${pkg.bin.recwatch}`;

function recwatch(...args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: root });
}

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
