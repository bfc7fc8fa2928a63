// The webhook handler over real HTTP on loopback: behind node:http (webhook.node) and behind
// Hono (webhook.fetch), with a supervisor on a real SQLite log.
import { createHmac } from 'node:crypto';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ConfigurationError,
  createMemoryLog,
  createSupervisor,
  createWebhookHandler,
  type EventLog,
  type LogEntry,
  openSqliteLog,
  type Supervisor,
  VirtualClock,
} from '../../src/index.js';
import { notificationBody } from '../fixtures/agora.js';
import { tempDir } from '../fixtures/temp-dir.js';

const SECRET = 'ncs-secret-for-tests';
const work = tempDir('recwatch-webhook-');
afterAll(() => work.remove());

function sign(body: string, secret = SECRET): Record<string, string> {
  return {
    'content-type': 'application/json',
    'Agora-Signature-V2': createHmac('sha256', secret).update(body).digest('hex'),
  };
}

async function supervisorOn(log: EventLog | string): Promise<Supervisor> {
  return createSupervisor({
    agora: { appId: 'a', customerId: 'c', customerSecret: 's', baseUrl: 'http://127.0.0.1:9' },
    clientRequest: () => ({}),
    log,
    clock: new VirtualClock(1_700_000_000_000),
  });
}

async function allEntriesOf(log: EventLog): Promise<LogEntry[]> {
  return [...(await log.readAll({ limit: 10_000 }))];
}

type Mount = (
  supervisor: Supervisor,
  options: { secret: string; maxBodyBytes: number },
) => Promise<{ url: string; close(): Promise<void> }>;

const mounts: [string, Mount][] = [
  [
    'node:http (webhook.node)',
    async (supervisor, options) => {
      const webhook = createWebhookHandler(supervisor, options);
      const server: Server = createServer(webhook.node);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return {
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/agora`,
        close: () =>
          new Promise<void>((resolve) => server.close(() => resolve())).then(() =>
            server.closeAllConnections(),
          ),
      };
    },
  ],
  [
    'Hono (webhook.fetch)',
    async (supervisor, options) => {
      const webhook = createWebhookHandler(supervisor, options);
      const app = new Hono();
      app.post('/agora', (c) => webhook.fetch(c.req.raw));
      const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
        const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
      });
      return {
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/agora`,
        close: () => new Promise<void>((resolve) => server.close(() => resolve())),
      };
    },
  ],
];

