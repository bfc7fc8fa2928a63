// `recwatch serve` put together from its configuration: the log, the supervisor, the server, and
// the drain that takes them down in order (requests answered, appends finished, leases handed
// back, the log closed).
import type { Histogram } from 'prom-client';
import { ConfigurationError } from '../errors/index.js';
import { createMemoryLog, type EventLog, openSqliteLog } from '../log/index.js';
import {
  createSupervisor,
  type Logger,
  type SharedInstance,
  type Supervisor,
} from '../runtime/index.js';
import { clientRequestFactory } from './client-request.js';
import { POSTGRES_LOG, type ServeConfig } from './config.js';
import { createServeMetrics } from './metrics.js';
import { fileCursor, memoryCursor } from './outbound.js';
import { createServer, type RecwatchServer, type ServeLogger } from './server.js';

/** A structured logger with pino's levels (what `recwatch serve` passes). */
export interface ServiceLogger extends ServeLogger {
  debug(fields: object, message: string): void;
}

/** A running service. */
export interface RunningService {
  /** Where it listens. */
  readonly address: { readonly port: number; readonly host: string };
  readonly supervisor: Supervisor;
  readonly server: RecwatchServer;
  /**
   * Drains the server, closes the supervisor (appends finished, leases handed back) and the log.
   * Idempotent.
   */
  stop(): Promise<void>;
}

/**
 * Opens the log, starts the supervisor on it (which resumes every recording the log holds) and
 * the server, and listens.
 * @throws ConfigurationError, LogFileError, LogInUseError (another process drives this log), or
 *   the listen error (EADDRINUSE)
 */
export async function startService(
  config: ServeConfig,
  logger: ServiceLogger,
): Promise<RunningService> {
  const opened = await openLog(config);
  let supervisor: Supervisor | undefined;
  try {
    // Metrics before the supervisor, so the appends of its resume are timed too.
    const appendTimer: { histogram?: Histogram } = {};
    const log = timedLog(opened, appendTimer);
    supervisor = await createSupervisor({
      agora: {
        appId: config.agora.appId,
        customerId: config.agora.customerId,
        customerSecret: config.agora.customerSecret,
        ...(config.agora.baseUrl !== undefined && { baseUrl: config.agora.baseUrl }),
      },
      clientRequest: clientRequestFactory({
        appId: config.agora.appId,
        ...(config.agora.appCertificate !== undefined && {
          appCertificate: config.agora.appCertificate,
        }),
        ...(config.agora.token !== undefined && { token: config.agora.token }),
        tokenExpireSeconds: config.agora.tokenExpireSeconds,
        base: config.clientRequest,
        storage: config.storage,
      }),
      log,
      qps: config.agora.qps,
      logger: supervisorLogger(logger),
      ...(config.log === POSTGRES_LOG &&
        config.postgres.instance !== undefined && { instance: config.postgres.instance }),
    });
    const shared = supervisor.shared;
    if (shared !== null) {
      logger.info(
        { instance: shared.instance, holder: shared.holder, schema: config.postgres.schema },
        'sharing the PostgreSQL log',
      );
    }
    const metrics = createServeMetrics(supervisor);
    appendTimer.histogram = metrics.logAppendSeconds;
    const { webhooks } = config;
    const server = createServer(supervisor, {
      api: {
        tokens: config.api.tokens,
        readTokens: config.api.readTokens,
        maxBodyBytes: config.api.maxBodyBytes,
      },
      agora: {
        ...(config.agora.notificationSecret !== undefined && {
          secret: config.agora.notificationSecret,
        }),
        unsigned: config.agora.unsignedNotifications,
        path: config.agora.webhookPath,
        maxBodyBytes: config.agora.webhookMaxBodyBytes,
      },
      log,
      logger,
      metrics,
      ...(shared !== null && {
        readiness: { lease: () => leaseCheck(opened as SharedLog, shared) },
      }),
      ...(webhooks.url !== undefined &&
        webhooks.secret !== undefined && {
          webhooks: {
            url: webhooks.url,
            secret: webhooks.secret,
            timeoutMs: webhooks.timeoutMs,
            retryDelaysMs: webhooks.retryDelaysMs,
            cursor:
              config.log === 'memory'
                ? memoryCursor()
                : fileCursor(webhooks.cursorFile ?? `${config.log}.webhooks-cursor`),
          },
        }),
    });
    const address = await server.listen(config.listen.port, config.listen.host);
    const running = supervisor;
    let stopped: Promise<void> | undefined;
    return {
      address,
      supervisor: running,
      server,
      stop() {
        stopped ??= (async () => {
          const started = performance.now();
          await server.drain();
          logger.info({ ms: Math.round(performance.now() - started) }, 'requests answered');
          await running.close();
          logger.info({ ms: Math.round(performance.now() - started) }, 'supervisor closed');
          metrics.close();
          await opened.close();
        })();
        return stopped;
      },
    };
  } catch (error) {
    await supervisor?.close().catch(() => {});
    await opened.close().catch(() => {});
    throw error;
  }
}

