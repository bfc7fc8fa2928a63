// What stands between one host and the simulated Agora in a chaos run: a loopback proxy that
// writes down every call the host makes (who, when, what) and, at the rates it is given, answers
// with what is not Agora's answer: a redirect (before the call reaches Agora, or after), or an
// answer far over the client's 1 MiB cap after the call did reach Agora, or no answer at all (the
// connection cut once Agora acted on the call).
import { createServer, request } from 'node:http';
import type { Clock } from '../../src/index.js';

/** A call as the edge received it. */
export interface EdgeCall {
  /** The instance the edge serves. */
  readonly instance: string;
  /** When the call arrived, ms on the run's clock. */
  readonly at: number;
  readonly method: string;
  readonly path: string;
  /** The body as sent (JSON text; empty for a query). */
  readonly body: string;
  /** What the edge did with it. */
  readonly fault: EdgeFault | null;
  /** Agora's answer body, when the call was forwarded and answered (to map resource ids). */
  answer?: string;
}

/** What the edge did instead of passing Agora's answer through. */
export type EdgeFault = 'redirectBefore' | 'redirectAfter' | 'hugeAfter' | 'resetAfter';

/** Chances per call, each in [0, 1] (their sum at most 1). */
export interface EdgeRates {
  /** Answered 307 to another host; Agora never sees the call. */
  readonly redirectBefore: number;
  /** Sent to Agora, which acts on it; the host is answered 302 instead. */
  readonly redirectAfter: number;
  /** Sent to Agora, which acts on it; the host is answered 200 with 2 MiB of JSON. */
  readonly hugeAfter: number;
}

/** A running edge. */
export interface AgoraEdge {
  /** The base URL to give the host instead of Agora's. */
  readonly baseUrl: string;
  close(): Promise<void>;
}

const HUGE_BYTES = 2 * 1024 * 1024;

/**
 * Draws one of the faults of `rates` with `random`, or null: what an edge does with a call.
 * @example const decide = () => drawEdgeFault(rates, rng(7));
 */
export function drawEdgeFault(rates: EdgeRates, random: () => number): EdgeFault | null {
  let roll = random();
  for (const fault of ['redirectBefore', 'redirectAfter', 'hugeAfter'] as const) {
    if (roll < rates[fault]) return fault;
    roll -= rates[fault];
  }
  return null;
}

/**
 * Starts an edge for `instance` in front of `target` (the simulator's base URL), writing each
 * call into `calls`; `decide` says what it does with each (null: passes it through).
 */
export async function startAgoraEdge(options: {
  readonly instance: string;
  readonly target: string;
  readonly clock: Clock;
  readonly decide: (instance: string, path: string) => EdgeFault | null;
  readonly calls: EdgeCall[];
}): Promise<AgoraEdge> {
  const { instance, clock, calls } = options;
  const target = new URL(options.target);
  const server = createServer((incoming, answer) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('error', () => {});
    answer.on('error', () => {});
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const call: EdgeCall = {
        instance,
        at: clock.now(),
        method: incoming.method ?? 'GET',
        path: incoming.url ?? '/',
        body: body.toString('utf8'),
        fault: options.decide(instance, incoming.url ?? '/'),
      };
      calls.push(call);
      if (call.fault === 'redirectBefore') {
        answer.writeHead(307, { location: 'http://127.0.0.2:9/elsewhere' }).end();
        return;
      }
      const forward = request(
        {
          host: target.hostname,
          port: target.port,
          method: call.method,
          path: call.path,
          headers: { ...incoming.headers, host: target.host },
        },
        (response) => {
          const back: Buffer[] = [];
          response.on('data', (chunk: Buffer) => back.push(chunk));
          response.on('error', () => answer.destroy());
          response.on('end', () => {
            const text = Buffer.concat(back);
            call.answer = text.toString('utf8');
            if (call.fault === 'resetAfter') {
              answer.socket?.destroy();
            } else if (call.fault === 'redirectAfter') {
              answer.writeHead(302, { location: 'http://127.0.0.2:9/moved' }).end();
            } else if (call.fault === 'hugeAfter') {
              answer.writeHead(200, { 'content-type': 'application/json' });
              answer.end(`{"pad":"${'x'.repeat(HUGE_BYTES)}"}`);
            } else {
              answer.writeHead(response.statusCode ?? 502, response.headers).end(text);
            }
          });
        },
      );
      forward.on('error', () => answer.destroy());
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
