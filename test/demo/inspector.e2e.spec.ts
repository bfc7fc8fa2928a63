// `recwatch demo` (what `npm start` runs) serves the live inspector page for its supervisor and
// prints its URL once, near the top; the URL answers with the page while the run goes on.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { DemoUsageError, parseDemoArgs } from '../../src/demo/options.js';
import { pkg, root } from '../cli/recwatch.js';
import { freePort } from '../fixtures/free-port.js';
import { readEvents } from '../inspect/sse.js';

const INSPECTOR_LINE = /^inspector (http:\/\/127\.0\.0\.1:(\d+)\/) /m;

describe('the demo with its live inspector', () => {
  it('prints the page URL once near the top; it serves the page while the run goes on', async () => {
    const port = await freePort();
    const child = spawn(
      process.execPath,
      [
        `${root}${pkg.bin.recwatch}`,
        'demo',
        '--recordings',
        '3',
        '--duration',
        '24h',
        '--inspect-port',
        String(port),
      ],
      { cwd: root, env: { ...process.env, CI: '1' } },
    );
    let out = '';
    child.stdout.setEncoding('utf8');
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    // The URL, and then the run under way (its first progress line) while the page is asked for.
    const seen = new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (text: string) => {
        out += text;
        const url = INSPECTOR_LINE.exec(out)?.[1];
        if (url !== undefined && out.includes('[00:00:')) resolve(url);
      });
      void exited.then(() => reject(new Error(`the demo ended without an inspector URL:\n${out}`)));
    });
    let url: string;
    try {
      url = await seen;
      expect(Number(INSPECTOR_LINE.exec(out)?.[2])).toBe(port);
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('recwatch inspector');
      const history = (await (await fetch(new URL('api/history', url))).json()) as {
        title: string;
        live: boolean;
      };
      expect(history).toMatchObject({ title: 'recwatch demo: chaos, seed 7', live: true });
      // The supervisor's steps reach the page (as it would see them) while the run goes on.
      const events = await readEvents(await fetch(new URL('api/events', url)), (read) =>
        read.some(
          (e) => e.event === 'step' || (e.data as { steps?: unknown[] }).steps?.length !== 0,
        ),
      );
      expect(events.length).toBeGreaterThan(0);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    // Once, among the first lines.
    expect(out.match(/inspector http/g)).toHaveLength(1);
    expect(out.split('\n').findIndex((line) => INSPECTOR_LINE.test(line))).toBeLessThan(3);
    // The page closed with the run.
    await expect(fetch(url)).rejects.toThrow();
  }, 120_000);

  it('--no-inspect serves no page and prints no URL', async () => {
    let out = '';
    const code = await runCli(
      ['demo', '--recordings', '2', '--duration', '1m', '--profile', 'clean', '--no-inspect'],
      { out: { write: (text: string) => (out += text) }, err: { write: () => {} } },
    );
    expect(code).toBe(0);
    expect(out).toContain('final state right');
    expect(out).not.toContain('inspector');
  }, 120_000);

  it('reads --inspect-port and --no-inspect, and refuses a port out of range', () => {
    expect(parseDemoArgs([])).toMatchObject({ inspect: true, inspectPort: 0 });
    expect(parseDemoArgs(['--no-inspect', '--inspect-port', '8123'])).toMatchObject({
      inspect: false,
      inspectPort: 8123,
    });
    expect(() => parseDemoArgs(['--inspect-port', '70000'])).toThrow(DemoUsageError);
    expect(() => parseDemoArgs(['--inspect-port', 'x'])).toThrow(/--inspect-port/);
  });
});
