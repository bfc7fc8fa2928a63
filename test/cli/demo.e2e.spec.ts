// `recwatch demo`: a short run with no set-up, its score as JSON, its plain view and summary, the
// kept log replayed, usage errors, and Ctrl-C ending the run with the summary so far.
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliInProcess, pkg, root } from './recwatch.js';

const cli = cliInProcess;

describe('recwatch demo', () => {
  it('--json: a short chaos run scored against the truth, nothing else on stdout', async () => {
    const { code, out } = await cli('demo', '--recordings', '3', '--duration', '5m', '--json');
    expect(code).toBe(0);
    const result = JSON.parse(out) as {
      profile: string;
      seed: number;
      simulatedMs: number;
      interrupted: boolean;
      log: string | null;
      score: { recordings: number; finalAccuracy: number; spuriousRestarts: number };
      counts: { received: number; queries: number };
      durability: string;
      commits: { commits: number; appends: number; items: number };
    };
    expect(result).toMatchObject({
      profile: 'chaos',
      seed: 7,
      simulatedMs: 300_000,
      interrupted: false,
      log: null,
    });
    expect(result.score).toMatchObject({ recordings: 3, finalAccuracy: 1, spuriousRestarts: 0 });
    expect(result.counts.received).toBeGreaterThan(0);
    expect(result.counts.queries).toBeGreaterThan(0);
    // The log's durability (a throwaway log: 'normal' unless asked) and its group commits.
    expect(result.durability).toBe('normal');
    expect(result.commits.items).toBe(result.counts.received);
    expect(result.commits.commits).toBeGreaterThan(0);
    expect(result.commits.commits).toBeLessThanOrEqual(result.commits.appends);
  }, 120_000);

  it('plain view, the summary table, and a kept log that replays', async () => {
    const { code, out } = await cli(
      'demo',
      '--recordings',
      '2',
      '--duration',
      '3m',
      '--profile',
      'clean',
      '--seed',
      '11',
      '--keep',
      '--durability',
      'full',
    );
    expect(code).toBe(0);
    expect(out).toContain("2 recordings through the 'clean' faults");
    expect(out).toContain("durability 'full': fsync at every commit");
    expect(out).toMatch(/\d+ inputs logged in \d+ commits \(durability 'full'\)/);
    expect(out).toMatch(/^\[00:00:\d\d\] recordings /m);
    expect(out).toMatch(/│ recording-01 │ recording +│ recording +│ yes/);
    expect(out).toContain('final state right      2/2 (100 %)');
    const log = /replay (\S+recwatch\.db)/.exec(out)?.[1];
    expect(log).toBeDefined();
    try {
      expect(existsSync(log!)).toBe(true);
      const replayed = await cli('replay', log!, '--json');
      const picture = JSON.parse(replayed.out) as { recordings: Record<string, { state: string }> };
      expect(Object.keys(picture.recordings).sort()).toEqual(['recording-01', 'recording-02']);
    } finally {
      rmSync(dirname(log!), { recursive: true, force: true });
    }
  }, 120_000);

  it('refuses flags it cannot read in one line naming the problem, before running anything', async () => {
    for (const args of [
      ['--profile', 'nope'],
      ['--recordings', '0'],
      ['--duration', '5x'],
      ['--speed', '-1'],
      ['--nope'],
    ]) {
      const { code, out, err } = await cli('demo', ...args);
      expect(code, args.join(' ')).toBe(64);
      expect(out).toBe('');
      expect(err.trimEnd().split('\n'), args.join(' ')).toHaveLength(1);
      expect(err).toMatch(/^recwatch demo: /);
    }
  });

  it('Ctrl-C ends the run cleanly with the summary so far', async () => {
    const child = spawn(
      process.execPath,
      [`${root}${pkg.bin.recwatch}`, 'demo', '--recordings', '3', '--duration', '24h'],
      { cwd: root, env: { ...process.env, CI: '1' } },
    );
    let out = '';
    let interrupted = false;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text: string) => {
      out += text;
      // Once the run is under way (its first plain progress line).
      if (!interrupted && out.includes('[00:00:')) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(out).toMatch(/Interrupted at \d\d:\d\d:\d\d of simulated time/);
    expect(out).toContain('final state right');
    expect(out).toContain('(removed on exit');
  }, 120_000);
});