describe.each(mounts)('the webhook handler behind %s', (_name, mount) => {
  let log: EventLog;
  let supervisor: Supervisor;
  let endpoint: { url: string; close(): Promise<void> };
  beforeEach(async () => {
    log = createMemoryLog();
    supervisor = await supervisorOn(log);
    endpoint = await mount(supervisor, { secret: SECRET, maxBodyBytes: 4_096 });
  });
  afterEach(async () => {
    await endpoint.close();
    await supervisor.close();
  });

  it('answers 200 {} to a signed notification, once it is in the log', async () => {
    const body = JSON.stringify(
      notificationBody({ eventType: 40, sid: 'S1', details: { msgName: 'recorder_started' } }),
    );
    const response = await fetch(endpoint.url, { method: 'POST', headers: sign(body), body });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({});
    const entries = await allEntriesOf(log);
    expect(entries).toHaveLength(1);
    expect(entries[0]?.item).toMatchObject({
      kind: 'input',
      record: { type: 'notification', body: JSON.parse(body) },
    });
  });

  it('accepts the older Agora-Signature (HMAC-SHA1) alone', async () => {
    const body = JSON.stringify(notificationBody({ eventType: 30, sid: 'S1' }));
    const headers = {
      'content-type': 'application/json',
      'Agora-Signature': createHmac('sha1', SECRET).update(body).digest('hex'),
    };
    expect((await fetch(endpoint.url, { method: 'POST', headers, body })).status).toBe(200);
  });

  it('refuses a missing or wrong signature with 401 and appends nothing', async () => {
    const body = JSON.stringify(notificationBody({ eventType: 11, sid: 'S1' }));
    const unsigned = await fetch(endpoint.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    const wrong = await fetch(endpoint.url, {
      method: 'POST',
      headers: sign(body, 'not-the-secret'),
      body,
    });
    // Signed for other bytes: the signature is checked on the raw body.
    const reformatted = await fetch(endpoint.url, {
      method: 'POST',
      headers: sign(body),
      body: JSON.stringify(JSON.parse(body), null, 2),
    });
    expect([unsigned.status, wrong.status, reformatted.status]).toEqual([401, 401, 401]);
    expect(await allEntriesOf(log)).toEqual([]);
  });

  it('answers 400 to a signed body that is not JSON, and keeps it as a reject', async () => {
    const body = 'eventType=11&sid=S1';
    const response = await fetch(endpoint.url, { method: 'POST', headers: sign(body), body });
    expect(response.status).toBe(400);
    const entries = await allEntriesOf(log);
    expect(entries).toHaveLength(1);
    expect(entries[0]?.item.kind).toBe('reject');
    expect(JSON.stringify(entries[0]?.item)).toContain('eventType=11');
  });

  it('answers 400 to every resend of a signed body that is not a notification, and keeps it once', async () => {
    const body = JSON.stringify({ noticeId: 'n-junk', productId: 3, payload: 'not a payload' });
    const statuses: number[] = [];
    for (let resend = 0; resend < 3; resend += 1) {
      const response = await fetch(endpoint.url, { method: 'POST', headers: sign(body), body });
      statuses.push(response.status);
    }
    expect(statuses).toEqual([400, 400, 400]);
    const entries = await allEntriesOf(log);
    expect(entries.map((entry) => entry.item.kind)).toEqual(['reject']);
  });

  it("answers 200 to the console's test event", async () => {
    const body = JSON.stringify(
      notificationBody({ eventType: 1, cname: 'test_webhook', sid: 'test_sid' }),
    );
    expect((await fetch(endpoint.url, { method: 'POST', headers: sign(body), body })).status).toBe(
      200,
    );
  });

  it('answers 413 to a body over the cap, and appends nothing', async () => {
    const body = JSON.stringify(
      notificationBody({ eventType: 4, sid: 'S1', details: { pad: 'x'.repeat(10_000) } }),
    );
    const response = await fetch(endpoint.url, { method: 'POST', headers: sign(body), body });
    expect(response.status).toBe(413);
    expect(await allEntriesOf(log)).toEqual([]);
  });
});

describe('the webhook handler and durability', () => {
  it('answers only after the append is durable: a log that holds its appends holds the answer', async () => {
    const inner = createMemoryLog();
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow: EventLog = Object.assign(Object.create(inner) as EventLog, {
      append: async (...args: Parameters<EventLog['append']>) => {
        await gate;
        return inner.append(...args);
      },
      readAll: inner.readAll.bind(inner),
      loadSnapshot: inner.loadSnapshot.bind(inner),
      saveSnapshot: inner.saveSnapshot.bind(inner),
      readStream: inner.readStream.bind(inner),
      streamVersion: inner.streamVersion.bind(inner),
      close: inner.close.bind(inner),
    });
    const supervisor = await supervisorOn(slow);
    const webhook = createWebhookHandler(supervisor, { secret: SECRET });
    const body = JSON.stringify(notificationBody({ eventType: 40, sid: 'S9' }));
    let answered = false;
    const response = webhook
      .fetch(new Request('http://x/agora', { method: 'POST', headers: sign(body), body }))
      .then((r) => {
        answered = true;
        return r;
      });
    for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setImmediate(resolve));
    expect(answered).toBe(false);
    release();
    expect((await response).status).toBe(200);
    expect(await inner.readAll()).toHaveLength(1);
    await supervisor.close();
  });

  it('answers 503 when the log cannot take the body (so Agora resends), and 405 to a GET', async () => {
    const file = work.file('closed.db');
    const log = await openSqliteLog(file);
    const supervisor = await supervisorOn(log);
    const webhook = createWebhookHandler(supervisor, { unsigned: true });
    await log.close();
    const body = JSON.stringify(notificationBody({ eventType: 40, sid: 'S9' }));
    const failed = await webhook.fetch(new Request('http://x/agora', { method: 'POST', body }));
    expect(failed.status).toBe(503);
    expect((await webhook.fetch(new Request('http://x/agora'))).status).toBe(405);
    await supervisor.close();
  });

  it('stops reading a body over the cap before its end (node)', async () => {
    const supervisor = await supervisorOn('memory');
    const webhook = createWebhookHandler(supervisor, { unsigned: true, maxBodyBytes: 1_024 });
    const server = createServer(webhook.node);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    // Chunked, no content-length: the handler must count as it reads.
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({ port, host: '127.0.0.1', method: 'POST', path: '/agora' }, (res) =>
        resolve(res.statusCode ?? 0),
      );
      req.on('error', reject);
      req.write('x'.repeat(2_048));
      // The rest never comes: an answer now proves the handler did not wait for the end.
    });
    expect(status).toBe(413);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await supervisor.close();
  });
});

