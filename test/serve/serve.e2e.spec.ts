// `recwatch serve` (the built CLI) against `recwatch sim`, used by a backend that is not Node:
// test/serve/client.py, Python's standard library only. Then what an operator relies on: the
// OpenAPI document matches what is served, SIGTERM drains in time without losing an acknowledged
// input, and kill -9 plus a restart resumes every recording and every outbound webhook.
import { execFile } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { validate } from '@readme/openapi-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allEntries, openSqliteLog } from '../../src/log/index.js';
import { rebuildFromLog } from '../../src/runtime/index.js';
import { freePort } from '../fixtures/free-port.js';
import { tempDir } from '../fixtures/temp-dir.js';
import { type Child, logLines, startServe, startSim } from './processes.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLIENT = fileURLToPath(new URL('client.py', import.meta.url));
const NCS_SECRET = 'ncs-secret';
const TOKEN = 'write-token-0123';
const READ_TOKEN = 'read-token-4567';
const HOOK_SECRET = `whsec_${randomBytes(24).toString('base64')}`;
/** A failure bound for what a healthy run does in a second or two. */
const BOUND_MS = 60_000;

const work = tempDir('recwatch-serve-');
const logFile = work.file('recwatch.db');
let sim: Awaited<ReturnType<typeof startSim>>;
let servePort: number;
let serve: Child;
let base: string;

function serveEnv(webhookUrl: string): NodeJS.ProcessEnv {
  const { credentials } = sim;
  return {
    AGORA_APP_ID: credentials.appId,
    AGORA_CUSTOMER_ID: credentials.customerId,
    AGORA_CUSTOMER_SECRET: credentials.customerSecret,
    AGORA_BASE_URL: credentials.baseUrl,
    AGORA_NCS_SECRET: NCS_SECRET,
    AGORA_APP_CERTIFICATE: '5cfd2fd1755d40ecb72977518be15d3b',
    RECWATCH_API_TOKENS: TOKEN,
    RECWATCH_API_READ_TOKENS: READ_TOKEN,
    RECWATCH_WEBHOOK_URL: webhookUrl,
    RECWATCH_WEBHOOK_SECRET: HOOK_SECRET,
    RECWATCH_PORT: String(servePort),
    RECWATCH_LOG: logFile,
    RECWATCH_CONFIG: work.file('recwatch.json'),
  };
}

async function api(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${TOKEN}`,
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
}

/** Polls `test` (every 100 ms) until it holds; fails at the bound. */
async function until<T>(what: string, test: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + BOUND_MS;
  for (;;) {
    const value = await test();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${BOUND_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  servePort = await freePort();
  base = `http://127.0.0.1:${servePort}`;
  sim = await startSim(await freePort(), `${base}/agora/webhook`, NCS_SECRET);
  // Short retries: a host that refuses is asked again soon.
  writeFileSync(
    work.file('recwatch.json'),
    JSON.stringify({ logLevel: 'info', webhooks: { retryDelaysMs: [100, 200, 400] } }),
  );
}, BOUND_MS);

