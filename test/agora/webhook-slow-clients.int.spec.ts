// Before a signature is checked, the webhook door holds little: headers that never end are cut by
// `guard(server)`, bodies that never end by `bodyTimeoutMs`, and at most `maxPendingBodies` are
// read at once (503 + Retry-After beyond). All on a virtual clock, over real loopback sockets.
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, request, type Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ConfigurationError,
  createWebhookHandler,
  VirtualClock,
  type WebhookHandlerOptions,
  type WebhookReceiver,
} from '../../src/index.js';

const SECRET = 'ncs-secret-for-tests';
const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** A receiver that keeps what it is given (and may hold its answer until `release`). */
function keeper() {
  const received: unknown[] = [];
  let hold: Promise<void> = Promise.resolve();
  let release = () => {};
  const receiver: WebhookReceiver = {
    async receiveWebhook(body) {
      await hold;
      received.push(body);
      return 'accepted';
    },
  };
  return {
    receiver,
    received,
    holdAnswers() {
      hold = new Promise<void>((resolve) => {
        release = resolve;
      });
      return () => release();
    },
  };
}

/** A guarded node:http server for the handler; `requests` are those whose headers arrived. */
async function door(options: Omit<WebhookHandlerOptions, 'secret'>) {
  const clock = new VirtualClock(0);
  const kept = keeper();
  const webhook = createWebhookHandler(kept.receiver, { secret: SECRET, clock, ...options });
  const requests: IncomingMessage[] = [];
  const sockets: Socket[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(req);
    webhook.node(req, res);
  });
  server.on('connection', (socket: Socket) => sockets.push(socket));
  webhook.guard(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { clock, kept, requests, sockets, port: (server.address() as AddressInfo).port };
}

/** A client that writes `text` and then nothing; `closed` resolves with all it was sent. */
function trickle(port: number, text: string): { socket: Socket; closed: Promise<string> } {
  const socket = connect(port, '127.0.0.1');
  let heard = '';
  socket.on('data', (chunk) => {
    heard += chunk.toString();
  });
  socket.on('error', () => {});
  socket.write(text);
  closers.push(() => void socket.destroy());
  return { socket, closed: new Promise((resolve) => socket.on('close', () => resolve(heard))) };
}

