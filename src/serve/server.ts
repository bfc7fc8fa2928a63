// The service's HTTP face, for `recwatch serve` and for hosts that embed it: Agora's webhook,
// the host API (bearer tokens, problem+json, size limits), the event stream, outbound webhooks,
// health, metrics and the OpenAPI document, over one supervisor.
import type { Server as HttpServer, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { createWebhookHandler } from '../agora/index.js';
import type { CoreOptions } from '../core/index.js';
import { isRecwatchError } from '../errors/index.js';
import type { EventLog } from '../log/index.js';
import type { Supervisor } from '../runtime/index.js';
import { mountRecordingRoutes } from './api-routes.js';
import { type ApiTokens, bearerAuth } from './auth.js';
import { eventFeed, RecentEvents } from './event-feed.js';
import { eventStream } from './events-route.js';
import { createServeMetrics, type ServeMetrics } from './metrics.js';
import { documentRoutes, OPENAPI_INFO } from './openapi.js';
import { type DeliveryCursor, type OutboundWebhooks, startOutboundWebhooks } from './outbound.js';
import { ProblemError, problemResponse } from './problem.js';

/** A structured logger (pino's shape): an object of fields, then a message. */
export interface ServeLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** Options of `createServer`. */
export interface ServerOptions {
  /** Bearer tokens of the host API. At least one. */
  readonly api: ApiTokens & {
    /** Larger request bodies get 413. Default 16 384 bytes. */
    readonly maxBodyBytes?: number;
  };
  /** Agora's notification endpoint. */
  readonly agora: {
    /** The notification secret; required unless `unsigned`. */
    readonly secret?: string;
    readonly unsigned?: boolean;
    /** Default /agora/webhook. */
    readonly path?: string;
    /** Default 65 536 bytes. */
    readonly maxBodyBytes?: number;
  };
  /** The supervisor's log: events older than this server are replayed from it. */
  readonly log?: EventLog;
  /** The supervisor's core options (a replay must use the same). */
  readonly core?: Partial<CoreOptions>;
  /** Outbound webhooks to the host; none when absent. */
  readonly webhooks?: {
    readonly url: string;
    /** `whsec_` + base64. */
    readonly secret: string;
    /** Default 5 000 ms. */
    readonly timeoutMs?: number;
    /** Default 1, 2, 5, 10, 30, 60 s (the last repeats). */
    readonly retryDelaysMs?: readonly number[];
    readonly cursor: DeliveryCursor;
  };
  /** Extra readiness checks (e.g. a shared log's lease): a problem in words, or undefined. */
  readonly readiness?: Readonly<Record<string, () => Promise<string | undefined>>>;
  readonly logger?: ServeLogger;
  /** The metrics to fill; default created here. */
  readonly metrics?: ServeMetrics;
}

/** The server of `createServer`. */
export interface RecwatchServer {
  /** The web-standard handler (for Bun, Deno, or a test without a socket). */
  readonly fetch: (request: Request) => Promise<Response>;
  readonly metrics: ServeMetrics;
  /** The OpenAPI 3.1 document of every route. */
  openapi(): object;
  /** Listens on a port (0: any free one); resolves to the address taken. */
  listen(port: number, host: string): Promise<{ readonly port: number; readonly host: string }>;
  /**
   * Stops taking requests (503 to new ones, /readyz not ready), ends event streams and outbound
   * deliveries, and resolves once the requests in flight are answered. Idempotent.
   */
  drain(): Promise<void>;
  /** Closes every connection at once (after a drain that took too long). */
  destroy(): void;
}

const NOOP_LOGGER: ServeLogger = { info() {}, warn() {}, error() {} };

/**
 * The service over a supervisor: Agora's webhook at `agora.path`, the host API under `/v1/`
 * (bearer tokens), `GET /v1/events` (server-sent events), `/healthz`, `/readyz`, `/metrics`,
 * `/openapi.json`. It does not close the supervisor: drain it, then close the supervisor.
 * @throws ConfigurationError when the webhook options are unusable (see createWebhookHandler)
 * @example
 * const log = await openSqliteLog('recwatch.db');
 * const supervisor = await createSupervisor({ agora, clientRequest, log });
 * const server = createServer(supervisor, { api: { tokens: [process.env.API_TOKEN] }, agora: { secret }, log });
 * await server.listen(8080, '127.0.0.1');
 */
export function createServer(supervisor: Supervisor, options: ServerOptions): RecwatchServer {
  const logger = options.logger ?? NOOP_LOGGER;
  const metrics = options.metrics ?? createServeMetrics(supervisor);
  const webhookPath = options.agora.path ?? '/agora/webhook';
  const webhook = createWebhookHandler(supervisor, {
    ...(options.agora.secret !== undefined && { secret: options.agora.secret }),
    ...(options.agora.unsigned !== undefined && { unsigned: options.agora.unsigned }),
    ...(options.agora.maxBodyBytes !== undefined && { maxBodyBytes: options.agora.maxBodyBytes }),
  });
  const recent = new RecentEvents(supervisor);
  const source = {
    supervisor,
    ...(options.log !== undefined && { log: options.log }),
    ...(options.core !== undefined && { core: options.core }),
  };
  const feed = (after: number) => eventFeed(source, recent, after);
  const streams = new Set<() => void>();
  let draining = false;
  let inFlight = 0;
  let idle: (() => void) | undefined;

  const app = new OpenAPIHono({
    defaultHook: (result) => {
      if (result.success) return;
      const errors = result.error.issues.map((issue) => ({
        path: issue.path.join('.'),
        message: issue.message,
      }));
      return problemResponse('bad-request', 'the request does not match the API', { errors });
    },
  });

  const track: MiddlewareHandler = async (context, next) => {
    if (draining) {
      context.header('connection', 'close');
      if (context.req.path !== '/healthz' && context.req.path !== '/readyz') {
        return problemResponse('unavailable', 'the service is shutting down', {
          headers: { connection: 'close', 'retry-after': '1' },
        });
      }
    }
    inFlight += 1;
    const done = () => {
      inFlight -= 1;
      if (inFlight === 0) idle?.();
    };
    // Under Node, a request is answered once its response is written out (or its socket gone),
    // not when the handler returns: so the drain can then close every connection left.
    const outgoing = (context.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
    try {
      await next();
    } finally {
      if (outgoing === undefined || outgoing.closed) done();
      else outgoing.once('close', done);
    }
  };
  app.use('*', track);
  metrics.requestsInFlight(() => inFlight);

  app.all(webhookPath, async (context) => {
    const started = performance.now();
    const response = await webhook.fetch(context.req.raw);
    metrics.webhookRequestSeconds.observe(
      { status: String(response.status) },
      (performance.now() - started) / 1000,
    );
    if (response.status !== 200) {
      logger.warn({ status: response.status }, 'agora notification refused');
    }
    return response;
  });

  app.get('/healthz', (context) => context.json({ alive: true }, 200));
  app.get('/readyz', async (context) => {
    const checks: Record<string, string> = {
      log: await logCheck(supervisor, options.log),
      webhook: draining ? 'draining' : 'ok',
    };
    for (const [name, check] of Object.entries(options.readiness ?? {})) {
      checks[name] = (await check().catch((error: unknown) => errorName(error))) ?? 'ok';
    }
    const ready = Object.values(checks).every((value) => value === 'ok' || value === 'not shared');
    return context.json({ ready, checks }, ready ? 200 : 503);
  });
  app.get('/metrics', async (context) =>
    context.body(await metrics.registry.metrics(), 200, {
      'content-type': metrics.registry.contentType,
    }),
  );
  app.get('/openapi.json', (context) => context.json(document(), 200));

  app.use(
    '/v1/*',
    bearerAuth(options.api),
    bodyLimit({
      maxSize: options.api.maxBodyBytes ?? 16_384,
      onError: () => problemResponse('too-large', 'the request body is too large'),
    }),
    requireJsonBody,
  );
  describeApi(app, supervisor, webhookPath);
  app.get('/v1/events', async (context) => {
    // On a shared log, a client resuming from a position another instance gave it: this one has
    // stepped that far before it judges the position.
    await supervisor.catchUp();
    return eventStream(context, {
      feed,
      position: () => supervisor.state.position,
      opened: (close) => {
        streams.add(close);
        metrics.eventStreams.inc();
        return () => {
          if (streams.delete(close)) metrics.eventStreams.dec();
        };
      },
    });
  });
  app.notFound(() => problemResponse('not-found', 'no such route'));
  app.onError((error) => {
    if (error instanceof ProblemError) return problemResponse(error.kind, error.detail);
    // Hono's own refusals (a body that is not JSON) keep their status.
    if (error instanceof HTTPException && error.status < 500) {
      return problemResponse(error.status === 413 ? 'too-large' : 'bad-request', error.message);
    }
    if (isRecwatchError(error, 'INVALID_COMMAND')) {
      return problemResponse('bad-request', error.message);
    }
    if (isRecwatchError(error, 'SUPERVISOR_CLOSED') || isRecwatchError(error, 'LOG_CLOSED')) {
      return problemResponse('unavailable', 'the service is shutting down');
    }
    if (isRecwatchError(error, 'LOG_DATABASE') || isRecwatchError(error, 'LEASE_LOST')) {
      return problemResponse('unavailable', 'the log cannot take the command now');
    }
    logger.error({ error: errorName(error) }, 'request failed');
    return problemResponse('internal');
  });

  const document = () => app.getOpenAPI31Document(OPENAPI_INFO);

  let outbound: OutboundWebhooks | undefined;
  if (options.webhooks !== undefined) {
    const { url, secret, cursor } = options.webhooks;
    outbound = startOutboundWebhooks({
      url,
      secret,
      cursor,
      timeoutMs: options.webhooks.timeoutMs ?? 5_000,
      retryDelaysMs: options.webhooks.retryDelaysMs ?? [
        1_000, 2_000, 5_000, 10_000, 30_000, 60_000,
      ],
      feed,
      startPosition: () => supervisor.state.position,
      onAttempt: (outcome, event, why) => {
        metrics.outboundAttempts.inc({ outcome });
        if (outcome === 'failed') {
          logger.warn({ position: event.position, why }, 'outbound webhook failed; retrying');
        }
      },
      onCursorError: (error) =>
        logger.error({ error: errorName(error) }, 'the webhook delivery cursor cannot be kept'),
    });
  }

  const server = createAdaptorServer({ fetch: app.fetch }) as HttpServer;
  let drained: Promise<void> | undefined;

  return {
    fetch: async (request) => app.fetch(request),
    metrics,
    openapi: document,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          resolve({ port: address.port, host: address.address });
        });
      });
    },
    drain() {
      drained ??= (async () => {
        draining = true;
        for (const close of [...streams]) close();
        const closed = new Promise<void>((resolve) => {
          if (!server.listening) return resolve();
          server.close(() => resolve());
        });
        server.closeIdleConnections();
        await Promise.all([
          outbound?.close(),
          inFlight === 0
            ? undefined
            : new Promise<void>((resolve) => {
                idle = resolve;
              }),
        ]);
        // Every request that reached recwatch is answered: what is left are idle keep-alive
        // connections and requests not read yet (not acknowledged: their senders retry).
        server.closeAllConnections();
        await closed;
        recent.close();
        if (options.metrics === undefined) metrics.close();
      })();
      return drained;
    },
    destroy() {
      server.closeAllConnections();
    },
  };
}

