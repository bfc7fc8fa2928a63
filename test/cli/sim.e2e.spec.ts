import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { verifySignature } from '../../src/signals/index.js';
import { tempDir } from '../fixtures/temp-dir.js';
import { client, startReceiver } from '../sim/helpers.js';
import { pkg, recwatch, root } from './recwatch.js';

describe('recwatch sim (built)', () => {
  const dirs: ReturnType<typeof tempDir>[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) dir.remove();
  });

  it('serves the REST API, posts signed notifications, and on SIGINT prints a summary and writes the truth', async () => {
    const receiver = await startReceiver();
    const dir = tempDir();
    dirs.push(dir);
    const truthFile = join(dir.path, 'truth.jsonl');
    const child = spawn(
      process.execPath,
      [
        `${root}${pkg.bin.recwatch}`,
        'sim',
        '--profile',
        'clean',
        '--seed',
        '7',
        '--speed',
        '60',
        '--webhook',
        receiver.url,
        '--secret',
        's3cret',
        '--truth',
        truthFile,
      ],
      { cwd: root },
    );
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk;
    });
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    );
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk;
        if (stdout.includes('Ctrl-C to stop.')) resolve();
      });
    });
    // The quick start's variables, one `AGORA_*=…` line each, ready to export.
    const env = Object.fromEntries(
      [...stdout.matchAll(/^(AGORA_[A-Z_]+)=(\S+)$/gm)].map((m) => [m[1]!, m[2]!]),
    );
    expect(Object.keys(env)).toEqual([
      'AGORA_APP_ID',
      'AGORA_CUSTOMER_ID',
      'AGORA_CUSTOMER_SECRET',
      'AGORA_APP_CERTIFICATE',
      'AGORA_BASE_URL',
    ]);
    const sim = {
      baseUrl: env.AGORA_BASE_URL!,
      credentials: {
        appId: env.AGORA_APP_ID!,
        authorization: `Basic ${Buffer.from(`${env.AGORA_CUSTOMER_ID}:${env.AGORA_CUSTOMER_SECRET}`).toString('base64')}`,
      },
    };
    // A webhook secret the user chose is not echoed.
    expect(stdout).toContain('# AGORA_NCS_SECRET: the --secret you gave');
    expect(stdout).not.toContain('s3cret');
    const api = client(sim as Parameters<typeof client>[0]);
    const { sid, started } = await api.record('room', 'mix');
    expect(started.status).toBe(200);
    // Event-driven, not timed: wait for the first notifications of the new sid.
    await receiver.until(
      () =>
        receiver.received.filter((r) => (r.body.payload as { sid: string }).sid === sid).length >=
        2,
    );
    for (const received of receiver.received) {
      expect(verifySignature(received.raw, received.headers, 's3cret').ok).toBe(true);
    }
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/stopped\. \d+ requests, 1 recordings/);
    const truth = readFileSync(truthFile, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(truth).toHaveLength(1);
    expect(truth[0]).toMatchObject({ type: 'recording', sid, cname: 'room', mode: 'mix' });
    await receiver.close();
  });

  it('refuses bad options in one line, without a stack trace', () => {
    for (const args of [
      ['--profile', 'nope'],
      ['--seed', 'x'],
      ['--speed', '0'],
      ['--frobnicate'],
      ['--webhook', 'not a url'],
    ]) {
      const result = recwatch('sim', ...args);
      expect(result.status).toBe(64);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(/^recwatch sim: /);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