/**
 * The log of the configuration: 'memory', a SQLite file, or the PostgreSQL log of `postgres`
 * (its module, and the `pg` driver, loaded only then).
 * @throws ConfigurationError when `pg` is not installed; LogDatabaseError when the database
 *   cannot be reached or its schema is not a recwatch log
 */
async function openLog(config: ServeConfig): Promise<EventLog> {
  if (config.log === 'memory') return createMemoryLog();
  if (config.log !== POSTGRES_LOG)
    return openSqliteLog(config.log, { durability: config.logDurability });
  const { url, schema, leaseTtlMs } = config.postgres;
  if (url === undefined)
    throw new ConfigurationError('postgres.url: required (RECWATCH_POSTGRES_URL)');
  const { openPostgresLog } = await import('../postgres.js');
  return openPostgresLog(url, { schema, leaseTtlMs });
}

/**
 * Whether this instance still holds its membership lease, read from the database: an instance
 * that lost it (a pause past the lease, a database it cannot reach) drives nothing until it
 * joins again, so a balancer should send it nothing meanwhile.
 */
async function leaseCheck(log: SharedLog, shared: SharedInstance): Promise<string | undefined> {
  const held = await log.leases.held();
  const mine = held.some(
    (lease) => lease.name === shared.memberLease && lease.holder === shared.holder,
  );
  return mine ? undefined : 'membership lease not held';
}

/**
 * The log with its appends timed; the rest passed through (and `file`, for the writer lock; and
 * a shared log's leases and feed, so the supervisor shares it).
 */
function timedLog(log: EventLog, timer: { histogram?: Histogram }): EventLog {
  const file = (log as { file?: unknown }).file;
  const sharing = isShared(log) ? { leases: log.leases, watch: log.watch.bind(log) } : {};
  return {
    ...sharing,
    async append(stream, items, options) {
      const end = timer.histogram?.startTimer();
      try {
        return await log.append(stream, items, options);
      } finally {
        end?.();
      }
    },
    readStream: (stream, options) => log.readStream(stream, options),
    readAll: (options) => log.readAll(options),
    streamVersion: (stream) => log.streamVersion(stream),
    saveSnapshot: (snapshot) => log.saveSnapshot(snapshot),
    loadSnapshot: (version) => log.loadSnapshot(version),
    close: () => log.close(),
    ...(typeof file === 'string' && { file }),
  } as EventLog;
}

/** The supervisor's one-string log lines, as structured lines. */
function supervisorLogger(logger: ServiceLogger): Logger {
  return {
    debug: (message) => logger.debug({ source: 'supervisor' }, message),
    info: (message) => logger.info({ source: 'supervisor' }, message),
    warn: (message) => logger.warn({ source: 'supervisor' }, message),
    error: (message) => logger.error({ source: 'supervisor' }, message),
  };
}

/** What the supervisor needs of a shared log (its `SharedLog`), recognised by shape. */
type SharedLog = EventLog & {
  readonly leases: { held(): Promise<readonly { name: string; holder: string }[]> };
  watch(...args: unknown[]): unknown;
};

function isShared(log: EventLog): log is SharedLog {
  const shared = log as Partial<SharedLog>;
  return typeof shared.leases?.held === 'function' && typeof shared.watch === 'function';
}
