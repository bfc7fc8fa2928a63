// The inspector's loopback server: the page, its script and style, the laid-out statechart, and
// the feed's steps as server-sent events (history first, then each new step as it happens).
// Only for pages served from its own address (host-check.ts); readers that fall behind are
// dropped (sse-fanout.ts); the history is served a page at a time (history-page.ts).
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AnyStateMachine } from 'xstate';
import { recordingMachine } from '../../machines/index.js';
import { type Clock, systemClock } from '../clock/index.js';
import { openingFrames, stepFrame } from './event-frames.js';
import type { InspectorFeed } from './feed.js';
import { fleetOf } from './fleet.js';
import { historyPage } from './history-page.js';
import { hostCheck } from './host-check.js';
import { toJson } from './json.js';
import { layoutStatechart, type StatechartLayout } from './layout.js';
import { PAGE_CSS, PAGE_HTML } from './page-assets.js';
import { SseFanout } from './sse-fanout.js';
import { statechartOf } from './statechart.js';

export { toJson } from './json.js';

/** Options of `startInspector`. */
export interface InspectorOptions {
  /** Where the steps come from: `traceSource`, `logSource` or a live feed. */
  readonly feed: InspectorFeed;
  /** TCP port; default 0 (any free port). */
  readonly port?: number;
  /** Interface to listen on; default 127.0.0.1 (the page is for this machine only). */
  readonly host?: string;
  /** The machine whose statechart is drawn; default recwatch's lifecycle machine. */
  readonly machine?: AnyStateMachine;
  /**
   * Host names (no port) a page may reach the server by, besides `localhost`, `127.0.0.1`,
   * `[::1]` and the address it listens on (any IP address when that is `0.0.0.0` or `::`).
   * Any other `Host` or `Origin` gets 403 (a DNS-rebinding page names its own host).
   */
  readonly allowedHosts?: readonly string[];
  /**
   * Bytes an event-stream reader may fall behind by before it is dropped (its page reconnects and
   * gets what it missed). Default 4 MiB.
   */
  readonly maxStreamBacklogBytes?: number;
  /** A reader whose socket takes nothing for this long (ms) is dropped. Default 30 000. */
  readonly stallTimeoutMs?: number;
  /** Time for heartbeats and stalls. Default the system clock. */
  readonly clock?: Clock;
}

/** A running inspector. */
export interface RunningInspector {
  /** The page's address, e.g. `http://127.0.0.1:41234/`. */
  readonly url: string;
  readonly port: number;
  /** Event streams open now, and dropped so far for falling behind or stalling. */
  readonly streams: { readonly open: number; readonly dropped: number };
  /** Ends every page's event stream and stops listening. */
  close(): Promise<void>;
}

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
  // Every asset comes from this server: a page that tried to load anything else would fail.
  'content-security-policy':
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'",
};

const PAGE_MODULE = /^\/page\/([a-z]+)\.js$/;
const PAGE_MODULES = new Set(['client', 'chart', 'dom', 'fleet', 'pictures', 'timeline', 'wire']);

/** How often an idle event stream says it is alive (ms), so proxies and browsers keep it open. */
const HEARTBEAT_MS = 15_000;

// A request is answered with a status and a body; a stream is left to the fan-out.
const FORBIDDEN = 'forbidden: this page is served to its own address only (see allowedHosts)';

/**
 * Serves the inspector page for a feed on loopback.
 * @example
 * const { feed } = traceSource('trace.jsonl');
 * const inspector = await startInspector({ feed });
 * console.log(inspector.url); // open it in a browser
 * await inspector.close();
 */
export async function startInspector(options: InspectorOptions): Promise<RunningInspector> {
  const { feed } = options;
  const streams = new SseFanout({
    maxBufferedBytes: options.maxStreamBacklogBytes ?? 4 * 1024 * 1024,
    stallTimeoutMs: options.stallTimeoutMs ?? 30_000,
    heartbeatMs: HEARTBEAT_MS,
    clock: options.clock ?? systemClock(),
  });
  let allowed: (request: IncomingMessage) => boolean = () => false;
  const scripts = new Map<string, Promise<string>>();
  const script = (name: string) => {
    const known = scripts.get(name);
    if (known !== undefined) return known;
    const read = readFile(new URL(`./page/${name}.js`, import.meta.url), 'utf8');
    scripts.set(name, read);
    return read;
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    if (!allowed(request)) return send(response, 403, 'text/plain', FORBIDDEN);
    const url = new URL(request.url ?? '/', 'http://localhost');
    const path = url.pathname;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return send(response, 405, 'text/plain', 'only GET');
    }
    switch (path) {
      case '/':
      case '/index.html':
        return send(response, 200, 'text/html; charset=utf-8', PAGE_HTML);
      case '/inspector.css':
        return send(response, 200, 'text/css; charset=utf-8', PAGE_CSS);
      case '/api/statechart':
        return send(
          response,
          200,
          'application/json',
          JSON.stringify(await layoutOf(options.machine ?? recordingMachine)),
        );
      case '/api/history': {
        const page = historyPage(feed, url.searchParams);
        if (!page.ok) return send(response, 400, 'text/plain', page.reason);
        return send(response, 200, 'application/json', page.json);
      }
      case '/api/fleet':
        return send(response, 200, 'application/json', toJson(fleetOf(feed)));
      case '/api/events':
        return stream(request, response);
      default: {
        // The page's modules, compiled from page/*.ts next to this file.
        const name = PAGE_MODULE.exec(path)?.[1];
        if (name === undefined || !PAGE_MODULES.has(name)) {
          return send(response, 404, 'text/plain', 'not found');
        }
        return send(response, 200, 'text/javascript; charset=utf-8', await script(name));
      }
    }
  };

  const stream = (request: IncomingMessage, response: ServerResponse) => {
    response.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      connection: 'keep-alive',
    });
    // A reconnecting page asks only for what it missed, when it is all still kept.
    const lastEventId = request.headers['last-event-id'];
    const opening = openingFrames(feed, typeof lastEventId === 'string' ? lastEventId : undefined);
    streams.open(response, opening.frames, opening.last);
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      if (!response.headersSent) send(response, 500, 'text/plain', `inspector: ${message}`);
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  const byHost = hostCheck(address, options.allowedHosts);
  allowed = (request) => byHost(request.headers);
  // One subscription for every page: each step is serialized once, after the journal's turn.
  const unsubscribe = feed.subscribe((step) =>
    streams.publish(step.position, () => stepFrame(step)),
  );
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}/`,
    port,
    get streams() {
      return { open: streams.size, dropped: streams.dropped };
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        unsubscribe();
        streams.close();
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };
}

// A layout takes ELK a second or more: once per machine per process.
const layouts = new WeakMap<AnyStateMachine, Promise<StatechartLayout>>();
function layoutOf(machine: AnyStateMachine): Promise<StatechartLayout> {
  let layout = layouts.get(machine);
  if (layout === undefined) {
    layout = layoutStatechart(statechartOf(machine));
    layouts.set(machine, layout);
    // A failed layout is tried again by the next page, not remembered.
    layout.catch(() => layouts.delete(machine));
  }
  return layout;
}

function send(response: ServerResponse, status: number, type: string, body: string): void {
  response.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type });
  response.end(body);
}
