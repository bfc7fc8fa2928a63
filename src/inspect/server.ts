// The inspector's loopback server: the page, its script and style, the laid-out statechart, and
// the feed's steps as server-sent events (history first, then each new step as it happens).
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AnyStateMachine } from 'xstate';
import { recordingMachine } from '../../machines/index.js';
import type { InspectorFeed } from './feed.js';
import { fleetOf } from './fleet.js';
import type { InspectorStep } from './inspector-step.js';
import { layoutStatechart, type StatechartLayout } from './layout.js';
import type { WireHistory } from './page/wire.js';
import { PAGE_CSS, PAGE_HTML } from './page-assets.js';
import { statechartOf } from './statechart.js';

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
}

/** A running inspector. */
export interface RunningInspector {
  /** The page's address, e.g. `http://127.0.0.1:41234/`. */
  readonly url: string;
  readonly port: number;
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
  const streams = new Set<ServerResponse>();
  const unsubscribes = new Set<() => void>();
  const scripts = new Map<string, Promise<string>>();
  const script = (name: string) => {
    const known = scripts.get(name);
    if (known !== undefined) return known;
    const read = readFile(new URL(`./page/${name}.js`, import.meta.url), 'utf8');
    scripts.set(name, read);
    return read;
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
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
      case '/api/fleet':
        return send(response, 200, 'application/json', toJson(fleetOf(feed)));
      case '/api/history':
        return send(response, 200, 'application/json', toJson(historyOf(feed)));
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
    const history = historyOf(feed);
    const seen = Number(request.headers['last-event-id']);
    const first = history.steps[0]?.position ?? 1;
    // A reconnecting page asks only for what it missed, when it is all still kept.
    if (Number.isInteger(seen) && seen >= first - 1) {
      for (const step of history.steps) if (step.position > seen) writeStep(response, step);
    } else {
      const last = history.steps.at(-1)?.position ?? 0;
      response.write(`retry: 2000\nid: ${last}\nevent: history\ndata: ${toJson(history)}\n\n`);
    }
    streams.add(response);
    const unsubscribe = feed.subscribe((step) => writeStep(response, step));
    unsubscribes.add(unsubscribe);
    const heartbeat = setInterval(() => response.write(': alive\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    response.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
      unsubscribes.delete(unsubscribe);
      streams.delete(response);
    });
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
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const unsubscribe of unsubscribes) unsubscribe();
        for (const response of streams) response.end();
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

function historyOf(feed: InspectorFeed): WireHistory {
  const { base, steps } = feed.history();
  return { title: feed.title, live: feed.live, base, steps };
}

function writeStep(response: ServerResponse, step: InspectorStep): void {
  response.write(`id: ${step.position}\nevent: step\ndata: ${toJson(step)}\n\n`);
}

function send(response: ServerResponse, status: number, type: string, body: string): void {
  response.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type });
  response.end(body);
}

const utf8 = new TextDecoder();

/** JSON for the page; bodies received as bytes are shown as the text they carry. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, field: unknown) =>
    field instanceof Uint8Array ? utf8.decode(field) : field,
  );
}
