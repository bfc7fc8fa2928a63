// The README's quick start and the plain-http, Hono, Express, Fastify and OpenTelemetry examples
// of docs/embedding.md, run exactly as written (only the package names point at this checkout)
// against the simulator.
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { startSimulator, type TrueRecording } from '../../src/sim/index.js';
import { BUILT, example, resolved } from '../fixtures/doc-examples.js';
import { freePort } from '../fixtures/free-port.js';
import { tempDir } from '../fixtures/temp-dir.js';

const work = tempDir('recwatch-examples-');
afterAll(() => work.remove());

// The fourth element: what the example prints besides its started line.
const cases: [string, string, string, RegExp?][] = [
  ['the README quick start', 'README.md', 'readme-quick-start'],
  ['the plain node:http example', 'docs/embedding.md', 'plain-http'],
  ['the Hono example', 'docs/embedding.md', 'hono'],
  ['the Express example', 'docs/embedding.md', 'express'],
  ['the Fastify example', 'docs/embedding.md', 'fastify'],
  // The console exporter prints the recording gauge at 1 in state recording.
  [
    'the OpenTelemetry example',
    'docs/embedding.md',
    'metrics',
    /name: 'recwatch\.recordings'[\s\S]*?attributes: \{ state: 'recording' \}[^}]*value: 1\b/,
  ],
];

describe.each(cases)('%s', (_title, file, name, printedToo) => {
  it('runs as written: starts a recording that Agora (the simulator) really has', async () => {
    if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run npm run build first`);
    const script = work.file(`${name}.mjs`);
    writeFileSync(script, resolved(example(file, name)));
    const port = await freePort();
    const path = name === 'readme-quick-start' ? '/' : '/agora';
    const sim = await startSimulator({ seed: 3, webhookUrl: `http://127.0.0.1:${port}${path}` });
    try {
      const { appId, customerId, customerSecret, secret } = sim.credentials;
      const env = {
        ...process.env,
        PORT: String(port),
        AGORA_APP_ID: appId,
        AGORA_CUSTOMER_ID: customerId,
        AGORA_CUSTOMER_SECRET: customerSecret,
        AGORA_NCS_SECRET: secret,
        AGORA_TOKEN: 'token-from-your-server',
        AGORA_APP_CERTIFICATE: '5cfd2fd1755d40ecb72977518be15d3b',
        AGORA_BASE_URL: sim.baseUrl,
      };
      const printed = await new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, [script], {
          cwd: work.path,
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        let err = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
        });
        // Ended once it has said so and Agora's notifications were acknowledged by it.
        const acknowledged = () =>
          sim
            .deliveries()
            .some((d) => d.outcome?.kind === 'answered' && d.outcome.httpStatus === 200);
        const watch = setInterval(() => {
          if (/r1 started: sid \w+/.test(out) && acknowledged()) child.kill('SIGKILL');
        }, 20);
        child.on('close', () => clearInterval(watch));
        child.stderr.on('data', (chunk: Buffer) => {
          err += chunk.toString();
        });
        child.on('error', reject);
        child.on('close', () => (err === '' ? resolve(out) : reject(new Error(err))));
      });
      const sid = /r1 started: sid (\w+)/.exec(printed)?.[1];
      if (printedToo !== undefined) expect(printed).toMatch(printedToo);
      const truth = sim.truth().filter((r): r is TrueRecording => r.type === 'recording');
      expect(truth.map((r) => r.sid)).toEqual([sid]);
      expect(truth[0]?.cname).toBe('room1');
      // The notifications reached the example's endpoint and were acknowledged.
      expect(
        sim
          .deliveries()
          .some((d) => d.outcome?.kind === 'answered' && d.outcome.httpStatus === 200),
      ).toBe(true);
    } finally {
      await sim.close();
    }
  }, 60_000);
});