describe('createWebhookHandler refuses a configuration that would open or hang the endpoint', () => {
  it('needs a secret unless unsigned notifications are asked for, and a sane body cap', async () => {
    const supervisor = await supervisorOn('memory');
    for (const options of [{}, { secret: '' }, { secret: undefined }]) {
      expect(() => createWebhookHandler(supervisor, options)).toThrow(ConfigurationError);
    }
    for (const maxBodyBytes of [Number.NaN, -1, 0, Number.POSITIVE_INFINITY]) {
      expect(() => createWebhookHandler(supervisor, { secret: 's', maxBodyBytes })).toThrow(
        ConfigurationError,
      );
    }
    expect(() => createWebhookHandler(supervisor, { unsigned: true })).not.toThrow();
    await supervisor.close();
  });

  it('needs the supervisor itself: a Promise of one (a forgotten await) or anything else is refused at setup', async () => {
    const pending = supervisorOn('memory');
    const asGiven = (receiver: unknown) => () =>
      createWebhookHandler(receiver as Parameters<typeof createWebhookHandler>[0], { secret: 's' });
    expect(asGiven(pending)).toThrow(/given a Promise: await createSupervisor/);
    for (const receiver of [undefined, null, {}, { receiveWebhook: 'no' }, 'supervisor']) {
      expect(asGiven(receiver)).toThrow(ConfigurationError);
    }
    await (await pending).close();
  });

  it('answers 500 at once when a body parser already read the body (never hangs)', async () => {
    const supervisor = await supervisorOn('memory');
    const webhook = createWebhookHandler(supervisor, { secret: 's' });
    // What express.json() leaves: the stream read to its end, the parsed body on the request.
    const server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        (request as unknown as { body: unknown }).body = {};
        webhook.node(request, response);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const answer = await fetch(`http://127.0.0.1:${port}/agora`, { method: 'POST', body: '{}' });
    expect(answer.status).toBe(500);
    expect(await answer.text()).toContain('before any body parser');
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await supervisor.close();
  });

  it('fetch face: answers 500 when the body was read first, 400 when it breaks off', async () => {
    const supervisor = await supervisorOn('memory');
    const webhook = createWebhookHandler(supervisor, { secret: 's' });
    const read = new Request('http://x/agora', { method: 'POST', body: '{}' });
    await read.text();
    const answer = await webhook.fetch(read);
    expect(answer.status).toBe(500);
    expect(await answer.text()).toContain('before any body parser');
    const broken = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"noticeId":'));
        controller.error(new Error('connection reset'));
      },
    });
    const init = { method: 'POST', body: broken, duplex: 'half' } as RequestInit;
    const aborted = await webhook.fetch(new Request('http://x/agora', init));
    expect(aborted.status).toBe(400);
    await supervisor.close();
  });
});

describe('receiveWebhook on a body resent later', () => {
  it('gives the same verdict every time, and stores the reject once', async () => {
    const log = createMemoryLog();
    const clock = new VirtualClock(1_700_000_000_000);
    const supervisor = await createSupervisor({
      agora: { appId: 'a', customerId: 'c', customerSecret: 's', baseUrl: 'http://127.0.0.1:9' },
      clientRequest: () => ({}),
      log,
      clock,
    });
    try {
      const junk = { noticeId: 'n-junk', payload: 42 };
      const verdicts = [await supervisor.receiveWebhook(junk)];
      verdicts.push(await supervisor.receiveWebhook(junk));
      // Agora resends later: the same body at another receive time.
      clock.advanceBy(60_000);
      verdicts.push(await supervisor.receiveWebhook(junk));
      expect(verdicts).toEqual(['rejected', 'rejected', 'rejected']);
      expect((await allEntriesOf(log)).map((entry) => entry.item.kind)).toEqual(['reject']);
    } finally {
      await supervisor.close();
    }
  });
});
