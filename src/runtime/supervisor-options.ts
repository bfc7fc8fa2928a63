// The supervisor's options: what a host gives, the defaults, and the checks that turn a mistake
// into a ConfigurationError before anything runs.
import type { MeterProvider } from '@opentelemetry/api';
import type { Clock } from '../clock/index.js';
import { type CoreOptions, readRecordedOptions } from '../core/index.js';
import { ConfigurationError } from '../errors/index.js';
import type { EventLog, SqliteLogOptions } from '../log/index.js';
import type { RecordingMode } from '../signals/index.js';
import type { InspectionObserver } from './inspection-bridge.js';

/** What a start is for, given to the host's `clientRequest` callback. */
export interface StartAttemptInfo {
  readonly cname: string;
  /** The recorder uid of this attempt (the backup uid on some restarts). */
  readonly uid: string;
  readonly mode: RecordingMode;
  /** Restarts of this recording so far (0 for the first start). */
  readonly restarts: number;
}

/**
 * Builds the `clientRequest` of an Agora call: tokens, recording and storage configuration. A
 * callback rather than data because it holds secrets: recwatch sends it to Agora and keeps it
 * nowhere (not in the log, a log line or an error message).
 */
export type ClientRequestFactory = (
  recording: string,
  attempt: StartAttemptInfo,
) => object | Promise<object>;

/** A console-compatible logger (console, pino): recwatch only ever passes it one string. */
export interface Logger {
  debug?(message: string): void;
  info?(message: string): void;
  warn?(message: string): void;
  error?(message: string): void;
}

/** Options of `createSupervisor`. */
export interface SupervisorOptions {
  readonly agora: {
    readonly appId: string;
    readonly customerId: string;
    readonly customerSecret: string;
    /** A base URL, or [primary, fallback]. Default Agora's two domains. */
    readonly baseUrl?: string | readonly [string, string];
    /** Default 10 000 ms. */
    readonly timeoutMs?: number;
    /** Waits between attempts when a call got no response. Default 1, 3, 6 s. */
    readonly retryDelaysMs?: readonly number[];
    /** A longer answer is not read (no answer, a small marker logged). Default 1 048 576 bytes. */
    readonly maxAnswerBytes?: number;
  };
  /** The `clientRequest` of every `start` call (token, recordingConfig, storageConfig, ...). */
  readonly clientRequest: ClientRequestFactory;
  /** The `clientRequest` of every `acquire` call. Default `{ scene: 1 }` in web mode, else `{}`. */
  readonly acquireRequest?: ClientRequestFactory;
  /** A SQLite file path (default `'recwatch.db'`), `'memory'`, or any EventLog (not closed by `close`). */
  readonly log?: string | EventLog;
  /**
   * Options of the SQLite log when `log` is a path (`openSqliteLog`'s, less `readOnly`): above
   * all `durability`, `'full'` (default, fsync at every group commit) or `'normal'` (fsync at
   * checkpoints only: a power loss may lose the last moments, a process crash loses nothing).
   */
  readonly sqlite?: Omit<SqliteLogOptions, 'readOnly'>;
  /** Tunables of every rule (docs/lifecycle.md). */
  readonly core?: Partial<CoreOptions>;
  /** The app id's REST budget, calls per second, shared by every call. Default 10. */
  readonly qps?: number;
  /** Time for everything. Default the system clock. */
  readonly clock?: Clock;
  /** Where recwatch writes what it does. Default none. */
  readonly logger?: Logger;
  /** Routine queries wait a random 0..jitterMs first. Default 2 000 ms. */
  readonly jitterMs?: number;
  /** Seed of the jitter, so a run on a virtual clock repeats exactly. Default 1. */
  readonly seed?: number;
  /**
   * Rule 11's settle window: how long a start whose answer was lost (no response, a 50x, an
   * "already running", or a host that died while it was out) waits for Agora's notifications to
   * name its sid before the next attempt uses the other uid. The same as
   * `core.recording.settleStartMs`, which it overrides when given. Default 30 000 ms.
   */
  readonly settleStartMs?: number;
  /** Snapshot a recording's state every this many inputs. Default 1000. */
  readonly snapshotEvery?: number;
  /**
   * An XState inspection observer (what `createActor(machine, { inspect })` takes, e.g.
   * `@statelyai/inspect`'s `inspector.inspect`): each recording appears as an actor with the
   * recording id as its id, each input that reached its machine as an event, each new snapshot as
   * a snapshot (docs/inspector.md). Default none.
   */
  readonly inspect?: InspectionObserver;
  /**
   * This instance's name among several sharing one PostgreSQL log (`openPostgresLog` of
   * `recwatch/postgres`); default the machine's name and process id. Each recording is driven by
   * the instance holding its lease (docs/operations.md). Only with a shared log.
   */
  readonly instance?: string;
  /**
   * On a shared log, time between heartbeats (lease renewals and claims of unowned recordings),
   * ms. Default a third of the log's `leaseTtlMs`.
   */
  readonly heartbeatMs?: number;
  /**
   * Where the supervisor's metrics go, through OpenTelemetry (`@opentelemetry/api`; names in
   * docs/service.md#metrics): a MeterProvider, or false for none. Default the global provider
   * as it is when `createSupervisor` is called (`metrics.setGlobalMeterProvider` before it): with
   * none registered, the API's no-op meter is seen and nothing is measured at all
   * (docs/embedding.md#metrics-with-opentelemetry).
   */
  readonly meterProvider?: MeterProvider | false;
}