/** A signed notification, on a connection of its own: its status and Retry-After. */
function post(port: number, id: number): Promise<{ status: number; retryAfter?: string }> {
  const body = JSON.stringify({ noticeId: `n${id}`, eventType: 40, payload: { cname: 'c' } });
  const signature = createHmac('sha256', SECRET).update(body).digest('hex');
  return new Promise((resolve, reject) => {
    const req = request(
      {
        port,
        host: '127.0.0.1',
        method: 'POST',
        path: '/agora',
        agent: false,
        headers: { 'content-type': 'application/json', 'Agora-Signature-V2': signature },
      },
      (res) => {
        res.resume();
        const retryAfter = res.headers['retry-after'];
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, ...(retryAfter ? { retryAfter } : {}) }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Resolves once `ready()` holds, looking again after each turn of the event loop. */
async function until(ready: () => boolean): Promise<void> {
  while (!ready()) await new Promise((resolve) => setImmediate(resolve));
}

const HALF_HEADERS = 'POST /agora HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: appl';
const ENDLESS_BODY =
  'POST /agora HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
  `Content-Length: 60000\r\n\r\n{"noticeId":"${'x'.repeat(1_000)}`;

describe('the webhook door, against clients that never finish', () => {
  it('cuts connections whose headers never end, after headersTimeoutMs; good requests get 200', async () => {
    const d = await door({});
    const slow = Array.from({ length: 20 }, () => trickle(d.port, HALF_HEADERS));
    await until(() => d.sockets.length === 20);
    expect(await post(d.port, 1)).toEqual({ status: 200 });
    d.clock.advanceBy(9_999);
    expect(d.sockets.slice(0, 20).filter((s) => s.destroyed)).toHaveLength(0);
    expect(await post(d.port, 2)).toEqual({ status: 200 });
    d.clock.advanceBy(1);
    await Promise.all(slow.map((s) => s.closed));
    expect(d.requests).toHaveLength(2);
    expect(d.kept.received).toHaveLength(2);
  });

  it('never cuts a request whose headers came, however long its answer takes', async () => {
    const d = await door({});
    const release = d.kept.holdAnswers();
    const answered = post(d.port, 1);
    await until(() => d.requests.length === 1);
    d.clock.advanceBy(60_000);
    release();
    expect(await answered).toEqual({ status: 200 });
  });

  it('answers 408 to a body that never ends and closes it, after bodyTimeoutMs; nothing appended', async () => {
    const d = await door({ bodyTimeoutMs: 5_000 });
    const slow = Array.from({ length: 3 }, () => trickle(d.port, ENDLESS_BODY));
    await until(() => d.requests.length === 3);
    expect(await post(d.port, 1)).toEqual({ status: 200 });
    d.clock.advanceBy(4_999);
    expect(d.sockets.slice(0, 3).filter((s) => s.destroyed)).toHaveLength(0);
    d.clock.advanceBy(1);
    for (const heard of await Promise.all(slow.map((s) => s.closed))) {
      expect(heard).toMatch(/^HTTP\/1\.1 408 /);
      expect(heard).toContain('body not received in time');
    }
    expect(d.kept.received).toEqual([expect.objectContaining({ noticeId: 'n1' })]);
  });

  it('reads at most maxPendingBodies bodies at once: 503 with Retry-After beyond, 200 once they are cut', async () => {
    const d = await door({ maxPendingBodies: 4 });
    const slow = Array.from({ length: 4 }, () => trickle(d.port, ENDLESS_BODY));
    await until(() => d.requests.length === 4);
    expect(await post(d.port, 1)).toEqual({ status: 503, retryAfter: '1' });
    expect(d.kept.received).toEqual([]);
    d.clock.advanceBy(10_000);
    await Promise.all(slow.map((s) => s.closed));
    expect(await post(d.port, 2)).toEqual({ status: 200 });
    expect(d.kept.received).toEqual([expect.objectContaining({ noticeId: 'n2' })]);
  });

  it('fetch face: 408 for a body that never ends, 503 beyond maxPendingBodies', async () => {
    const clock = new VirtualClock(0);
    const kept = keeper();
    const webhook = createWebhookHandler(kept.receiver, {
      secret: SECRET,
      clock,
      maxPendingBodies: 1,
      bodyTimeoutMs: 5_000,
    });
    const endless = () =>
      new Request('http://127.0.0.1/agora', {
        method: 'POST',
        body: new ReadableStream({ start: (c) => c.enqueue(new TextEncoder().encode('{"a":')) }),
        duplex: 'half',
      } as RequestInit);
    const first = webhook.fetch(endless());
    const second = await webhook.fetch(endless());
    expect(second.status).toBe(503);
    expect(second.headers.get('retry-after')).toBe('1');
    await new Promise((resolve) => setImmediate(resolve));
    clock.advanceBy(5_000);
    expect((await first).status).toBe(408);
    // The slot is free again.
    const third = webhook.fetch(endless());
    await new Promise((resolve) => setImmediate(resolve));
    clock.advanceBy(5_000);
    expect((await third).status).toBe(408);
    expect(kept.received).toEqual([]);
  });

  it('refuses a body timeout, header timeout or pending cap that is not a positive whole number', () => {
    const { receiver } = keeper();
    for (const bad of [
      { bodyTimeoutMs: 0 },
      { headersTimeoutMs: -1 },
      { maxPendingBodies: 1.5 },
      { maxPendingBodies: Number.NaN },
    ]) {
      expect(() => createWebhookHandler(receiver, { secret: SECRET, ...bad })).toThrow(
        ConfigurationError,
      );
    }
  });
});
