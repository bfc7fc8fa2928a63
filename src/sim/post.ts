// One webhook POST over node:http with a keep-alive agent: several times quicker than fetch on
// loopback, which matters when a test sends thousands.
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** Keep-alive agents for one simulator's deliveries. */
export interface PostAgents {
  readonly http: HttpAgent;
  readonly https: HttpsAgent;
}

/** Makes the agents; `destroy` them when done. */
export function postAgents(): PostAgents {
  return { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
}

/**
 * POSTs `body` and resolves to the response status once the response has been read.
 * Rejects on a connection error or when `signal` aborts.
 */
export function post(
  url: string,
  body: string,
  headers: Record<string, string>,
  signal: AbortSignal,
  agents: PostAgents,
): Promise<number> {
  const secure = url.startsWith('https:');
  const send = secure ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        agent: secure ? agents.https : agents.http,
        signal,
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}
