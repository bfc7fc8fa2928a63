// The README's `recwatch serve` quick start, run as written, in a folder where recwatch is
// installed as npm installs it (`node_modules/.bin/recwatch`, run by the real `npx` when the
// example says so) against the simulator: it starts a recording that Agora (the simulator) really
// has, and the service drains and exits 0 on SIGTERM, leaving no process behind.
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startSimulator, type TrueRecording } from '../../src/sim/index.js';
import { example } from '../fixtures/doc-examples.js';
import { freePort } from '../fixtures/free-port.js';
import { tempDir } from '../fixtures/temp-dir.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const work = tempDir('recwatch-serve-readme-');
afterAll(() => work.remove());

describe('the README serve quick start', () => {
  it('runs as written: starts r1 through the API, then drains on SIGTERM', async () => {
    const port = await freePort();
    const sim = await startSimulator({
      seed: 4,
      webhookUrl: `http://127.0.0.1:${port}/agora/webhook`,
    });
    try {
      const bin = join(work.path, 'node_modules', '.bin');
      mkdirSync(bin, { recursive: true });
      symlinkSync(ROOT, join(work.path, 'node_modules', 'recwatch'));
      symlinkSync(join(ROOT, 'dist/src/cli/main.js'), join(bin, 'recwatch'));
      const { appId, customerId, customerSecret, secret } = sim.credentials;
      const env = {
        ...process.env,
        PATH: `${dirname(process.execPath)}:${process.env.PATH}`,
        RECWATCH_PORT: String(port),
        RECWATCH_API_TOKENS: 'a-long-random-token',
        AGORA_APP_ID: appId,
        AGORA_CUSTOMER_ID: customerId,
        AGORA_CUSTOMER_SECRET: customerSecret,
        AGORA_NCS_SECRET: secret,
        AGORA_APP_CERTIFICATE: '5cfd2fd1755d40ecb72977518be15d3b',
        AGORA_BASE_URL: sim.baseUrl,
      };
      const out = await new Promise<string>((resolve, reject) =>
        execFile(
          'sh',
          ['-e', '-c', example('README.md', 'serve-quick-start')],
          { cwd: work.path, env, timeout: 60_000 },
          (error, stdout) => (error === null ? resolve(stdout) : reject(error)),
        ),
      );
      const [started, got] = out
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { recording: string; state: string });
      expect(started).toMatchObject({ recording: 'r1' });
      expect(got).toMatchObject({ recording: 'r1', state: 'recording' });
      const truth = sim.truth().filter((r): r is TrueRecording => r.type === 'recording');
      expect(truth.map((r) => r.cname)).toEqual(['room1']);
      const log = readFileSync(join(work.path, 'recwatch.log'), 'utf8');
      expect(log).toContain('"msg":"drained: exiting"');
      expect(log).not.toContain('a-long-random-token');
      // The process that drained is the one that listened: nothing answers on the port any more.
      const refused = await new Promise<boolean>((resolve) => {
        const socket = connect(port, '127.0.0.1');
        socket.once('connect', () => {
          socket.destroy();
          resolve(false);
        });
        socket.once('error', () => resolve(true));
      });
      expect(refused).toBe(true);
    } finally {
      await sim.close();
    }
  }, 90_000);
});