/**
 * Mounts the recording routes and describes every route in the app's OpenAPI registry: one
 * place, so the served document and `recwatch serve --openapi` are the same.
 */
function describeApi(app: OpenAPIHono, supervisor: Supervisor, webhookPath: string): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'A token of api.tokens (read and change) or api.readTokens (read only).',
  });
  mountRecordingRoutes(app, supervisor);
  documentRoutes(app, webhookPath);
}

/**
 * The OpenAPI 3.1 document of the service with its webhook at `webhookPath` (default
 * /agora/webhook), without a supervisor: what docs/openapi.json holds.
 */
export function openapiDocument(webhookPath = '/agora/webhook'): object {
  const app = new OpenAPIHono();
  // Only the declarations are read: no handler runs.
  describeApi(app, {} as Supervisor, webhookPath);
  return app.getOpenAPI31Document(OPENAPI_INFO);
}

/** A body must be JSON: 415 for one that says it is something else (the validator reads JSON only). */
const requireJsonBody: MiddlewareHandler = async (context, next) => {
  const type = context.req.header('content-type');
  if (type !== undefined && type !== '' && !/^application\/(.+\+)?json\b/i.test(type)) {
    return problemResponse('unsupported', 'send Content-Type: application/json');
  }
  await next();
};

async function logCheck(supervisor: Supervisor, log: EventLog | undefined): Promise<string> {
  try {
    // A cheap read: fails once the log is closed or its database is gone.
    if (log !== undefined) await log.streamVersion('$readyz');
    void supervisor.state;
    return 'ok';
  } catch (error) {
    return errorName(error);
  }
}

function errorName(error: unknown): string {
  if (isRecwatchError(error)) return error.code;
  return error instanceof Error ? error.name : 'error';
}
