// `recwatch serve` refusing a bad configuration, and the edges of its drain: a request that never
// ends holds the drain until its bound (exit 1), and a second signal exits at once.
import { spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { pkg, root } from '../cli/recwatch.js';
import { freePort } from '../fixtures/free-port.js';
import { tempDir } from '../fixtures/temp-dir.js';
import { type Child, startServe } from './processes.js';

const work = tempDir('recwatch-serve-life-');
const children: Child[] = [];
afterAll(() => {
  for (const child of children) if (child.process.exitCode === null) child.process.kill('SIGKILL');
  work.remove();
});

const ENV = {
  AGORA_APP_ID: 'app',
  AGORA_CUSTOMER_ID: 'customer',
  AGORA_CUSTOMER_SECRET: 'customer-secret-not-to-print',
  AGORA_NCS_SECRET: 'ncs',
  // Nothing listens there: with an empty log, nothing is sent to Agora.
  AGORA_BASE_URL: 'http://127.0.0.1:9',
  RECWATCH_API_TOKENS: 'token-not-to-print',
  RECWATCH_LOG: 'memory',
};

/** Opens a webhook POST whose body never ends: a request in flight for as long as it is open. */
async function hangingRequest(port: number): Promise<() => void> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.write(
    'POST /agora/webhook HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"a"',
  );
  socket.on('error', () => {});
  // In flight once the server counts it (the scrape that reads the gauge is the other one).
  for (;;) {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    if (Number(/^recwatch_http_requests_in_flight (\d+)$/m.exec(text)?.[1]) >= 2) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return () => socket.destroy();
}

describe('recwatch serve lifecycle (built)', () => {
  it('refuses a bad configuration in one line naming the fields, exit 78, no secret shown', () => {
    const { AGORA_APP_ID: _, ...rest } = ENV;
    const result = spawnSync(process.execPath, [`${root}${pkg.bin.recwatch}`, 'serve'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, ...rest, RECWATCH_PORT: 'x' },
    });
    expect(result.status).toBe(78);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('agora.appId: required (AGORA_APP_ID)');
    expect(result.stderr).toContain('listen.port');
    expect(result.stderr + result.stdout).not.toMatch(/not-to-print/);
  });

  it('exits 1 when a request in flight outlasts the drain bound', async () => {
    const port = await freePort();
    const serve = await startServe({
      ...ENV,
      RECWATCH_PORT: String(port),
      RECWATCH_DRAIN_TIMEOUT_MS: '500',
    });
    children.push(serve);
    const end = await hangingRequest(port);
    serve.process.kill('SIGTERM');
    expect(await serve.exited).toBe(1);
    expect(serve.stdout()).toContain('the drain took too long');
    end();
  }, 30_000);

  it('exits at once on a second signal during the drain', async () => {
    const port = await freePort();
    const serve = await startServe({
      ...ENV,
      RECWATCH_PORT: String(port),
      RECWATCH_DRAIN_TIMEOUT_MS: '600000',
    });
    children.push(serve);
    const end = await hangingRequest(port);
    serve.process.kill('SIGTERM');
    await new Promise<void>((resolve) => {
      const look = () => serve.stdout().includes('"msg":"draining"') && resolve();
      serve.process.stdout.on('data', look);
      look();
    });
    serve.process.kill('SIGINT');
    expect(await serve.exited).toBe(130);
    end();
  }, 30_000);
});
