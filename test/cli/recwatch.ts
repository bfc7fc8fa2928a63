import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The package's root folder. */
export const root = fileURLToPath(new URL('../../', import.meta.url));

/** The package manifest, as the command is installed from it. */
export const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as {
  version: string;
  bin: { recwatch: string };
};

/** Runs the built `recwatch` command, as `npx recwatch` would, from the package root. */
export function recwatch(...args: string[]) {
  return spawnSync(process.execPath, [`${root}${pkg.bin.recwatch}`, ...args], {
    encoding: 'utf8',
    cwd: root,
  });
}

/** Runs a `recwatch` command in this process (the CLI's own entry), capturing what it writes. */
export async function cliInProcess(
  ...args: string[]
): Promise<{ code: number; out: string; err: string }> {
  const { runCli } = await import('../../src/cli/run.js');
  let out = '';
  let err = '';
  const code = await runCli(args, {
    out: { write: (text: string) => (out += text) },
    err: { write: (text: string) => (err += text) },
  });
  return { code, out, err };
}
