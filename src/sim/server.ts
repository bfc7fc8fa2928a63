// The loopback HTTP server in front of the service: raw bodies in, JSON out.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { invalidParameter } from './replies.js';
import type { Service } from './service.js';

const MAX_BODY_BYTES = 1_048_576;

/** A listening server and its base URL (`http://127.0.0.1:<port>`). */
export interface ListeningServer {
  readonly server: Server;
  readonly baseUrl: string;
  close(): Promise<void>;
}

/** Starts the HTTP server on `host:port` (port 0 picks a free one). */
export async function listen(
  service: Service,
  host: string,
  port: number,
): Promise<ListeningServer> {
  const server = createServer((request, response) => {
    void readBody(request).then(async (body) => {
      const reply =
        body === undefined
          ? invalidParameter('body too large')
          : await service.answer({
              method: request.method ?? 'GET',
              path: request.url ?? '/',
              authorization: request.headers.authorization,
              body,
            });
      if ('reset' in reply) {
        // An answer lost on its way: the client sees its connection reset.
        request.socket.destroy();
        return;
      }
      const text = JSON.stringify(reply.body);
      response.writeHead(reply.httpStatus, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(text),
      });
      response.end(text);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    server,
    baseUrl: `http://${shownHost}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

// The body as text, or undefined when it is larger than any real call.
function readBody(request: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () =>
      resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString('utf8')),
    );
    request.on('error', () => resolve(undefined));
  });
}
