// Before a request's headers are complete, no handler runs: a connection that trickles them in
// (slowloris) is only seen by the server. This cuts it on our clock, not Node's 30-s sweep.
import type { Server as HttpServer, IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Server as TlsServer } from 'node:tls';
import type { Clock, ClockTimer } from '../clock/index.js';

/** Options of `guardHeaderTime`. */
export interface HeaderDeadlineOptions {
  /** How long a connection may take to send a request's headers, ms. */
  readonly headersTimeoutMs: number;
  readonly clock: Clock;
}

interface Watched {
  timer: ClockTimer | null;
  /** Requests on this connection whose answer is not finished. */
  active: number;
}

/**
 * Destroys a connection of `server` that has not completed a request's headers within
 * `headersTimeoutMs` of connecting, or of its last answer finishing (a keep-alive connection then
 * idles on the same deadline). A request whose headers arrived is never cut by it. For servers
 * that only answer HTTP requests: a connection upgraded (WebSocket) on the same server would be
 * cut too; there, use Node's own `headersTimeout` instead.
 * @returns a function that stops guarding (the deadlines armed are cleared).
 * @example const unguard = guardHeaderTime(server, { headersTimeoutMs: 10_000, clock: systemClock() });
 */
export function guardHeaderTime(server: HttpServer, options: HeaderDeadlineOptions): () => void {
  const { clock, headersTimeoutMs } = options;
  const watched = new Map<Socket, Watched>();
  const disarm = (state: Watched) => {
    if (state.timer !== null) clock.clearTimeout(state.timer);
    state.timer = null;
  };
  const arm = (socket: Socket, state: Watched) => {
    disarm(state);
    state.timer = clock.setTimeout(() => {
      state.timer = null;
      socket.destroy();
    }, headersTimeoutMs);
  };
  const onConnection = (socket: Socket) => {
    const state: Watched = { timer: null, active: 0 };
    watched.set(socket, state);
    arm(socket, state);
    socket.once('close', () => {
      disarm(state);
      watched.delete(socket);
    });
  };
  const onRequest = (request: IncomingMessage, response: ServerResponse) => {
    const socket = request.socket;
    const state = watched.get(socket);
    if (state === undefined) return;
    state.active += 1;
    disarm(state);
    response.once('close', () => {
      state.active -= 1;
      if (state.active === 0 && !socket.destroyed && watched.has(socket)) arm(socket, state);
    });
  };
  // An HTTPS server's requests come on the TLS socket, not the TCP one it wraps.
  const connectionEvent = server instanceof TlsServer ? 'secureConnection' : 'connection';
  server.on(connectionEvent, onConnection);
  server.on('request', onRequest);
  return () => {
    server.off(connectionEvent, onConnection);
    server.off('request', onRequest);
    for (const state of watched.values()) disarm(state);
    watched.clear();
  };
}
