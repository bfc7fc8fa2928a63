// `recwatch manifest` on a demo's kept log: every recording, its sessions in order and, within
// each, its playlists by failover; as JSON and as text.
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetManifest } from '../../src/core/index.js';
import { cliInProcess, root } from './recwatch.js';

const cli = cliInProcess;

describe('recwatch manifest', () => {
  let log = '';
  beforeAll(async () => {
    const demo = await cli(
      'demo',
      ...['--recordings', '5', '--duration', '20m', '--profile', 'failoverStorm'],
      ...['--seed', '3', '--keep', '--json', '--no-inspect'],
    );
    expect(demo.code).toBe(0);
    log = (JSON.parse(demo.out) as { log: string }).log;
  }, 120_000);
  afterAll(() => {
    if (log !== '') rmSync(dirname(log), { recursive: true, force: true });
  });

  it('--json: every recording, its sessions in the order named, playlists by failover', async () => {
    const { code, out, err } = await cli('manifest', log, '--json');
    expect(err).toBe('');
    expect(code).toBe(0);
    const manifest = JSON.parse(out) as FleetManifest;
    expect(manifest.recordings.map((r) => r.recording)).toEqual([
      'recording-01',
      'recording-02',
      'recording-03',
      'recording-04',
      'recording-05',
    ]);
    let failedOver = 0;
    for (const recording of manifest.recordings) {
      expect(recording.sessions.length).toBeGreaterThan(0);
      const named = recording.sessions.map((s) => s.namedAt);
      expect(named).toEqual([...named].sort((a, b) => a - b));
      for (const session of recording.sessions) {
        expect(session.playlists[0]?.prefix).toBe('');
        const prefixes = session.playlists.map((p) => p.prefix);
        expect(prefixes.slice(1)).toEqual(prefixes.slice(1).map((_, i) => `bak${i}_`));
        failedOver += prefixes.length - 1;
        for (const playlist of session.playlists) {
          for (const file of playlist.files) {
            expect(file.fileName.startsWith(playlist.prefix)).toBe(true);
          }
        }
      }
      const { coverage } = recording;
      expect(coverage.recordedMs + coverage.gaps.reduce((t, g) => t + g.to - g.from, 0)).toBe(
        coverage.wantedMs,
      );
    }
    expect(failedOver).toBeGreaterThan(0);
  });

  it('as text: each recording, then each of its sessions and playlists in that order', async () => {
    const json = JSON.parse((await cli('manifest', log, '--json')).out) as FleetManifest;
    const { code, out } = await cli('manifest', log);
    expect(code).toBe(0);
    expect(out).toMatch(/^5 recording\(s\) up to \S+: recorded .* wanted \(\d+\.\d %\)$/m);
    let from = 0;
    const next = (text: string) => {
      const index = out.indexOf(text, from);
      expect(index, text).toBeGreaterThanOrEqual(from);
      from = index + text.length;
    };
    for (const recording of json.recordings) {
      next(`\n${recording.recording}  ${recording.state}`);
      for (const [i, session] of recording.sessions.entries()) {
        next(`session ${i + 1}: sid ${session.sid} `);
        for (const playlist of session.playlists) {
          next(`playlist ${playlist.prefix === '' ? '(no prefix)' : playlist.prefix} `);
        }
      }
    }
  });

  it('reads a trace too, and says what a file that is not a trace is', async () => {
    const trace = await cli('manifest', join(root, 'docs/traces/failover.jsonl'));
    expect(trace.code).toBe(0);
    expect(trace.out).toContain('playlist bak1_  after failover 1, uid 3003');
    const bad = await cli('manifest', join(root, 'README.md'));
    expect(bad.code).toBe(65);
    expect(bad.err).toMatch(/^recwatch manifest: \S*README\.md: not a trace/);
  });
});
