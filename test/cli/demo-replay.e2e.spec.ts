// Event sourcing's promise on the main job (rule 12): the demo's kept log replays to exactly what
// the live supervisor believed at the end, every field of every recording, because the options it
// ran with and every recovery fact are inputs in the log.
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliInProcess } from './recwatch.js';

const cli = cliInProcess;

describe('the demo’s kept log', () => {
  it.each([
    ['chaos', '7'],
    ['failoverStorm', '2'],
  ])(
    'replays to the supervisor’s final picture (%s, seed %s)',
    async (profile, seed) => {
      const demo = await cli(
        'demo',
        '--recordings',
        '12',
        '--duration',
        '20m',
        '--profile',
        profile,
        '--seed',
        seed,
        '--keep',
        '--json',
        '--no-inspect',
      );
      expect(demo.code, demo.err).toBe(0);
      const result = JSON.parse(demo.out) as { log: string; picture: { recordings: object } };
      try {
        expect(Object.keys(result.picture.recordings)).toHaveLength(12);
        const replayed = await cli('replay', result.log, '--json');
        expect(replayed.code, replayed.err).toBe(0);
        expect(JSON.parse(replayed.out)).toEqual(result.picture);
        // The whole log, without the snapshot, decides the same.
        const exported = await cli('replay', result.log);
        expect(exported.code).toBe(0);
      } finally {
        rmSync(dirname(result.log), { recursive: true, force: true });
      }
    },
    300_000,
  );
});