afterAll(async () => {
  for (const child of [serve?.process, sim?.child.process]) {
    if (child?.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  work.remove();
});

describe('recwatch serve (built) with recwatch sim', () => {
  it(
    'serves a Python backend: start, list, events, resume, stop, a signed webhook, 401/403, metrics, readyz',
    async () => {
      const hookPort = await freePort();
      serve = await startServe(serveEnv(`http://127.0.0.1:${hookPort}/hook`));
      const result = await new Promise<{ code: number | null; out: string; err: string }>(
        (resolve) => {
          execFile(
            'python3',
            [CLIENT, base, TOKEN, READ_TOKEN, String(hookPort), HOOK_SECRET],
            { timeout: 2 * BOUND_MS },
            (error, out, err) =>
              resolve({ code: error === null ? 0 : ((error.code as number) ?? 1), out, err }),
          );
        },
      );
      expect(result.err).toBe('');
      const report = JSON.parse(result.out.trim()) as {
        ok: boolean;
        seen: Record<string, unknown>;
      };
      expect(report).toMatchObject({
        ok: true,
        seen: {
          unauthorized: 401,
          forbidden: 403,
          start: [201, 200, 409],
          webhook: { type: 'recording.started', verified: true },
        },
      });
      expect(report.seen.sse).toContain('started');
      expect(report.seen.resumed).toContain('stopped');
      expect(report.seen.metrics).toEqual(
        expect.arrayContaining([
          'recwatch_recordings',
          'recwatch_inputs_total',
          'recwatch_agora_calls_total',
          'recwatch_restarts_total',
          'recwatch_log_append_duration_seconds_count',
        ]),
      );
      // No secret reached a log line.
      const printed = serve.stdout() + serve.stderr();
      for (const secret of [
        TOKEN,
        READ_TOKEN,
        HOOK_SECRET,
        NCS_SECRET,
        sim.credentials.customerSecret,
      ]) {
        expect(printed).not.toContain(secret);
      }
    },
    3 * BOUND_MS,
  );

  it(
    'serves the OpenAPI document it keeps in docs/openapi.json, which validates and lists every route it answers',
    async () => {
      const served = (await (await fetch(`${base}/openapi.json`)).json()) as {
        paths: Record<string, Record<string, unknown>>;
      };
      expect(served).toEqual(JSON.parse(readFileSync(`${ROOT}docs/openapi.json`, 'utf8')));
      await expect(validate(structuredClone(served) as never)).resolves.toMatchObject({});
      for (const [path, operations] of Object.entries(served.paths)) {
        for (const method of Object.keys(operations)) {
          if (path === '/v1/events') continue; // a stream: answered below
          const response = await fetch(`${base}${path.replace('{recording}', 'nobody')}`, {
            method: method.toUpperCase(),
            headers: { authorization: `Bearer ${READ_TOKEN}` },
          });
          const text = await response.text();
          expect(text, `${method} ${path}`).not.toContain('no such route');
        }
      }
      const events = await fetch(`${base}/v1/events`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(events.headers.get('content-type')).toMatch(/^text\/event-stream/);
      await events.body?.cancel();
      const unknown = await fetch(`${base}/v1/nothing`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(unknown.status).toBe(404);
    },
    BOUND_MS,
  );

  it(
    'drains on SIGTERM within 10 s, exit 0, and every notification it acknowledged is in the log',
    async () => {
      const acknowledged: string[] = [];
      const posts: Promise<void>[] = [];
      let signalled: number | undefined;
      const send = async (n: number) => {
        const body = JSON.stringify({
          noticeId: `drain-${n}`,
          productId: 3,
          eventType: 40,
          notifyMs: 1_700_000_000_000 + n,
          payload: {
            cname: 'drain',
            uid: '9',
            sid: 'drainsid',
            sequence: n,
            sendts: 1_700_000_000_000 + n,
            serviceType: 0,
            details: { msgName: 'recorder_started', status: 0 },
          },
        });
        try {
          const response = await fetch(`${base}/agora/webhook`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'agora-signature-v2': createHmac('sha256', NCS_SECRET).update(body).digest('hex'),
            },
            body,
          });
          await response.text();
          if (response.status !== 200) return;
          acknowledged.push(`drain-${n}`);
          // SIGTERM while the rest of the second batch is on its way or in flight.
          if (n >= 40 && acknowledged.length === 50 && signalled === undefined) {
            signalled = performance.now();
            serve.process.kill('SIGTERM');
          }
        } catch {
          // Refused once the server stopped listening: not acknowledged, Agora would resend.
        }
      };
      for (let n = 0; n < 40; n += 1) posts.push(send(n));
      await Promise.all(posts);
      for (let n = 40; n < 200; n += 1) posts.push(send(n));
      const code = await serve.exited;
      const drainMs = performance.now() - (signalled ?? 0);
      await Promise.all(posts);
      expect(code).toBe(0);
      expect(drainMs).toBeLessThan(10_000);
      expect(signalled).toBeDefined();
      expect(acknowledged.length).toBeGreaterThanOrEqual(50);
      expect(logLines(serve).map((line) => line.msg)).toEqual(
        expect.arrayContaining(['draining', 'drained: exiting']),
      );
      const log = await openSqliteLog(logFile, { readOnly: true });
      const logged = new Set<string>();
      for await (const entry of allEntries(log)) {
        const record =
          entry.item.kind === 'input'
            ? (entry.item.record as { type?: string; body?: { noticeId?: string } })
            : undefined;
        if (record?.type === 'notification' && record.body?.noticeId !== undefined)
          logged.add(record.body.noticeId);
      }
      await log.close();
      expect(acknowledged.filter((id) => !logged.has(id))).toEqual([]);
    },
    2 * BOUND_MS,
  );

  it(
    'after kill -9, a restart resumes every recording and delivers every event the host had not acknowledged',
    async () => {
      // The host refuses every delivery before the kill, then accepts each on its second attempt.
      let accepting = false;
      const attempts = new Map<string, number>();
      const delivered = new Map<string, { type: string; recording: string }>();
      const hook = createServer((request, response) => {
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () => {
          const id = (request.headers as IncomingHttpHeaders)['webhook-id'] as string;
          const tries = (attempts.get(id) ?? 0) + 1;
          attempts.set(id, tries);
          const ok = accepting && tries >= 2;
          if (ok) {
            const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
              type: string;
              data: { recording: string };
            };
            delivered.set(id, { type: body.type, recording: body.data.recording });
          }
          response.writeHead(ok ? 204 : 503).end();
        });
      });
      await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
      const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
      try {
        serve = await startServe(serveEnv(hookUrl));
        const ids = ['k1', 'k2', 'k3'];
        for (const [n, recording] of ids.entries()) {
          const response = await api('POST', '/v1/recordings', {
            recording,
            cname: `kill${n}`,
            uid: String(5001 + n),
            mode: 'individual',
          });
          expect(response.status).toBe(201);
        }
        const sids = await until('k1..k3 recording', async () => {
          const pictures = await Promise.all(
            ids.map(
              async (id) =>
                (await (await api('GET', `/v1/recordings/${id}`)).json()) as {
                  state: string;
                  sid: string;
                },
            ),
          );
          return pictures.every((p) => p.state === 'recording')
            ? pictures.map((p) => p.sid)
            : undefined;
        });
        serve.process.kill('SIGKILL');
        expect(await serve.exited).toBe('SIGKILL');
        const cursorFile = `${logFile}.webhooks-cursor`;
        const cursorBefore = (JSON.parse(readFileSync(cursorFile, 'utf8')) as { position: number })
          .position;

        accepting = true;
        serve = await startServe(serveEnv(hookUrl));
        const resumed = await until('k1..k3 resumed', async () => {
          const list = (await (await api('GET', '/v1/recordings?state=recording')).json()) as {
            recordings: { recording: string; sid: string }[];
          };
          const found = ids.map((id) => list.recordings.find((r) => r.recording === id)?.sid);
          return found.every((sid) => sid !== undefined) ? found : undefined;
        });
        expect(resumed).toEqual(sids);
        await until('the started events delivered', async () => {
          const started = [...delivered.values()].filter((d) => d.type === 'recording.started');
          return ids.every((id) => started.some((d) => d.recording === id)) ? true : undefined;
        });
        serve.process.kill('SIGTERM');
        expect(await serve.exited).toBe(0);

        // Every event after the cursor kept before the kill, up to the cursor now, was delivered.
        const cursorAfter = (JSON.parse(readFileSync(cursorFile, 'utf8')) as { position: number })
          .position;
        expect(cursorAfter).toBeGreaterThan(cursorBefore);
        const expected: string[] = [];
        const log = await openSqliteLog(logFile, { readOnly: true });
        const counts = new Map<number, number>();
        await rebuildFromLog(log, {
          useSnapshot: false,
          onOutput: (output, entry) => {
            if (output.kind !== 'event') return;
            const index = counts.get(entry.position) ?? 0;
            counts.set(entry.position, index + 1);
            if (entry.position > cursorBefore && entry.position <= cursorAfter) {
              expected.push(`evt_${entry.position}_${index}`);
            }
          },
        });
        await log.close();
        expect(expected.length).toBeGreaterThanOrEqual(3);
        expect(expected.filter((id) => !delivered.has(id))).toEqual([]);
      } finally {
        await new Promise<void>((resolve) => hook.close(() => resolve()));
      }
    },
    3 * BOUND_MS,
  );
});
