// The REST client over loopback: paths, Basic auth, typed outcomes, the timeout on the clock and
// the dual-domain fallback, all in virtual time.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigurationError, createAgoraClient, VirtualClock } from '../../src/index.js';

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly authorization: string | undefined;
  readonly body: string;
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

/** A server that records requests and answers with `reply` (or never, when it returns null). */
async function server(
  reply: (seen: Seen) => { status: number; body: unknown } | null,
): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const s = createServer(async (request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const entry = {
      method: request.method ?? '',
      url: request.url ?? '',
      authorization: request.headers.authorization,
      body: Buffer.concat(chunks).toString(),
    };
    seen.push(entry);
    const answer = reply(entry);
    if (answer === null) return;
    response.writeHead(answer.status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(answer.body));
  });
  servers.push(s);
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(s.address() as AddressInfo).port}`, seen };
}

/** A URL where nothing listens. */
async function deadUrl(): Promise<string> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return url;
}

const credentials = { appId: 'app1', customerId: 'cid', customerSecret: 'csecret-77' };
const session = { resourceId: 'R1', sid: 'S1', mode: 'mix', cname: 'room1', uid: '1001' } as const;

// Requests in flight through `countingFetch`: the clock moves only when none is.
let inFlight = 0;
const countingFetch: typeof fetch = async (...args) => {
  inFlight += 1;
  try {
    return await fetch(...args);
  } finally {
    inFlight -= 1;
  }
};

/** Drives a call whose waits sit on a virtual clock: when no request is in flight, moves to the next timer. */
async function drive<T>(
  clock: VirtualClock,
  call: Promise<T>,
  idle = () => inFlight === 0,
): Promise<T> {
  let done = false;
  const result = call.finally(() => {
    done = true;
  });
  while (!done) {
    await new Promise((resolve) => setImmediate(resolve));
    const next = clock.nextAt();
    if (!done && idle() && next !== undefined) clock.advanceTo(next);
  }
  return result;
}

describe('createAgoraClient', () => {
  it('calls the Individual Recording v2 paths for mode raw, and escapes a mode it does not know', async () => {
    const agora = await server((seen) =>
      seen.url.endsWith('/start')
        ? { status: 200, body: { resourceId: 'R1', sid: 'S1' } }
        : { status: 200, body: { sid: 'S1', serverResponse: { status: 5 } } },
    );
    const client = createAgoraClient({
      ...credentials,
      baseUrl: agora.url,
      clock: new VirtualClock(0),
    });
    const raw = { ...session, mode: 'raw' } as const;
    await client.start({
      resourceId: 'R1',
      mode: 'raw',
      cname: 'room1',
      uid: '1001',
      clientRequest: {},
    });
    expect((await client.query(raw)).outcome).toMatchObject({ kind: 'alive', status: 5 });
    await client.stop(raw);
    await client.query({ ...session, mode: 'future mode' });
    expect(agora.seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      'POST /v1/apps/app1/cloud_recording/resourceid/R1/mode/raw/start',
      'GET /v1/apps/app1/cloud_recording/resourceid/R1/sid/S1/mode/raw/query',
      'POST /v1/apps/app1/cloud_recording/resourceid/R1/sid/S1/mode/raw/stop',
      'GET /v1/apps/app1/cloud_recording/resourceid/R1/sid/S1/mode/future%20mode/query',
    ]);
  });

  it('calls the documented paths with Basic auth and gives typed outcomes', async () => {
    const agora = await server((seen) => {
      if (seen.url.endsWith('/acquire')) return { status: 200, body: { resourceId: 'R1' } };
      if (seen.url.endsWith('/start'))
        return { status: 200, body: { resourceId: 'R1', sid: 'S1' } };
      if (seen.url.endsWith('/query'))
        return { status: 404, body: { code: 404, reason: 'failed to find worker' } };
      return { status: 400, body: { code: 49 } };
    });
    const client = createAgoraClient({
      ...credentials,
      baseUrl: agora.url,
      clock: new VirtualClock(0),
    });
    expect((await client.acquire({ cname: 'room1', uid: '1001' })).resourceId).toBe('R1');
    const started = await client.start({
      resourceId: 'R1',
      mode: 'mix',
      cname: 'room1',
      uid: '1001',
      clientRequest: { token: 't' },
    });
    expect(started).toMatchObject({ sid: 'S1', outcome: { kind: 'ok' } });
    expect((await client.query(session)).outcome).toMatchObject({ kind: 'notFound', code: 404 });
    expect((await client.stop(session)).outcome).toMatchObject({ kind: 'clientError', code: 49 });
    expect(agora.seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      'POST /v1/apps/app1/cloud_recording/acquire',
      'POST /v1/apps/app1/cloud_recording/resourceid/R1/mode/mix/start',
      'GET /v1/apps/app1/cloud_recording/resourceid/R1/sid/S1/mode/mix/query',
      'POST /v1/apps/app1/cloud_recording/resourceid/R1/sid/S1/mode/mix/stop',
    ]);
    expect(new Set(agora.seen.map((s) => s.authorization))).toEqual(
      new Set([`Basic ${Buffer.from('cid:csecret-77').toString('base64')}`]),
    );
    expect(JSON.parse(agora.seen[1]?.body ?? '')).toEqual({
      cname: 'room1',
      uid: '1001',
      clientRequest: { token: 't' },
    });
  });

  it('counts a timeout as a 50x, measured on the clock', async () => {
    const clock = new VirtualClock(0);
    const agora = await server(() => null);
    const client = createAgoraClient({
      ...credentials,
      baseUrl: agora.url,
      clock,
      timeoutMs: 2_000,
      retryDelaysMs: [],
    });
    const answer = await drive(clock, client.query(session));
    expect(answer).toMatchObject({
      httpStatus: null,
      failure: 'timeout',
      outcome: { kind: 'serverError', httpStatus: null },
    });
    expect(clock.now()).toBe(2_000);
  });

  it('retries the same domain once, then the other, backing off 1, 3, 6 s', async () => {
    const clock = new VirtualClock(0);
    const primary = await deadUrl();
    const fallback = await server(() => ({
      status: 200,
      body: { resourceId: 'R1', sid: 'S1', serverResponse: { status: 5 } },
    }));
    const client = createAgoraClient({
      ...credentials,
      baseUrl: [primary, fallback.url],
      clock,
      fetch: countingFetch,
    });
    const answer = await drive(clock, client.query(session));
    expect(answer.outcome).toMatchObject({ kind: 'alive', status: 5 });
    expect(fallback.seen).toHaveLength(1);
    expect(clock.now()).toBe(1_000 + 3_000);
  });

  it('asks beforeRetry before each retry: a no, or a check that fails, ends the call unsent', async () => {
    const clock = new VirtualClock(0);
    const agora = await server(() => null);
    const client = createAgoraClient({
      ...credentials,
      baseUrl: agora.url,
      clock,
      timeoutMs: 1_000,
      retryDelaysMs: [500, 500],
    });
    const asked: number[] = [];
    const checks = [
      async () => true,
      async () => false,
      async () => {
        throw new Error('the database is down');
      },
    ];
    const sent = async (check: () => Promise<boolean>) => {
      agora.seen.length = 0;
      const answer = await drive(
        clock,
        client.query(session, {
          beforeRetry: () => {
            asked.push(clock.now());
            return check();
          },
        }),
        () => agora.seen.length > asked.length,
      );
      expect(answer).toMatchObject({ httpStatus: null, failure: 'timeout' });
      return agora.seen.length;
    };
    // Yes: every attempt goes out (asked before the 2nd and the 3rd); no, or no answer: only the first.
    expect(await sent(checks[0] as () => Promise<boolean>)).toBe(3);
    expect(asked).toEqual([1_500, 3_000]);
    asked.length = 0;
    expect(await sent(checks[1] as () => Promise<boolean>)).toBe(1);
    asked.length = 0;
    expect(await sent(checks[2] as () => Promise<boolean>)).toBe(1);
  });

  it('never sends a start twice after a timeout: it may have started a recording', async () => {
    const clock = new VirtualClock(0);
    const agora = await server(() => null);
    const client = createAgoraClient({
      ...credentials,
      baseUrl: agora.url,
      clock,
      timeoutMs: 1_000,
    });
    const answer = await drive(
      clock,
      client.start({ ...session, clientRequest: {} }),
      () => agora.seen.length > 0,
    );
    expect(answer).toMatchObject({ httpStatus: null, failure: 'timeout' });
    expect(agora.seen).toHaveLength(1);
  });

  it('refuses missing credentials and bad URLs with a ConfigurationError that holds no secret', () => {
    expect(() => createAgoraClient({ ...credentials, customerId: '' })).toThrow(ConfigurationError);
    let error: unknown;
    try {
      createAgoraClient({ ...credentials, baseUrl: 'ftp://nope' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(String((error as Error).message)).not.toContain('csecret-77');
    // A mistyped URL can carry credentials: the message names the problem, not the value.
    expect(() =>
      createAgoraClient({ ...credentials, baseUrl: 'htps://cid:csecret-77@api.example' }),
    ).toThrow(/^agora\.baseUrl must be an http\(s\) URL \(got a string that is not one\)$/);
  });
});
