// Where the suite's files are, from the source (vitest) or from its compiled copy (`npm run chaos`).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function repositoryRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('the chaos suite runs inside the recwatch repository');
    dir = up;
  }
  return dir;
}

const root = repositoryRoot();

/** The host process every run spawns. */
export const CHAOS_HOST = join(root, 'test', 'chaos', 'chaos-host.mjs');
/** The built package the hosts embed (`npm run build`). */
export const BUILT_PACKAGE = join(root, 'dist', 'src', 'postgres.js');