/** Agora's acquire body needs `scene: 1` for web recording; the other modes take the defaults. */
export const defaultAcquireRequest: ClientRequestFactory = (_recording, attempt) =>
  attempt.mode === 'web' ? { scene: 1 } : {};

/** The defaults of the optional options. */
export const SUPERVISOR_DEFAULTS = {
  log: 'recwatch.db',
  qps: 10,
  jitterMs: 2_000,
  seed: 1,
} as const;

/**
 * Refuses options that cannot work, naming the option (never its value when it is a credential).
 * @throws ConfigurationError
 */
export function checkSupervisorOptions(options: SupervisorOptions): void {
  if (options === null || typeof options !== 'object') {
    throw new ConfigurationError('createSupervisor needs an options object');
  }
  if (options.agora === null || typeof options.agora !== 'object') {
    throw new ConfigurationError('agora: { appId, customerId, customerSecret } is required');
  }
  if (options.acquireRequest !== undefined && typeof options.acquireRequest !== 'function') {
    throw new ConfigurationError(
      'acquireRequest must be a function (recording, attempt) => object',
    );
  }
  if (typeof options.clientRequest !== 'function') {
    throw new ConfigurationError('clientRequest must be a function (recording, attempt) => object');
  }
  if (options.core !== undefined) {
    // Read as the log will read them (rule 12): options the log would refuse are refused here.
    const read = readRecordedOptions(options.core);
    if (!read.ok) throw new ConfigurationError(`core: ${read.reason}`);
  }
  positive('qps', options.qps);
  positive('settleStartMs', options.settleStartMs);
  if (
    options.jitterMs !== undefined &&
    !(Number.isFinite(options.jitterMs) && options.jitterMs >= 0)
  ) {
    throw new ConfigurationError(`jitterMs must be a number of ms >= 0, not ${options.jitterMs}`);
  }
  const log = options.log;
  if (
    log !== undefined &&
    typeof log !== 'string' &&
    (log === null || typeof log.append !== 'function')
  ) {
    throw new ConfigurationError("log must be a SQLite path, 'memory', or an EventLog");
  }
  if (log === '')
    throw new ConfigurationError("log must be a SQLite path, 'memory', or an EventLog");
  checkSqliteOptions(options.sqlite, log);
  positive('heartbeatMs', options.heartbeatMs);
  const provider: unknown = options.meterProvider;
  if (
    provider !== undefined &&
    provider !== false &&
    (provider === null ||
      typeof provider !== 'object' ||
      typeof (provider as MeterProvider).getMeter !== 'function')
  ) {
    throw new ConfigurationError('meterProvider must be a MeterProvider (with getMeter) or false');
  }
  if (options.instance !== undefined) {
    if (typeof options.instance !== 'string' || options.instance === '') {
      throw new ConfigurationError('instance must be a non-empty string');
    }
    const shared = typeof log === 'object' && log !== null && 'leases' in log && 'watch' in log;
    if (!shared) {
      throw new ConfigurationError(
        'instance needs a log shared by several instances (openPostgresLog of recwatch/postgres)',
      );
    }
  }
}

function checkSqliteOptions(sqlite: SupervisorOptions['sqlite'], log: SupervisorOptions['log']) {
  if (sqlite === undefined) return;
  if (sqlite === null || typeof sqlite !== 'object') {
    throw new ConfigurationError('sqlite must be an object of SQLite log options');
  }
  if (typeof log !== 'string' && log !== undefined) {
    throw new ConfigurationError('sqlite options need a SQLite path as log, not an EventLog');
  }
  if (log === 'memory')
    throw new ConfigurationError("sqlite options need a SQLite path as log, not 'memory'");
  const durability: unknown = sqlite.durability;
  if (durability !== undefined && durability !== 'full' && durability !== 'normal') {
    throw new ConfigurationError(
      `sqlite.durability must be 'full' or 'normal', not ${String(durability).slice(0, 40)}`,
    );
  }
}

function positive(name: string, value: number | undefined): void {
  if (value !== undefined && !(Number.isFinite(value) && value > 0)) {
    throw new ConfigurationError(`${name} must be a number > 0, not ${value}`);
  }
}
