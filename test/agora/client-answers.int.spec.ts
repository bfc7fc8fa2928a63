// What the REST client takes from whoever answers at Agora's address: never a redirect (the start
// body holds the RTC token and the storage keys), and never more than a bounded number of bytes.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigurationError, createAgoraClient, VirtualClock } from '../../src/index.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

/** A loopback server; `seen` holds each request's method, path and body. */
async function server(
  reply: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<{ url: string; seen: { url: string; body: string }[] }> {
  const seen: { url: string; body: string }[] = [];
  const s = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    seen.push({ url: request.url ?? '', body: Buffer.concat(chunks).toString() });
    reply(request, response);
  });
  servers.push(s);
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(s.address() as AddressInfo).port}`, seen };
}

const credentials = { appId: 'app1', customerId: 'cid', customerSecret: 'csecret-77' };
const session = { resourceId: 'R1', sid: 'S1', mode: 'mix', cname: 'room1', uid: '1001' } as const;
const secretRequest = {
  token: 'rtc-token-SECRET',
  storageConfig: { accessKey: 'AK-SECRET', secretKey: 'SK-SECRET' },
};

/** A query answer that reads as alive, padded to about `bytes` bytes. */
function aliveBody(bytes: number): string {
  const padding = 'x'.repeat(Math.max(0, bytes - 120));
  return JSON.stringify({
    resourceId: 'R1',
    sid: 'S1',
    serverResponse: { status: 5, fileList: `S1_room1.m3u8${padding}` },
  });
}

describe('what the Agora client reads of an answer', () => {
  it('never follows a 307 from start to another host: the body stays home, and it is no success', async () => {
    const elsewhere = await server((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ resourceId: 'R1', sid: 'STOLEN' }));
    });
    const agora = await server((_request, response) => {
      response.writeHead(307, { location: `${elsewhere.url}/take?k=v` });
      response.end();
    });
    const client = createAgoraClient({
      ...credentials,
      baseUrl: agora.url,
      clock: new VirtualClock(0),
    });
    const started = await client.start({ ...session, clientRequest: secretRequest });
    expect(elsewhere.seen).toEqual([]);
    expect(agora.seen).toHaveLength(1);
    expect(started.sid).toBeUndefined();
    expect(started).toMatchObject({
      httpStatus: null,
      failure: 'redirect',
      body: { refused: 'redirect', httpStatus: 307, location: elsewhere.url },
      outcome: { kind: 'serverError', httpStatus: null },
    });
    expect(started.outcome).toMatchObject({ reason: expect.stringContaining('redirect') });
    expect(JSON.stringify(started)).not.toContain('SECRET');
  });

  it('reads a redirect to the same host as a non-answer too, sent once', async () => {
    let calls = 0;
    const agora = await server((_request, response) => {
      calls += 1;
      response.writeHead(302, { location: '/v1/elsewhere' });
      response.end(aliveBody(200));
    });
    const client = createAgoraClient({
      ...credentials,
      baseUrl: agora.url,
      clock: new VirtualClock(0),
    });
    const answer = await client.query(session);
    expect(calls).toBe(1);
    expect(answer).toMatchObject({ httpStatus: null, failure: 'redirect' });
    expect(answer.outcome.kind).toBe('serverError');
  });

  it('stops reading an answer past maxAnswerBytes and keeps a marker with its size', async () => {
    const big = aliveBody(5_000);
    const agora = await server((request, response) => {
      // One declares its length, the other is chunked: both are cut.
      const declared = request.url?.includes('/sid/S1/') === true;
      response.writeHead(200, {
        'content-type': 'application/json',
        ...(declared ? { 'content-length': Buffer.byteLength(big) } : {}),
      });
      response.end(big);
    });
    const client = createAgoraClient({
      ...credentials,
      baseUrl: agora.url,
      clock: new VirtualClock(0),
      maxAnswerBytes: 1_024,
    });
    const declared = await client.query(session);
    expect(declared).toMatchObject({
      httpStatus: null,
      failure: 'tooLarge',
      body: { refused: 'tooLarge', httpStatus: 200, limitBytes: 1_024, declaredBytes: big.length },
      outcome: { kind: 'serverError', httpStatus: null },
    });
    const chunked = await client.query({ ...session, sid: 'S2' });
    expect(chunked).toMatchObject({
      httpStatus: null,
      failure: 'tooLarge',
      body: { refused: 'tooLarge', httpStatus: 200, limitBytes: 1_024, declaredBytes: null },
    });
    expect(JSON.stringify(chunked).length).toBeLessThan(500);
    // Under the cap, the same answer is read as ever.
    const small = aliveBody(900);
    const fine = await server((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(small);
    });
    const roomy = createAgoraClient({
      ...credentials,
      baseUrl: fine.url,
      clock: new VirtualClock(0),
      maxAnswerBytes: 1_024,
    });
    expect((await roomy.query(session)).outcome).toMatchObject({ kind: 'alive', status: 5 });
  });

  it('cuts an answer that never ends at 1 MiB by default, without waiting for the timeout', async () => {
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const agora = await server((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"pad":"');
      const more = () => {
        while (!response.destroyed && response.write(chunk));
        if (!response.destroyed) response.once('drain', more);
      };
      more();
    });
    // A virtual clock that never moves: only the cap can end this call.
    const client = createAgoraClient({
      ...credentials,
      baseUrl: agora.url,
      clock: new VirtualClock(0),
    });
    const answer = await client.query(session);
    expect(answer).toMatchObject({
      httpStatus: null,
      failure: 'tooLarge',
      body: { refused: 'tooLarge', httpStatus: 200, limitBytes: 1_048_576, declaredBytes: null },
    });
  });

  it('refuses a maxAnswerBytes that is not a positive whole number', () => {
    for (const maxAnswerBytes of [0, -1, 1.5, Number.NaN]) {
      expect(() => createAgoraClient({ ...credentials, maxAnswerBytes })).toThrow(
        ConfigurationError,
      );
    }
  });
});
