// Shared by the simulator's tests: a webhook receiver on loopback and a small REST client.
import { Agent, createServer, type IncomingHttpHeaders, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Simulator } from '../../src/sim/index.js';

/** One webhook POST as received. */
export interface Received {
  readonly raw: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Record<string, unknown>;
}

/** A webhook receiver: `answer(n)` gives the HTTP status for the n-th POST (from 0); 0 never answers. */
export async function startReceiver(
  answer: (n: number, body: Record<string, unknown>) => number = () => 200,
) {
  const received: Received[] = [];
  const waiters: { test: () => boolean; resolve: () => void }[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const body = JSON.parse(raw) as Record<string, unknown>;
      const status = answer(received.length, body);
      received.push({ raw, headers: request.headers, body });
      if (status !== 0) {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end('{}');
      }
      for (const waiter of waiters.filter((w) => w.test())) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/agora`,
    received,
    /** Resolves once `test` holds for what has been received (checked on each arrival). */
    until: (test: () => boolean) =>
      test() ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ test, resolve })),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A REST client for one simulator. */
export function client(sim: Simulator) {
  const base = `${sim.baseUrl}/v1/apps/${sim.credentials.appId}/cloud_recording`;
  // node:http with keep-alive: far quicker than fetch on a busy machine.
  const agent = new Agent({ keepAlive: true });
  const call = async (
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    authorization = sim.credentials.authorization,
  ) => {
    const text =
      body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    return new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
      const call = request(
        `${base}/${path}`,
        { method, agent, headers: { authorization, 'content-type': 'application/json' } },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
            }),
          );
        },
      );
      call.on('error', reject);
      call.end(text);
    });
  };
  return {
    base,
    call,
    acquire: (cname: string, uid = '527841') =>
      call('POST', 'acquire', { cname, uid, clientRequest: {} }),
    start: (
      resourceId: string,
      mode: 'individual' | 'mix' | 'web' | 'raw',
      cname: string,
      uid = '527841',
      clientRequest: Record<string, unknown> = {},
    ) => call('POST', `resourceid/${resourceId}/mode/${mode}/start`, { cname, uid, clientRequest }),
    query: (resourceId: string, sid: string, mode: string) =>
      call('GET', `resourceid/${resourceId}/sid/${sid}/mode/${mode}/query`),
    stop: (
      resourceId: string,
      sid: string,
      mode: string,
      cname: string,
      uid = '527841',
      asyncStop?: boolean,
    ) =>
      call('POST', `resourceid/${resourceId}/sid/${sid}/mode/${mode}/stop`, {
        cname,
        uid,
        clientRequest: asyncStop === undefined ? {} : { async_stop: asyncStop },
      }),
    /** acquire + start; returns the ids. */
    async record(
      cname: string,
      mode: 'individual' | 'mix' | 'web' | 'raw' = 'mix',
      clientRequest: Record<string, unknown> = {},
    ) {
      const acquired = await this.acquire(cname);
      const resourceId = acquired.body.resourceId as string;
      const started = await this.start(resourceId, mode, cname, '527841', clientRequest);
      return { resourceId, sid: started.body.sid as string, started };
    },
  };
}

/** Advances a virtual clock step by step, letting the simulator settle after each. */
export async function runFor(
  clock: { advanceBy(ms: number): void },
  sim: Simulator,
  ms: number,
  stepMs = 1_000,
): Promise<void> {
  for (let done = 0; done < ms; done += stepMs) {
    clock.advanceBy(Math.min(stepMs, ms - done));
    await sim.settle();
  }
}
