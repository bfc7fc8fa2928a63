// The service's configuration: a JSON file for what may be shared, the environment for the rest
// (12-factor), checked with zod at start. Secrets come only from the environment or from files
// the environment names (`NAME_FILE`, as container secrets are mounted), and an error names the
// field, never its value.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigurationError } from '../errors/index.js';
import { WEBHOOK_SECRET } from './outbound.js';

/** The environment variable of each setting that has one, by its path in the configuration. */
export const CONFIG_ENV = {
  'listen.host': 'RECWATCH_HOST',
  'listen.port': 'RECWATCH_PORT',
  log: 'RECWATCH_LOG',
  logDurability: 'RECWATCH_LOG_DURABILITY',
  logLevel: 'RECWATCH_LOG_LEVEL',
  drainTimeoutMs: 'RECWATCH_DRAIN_TIMEOUT_MS',
  'agora.appId': 'AGORA_APP_ID',
  'agora.customerId': 'AGORA_CUSTOMER_ID',
  'agora.baseUrl': 'AGORA_BASE_URL',
  'agora.qps': 'RECWATCH_AGORA_QPS',
  'webhooks.url': 'RECWATCH_WEBHOOK_URL',
  'postgres.schema': 'RECWATCH_POSTGRES_SCHEMA',
  'postgres.instance': 'RECWATCH_INSTANCE',
  'postgres.leaseTtlMs': 'RECWATCH_POSTGRES_LEASE_TTL_MS',
} as const;

/** Secrets: from these variables, or from the file `NAME_FILE` names; never from the file. */
export const SECRET_ENV = {
  'agora.customerSecret': 'AGORA_CUSTOMER_SECRET',
  'agora.appCertificate': 'AGORA_APP_CERTIFICATE',
  'agora.token': 'AGORA_TOKEN',
  'agora.notificationSecret': 'AGORA_NCS_SECRET',
  'api.tokens': 'RECWATCH_API_TOKENS',
  'api.readTokens': 'RECWATCH_API_READ_TOKENS',
  'webhooks.secret': 'RECWATCH_WEBHOOK_SECRET',
  'storage.accessKey': 'RECWATCH_STORAGE_ACCESS_KEY',
  'storage.secretKey': 'RECWATCH_STORAGE_SECRET_KEY',
  // A connection string may hold a password.
  'postgres.url': 'RECWATCH_POSTGRES_URL',
} as const;

const secret = z.string().min(1);
const json = z.record(z.string(), z.unknown());
const port = z.coerce.number().int().min(0).max(65_535);
const ms = z.coerce.number().int().positive();

/** The configuration's schema: every field, its default, and what it is (docs/service.md). */
export const ServeConfigSchema = z.strictObject({
  listen: z
    .strictObject({
      /** The address to listen on. Default 127.0.0.1 (behind a reverse proxy). */
      host: z.string().min(1).default('127.0.0.1'),
      /** The port. Default 8080; 0 takes any free port. */
      port: port.default(8080),
    })
    .prefault({}),
  /**
   * The event log: a SQLite file, 'memory' (lost at exit: for tests), or 'postgres' (the
   * PostgreSQL log of `postgres`, shared by every instance on it). Default recwatch.db.
   */
  log: z.string().min(1).default('recwatch.db'),
  /** The PostgreSQL log, when `log` is 'postgres' (docs/postgres.md). */
  postgres: z
    .strictObject({
      /** The connection string (`postgres://user:password@host/db`): a secret. */
      url: secret.optional(),
      /** The schema holding the log's tables. Default recwatch. */
      schema: z
        .string()
        .regex(/^[a-z_][a-z0-9_]{0,53}$/, 'lower-case letters, digits and _, at most 54')
        .default('recwatch'),
      /** How long a lease lasts from its last renewal, ms. Default 15 000. */
      leaseTtlMs: ms.default(15_000),
      /** This instance's name among those sharing the log. Default the machine's name and pid. */
      instance: z.string().min(1).max(200).optional(),
    })
    .prefault({}),
  /**
   * How durable an acknowledged input is in a SQLite log (docs/operations.md): 'full' (fsync at
   * every commit, survives a power loss) or 'normal' (survives a crash of the process; a power
   * loss may take the last ones). Default full.
   */
  logDurability: z.enum(['full', 'normal']).default('full'),
  /** pino's level. Default info. */
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** SIGTERM/SIGINT: how long the drain may take before the process exits anyway. Default 10 s. */
  drainTimeoutMs: ms.default(10_000),
  agora: z
    .strictObject({
      appId: z.string().min(1),
      customerId: z.string().min(1),
      customerSecret: secret,
      /** When set, each start's RTC token is built for the uid that start uses. */
      appCertificate: secret.optional(),
      /** A fixed RTC token, when there is no certificate (a test project). */
      token: secret.optional(),
      /** The secret of Agora's notification service; required unless unsignedNotifications. */
      notificationSecret: secret.optional(),
      /** Accept notifications without a signature (tests only). Default false. */
      unsignedNotifications: z.boolean().default(false),
      /** Agora's REST base URL, or [primary, fallback]. Default Agora's two domains. */
      baseUrl: z.union([z.url(), z.tuple([z.url(), z.url()])]).optional(),
      /** The app id's REST budget, calls per second. Default 10. */
      qps: z.coerce.number().positive().default(10),
      /** Lifetime of a built token, seconds. Default 86 400 (24 h). */
      tokenExpireSeconds: z.number().int().positive().default(86_400),
      /** Where Agora's notification service posts. Default /agora/webhook. */
      webhookPath: z.string().startsWith('/').default('/agora/webhook'),
      /** Larger notification bodies get 413. Default 65 536 bytes. */
      webhookMaxBodyBytes: z.number().int().positive().default(65_536),
    })
    // Missing altogether: each required field is named, not just `agora`.
    .prefault({} as never),
  /** Merged into every start's clientRequest (Agora's recordingConfig, storageConfig, ...). */
  clientRequest: z
    .strictObject({
      recordingConfig: json.optional(),
      recordingFileConfig: json.optional(),
      snapshotConfig: json.optional(),
      extensionServiceConfig: json.optional(),
      /** Without the keys: they come from the storage secrets. */
      storageConfig: json.optional(),
    })
    .prefault({}),
  storage: z
    .strictObject({ accessKey: secret.optional(), secretKey: secret.optional() })
    .prefault({}),
  api: z
    .strictObject({
      /** Bearer tokens that may read and change recordings (comma-separated in the variable). */
      tokens: z.array(secret).default([]),
      /** Bearer tokens that may only read (a change is answered 403). */
      readTokens: z.array(secret).default([]),
      /** Larger request bodies get 413. Default 16 384 bytes. */
      maxBodyBytes: z.number().int().positive().default(16_384),
    })
    .prefault({}),
  webhooks: z
    .strictObject({
      /** The host's endpoint for recwatch's events; unset: no outbound webhooks. */
      url: z.url().optional(),
      /** Standard Webhooks secret (`whsec_` + base64); required with url. */
      secret: secret.regex(WEBHOOK_SECRET, 'not whsec_ followed by base64').optional(),
      /** One delivery attempt's timeout. Default 5 000 ms. */
      timeoutMs: z.number().int().positive().default(5_000),
      /** Waits between attempts; the last repeats forever (at least once). */
      retryDelaysMs: z
        .array(z.number().int().positive())
        .min(1)
        .default([1_000, 2_000, 5_000, 10_000, 30_000, 60_000]),
      /** Where the delivery cursor is kept. Default the log's path + '.webhooks-cursor'. */
      cursorFile: z.string().min(1).optional(),
    })
    .prefault({}),
});

/** The value of `log` that selects the PostgreSQL log of `postgres`. */
export const POSTGRES_LOG = 'postgres';

/** The service's configuration, checked, with every default filled in. */
export type ServeConfig = z.infer<typeof ServeConfigSchema>;

/** Where the configuration is read from. */
export interface ConfigSources {
  /** A JSON file's path (`--config`, or RECWATCH_CONFIG). */
  readonly file?: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * Reads and checks the configuration: the file (if any), then the environment over it, then the
 * secrets from the environment. Every problem is listed by field in one error.
 * @throws ConfigurationError naming each field (`agora.appId: required (AGORA_APP_ID)`), never
 *   a value; a secret written in the file is refused.
 * @example const config = loadConfig({ file: 'recwatch.json', env: process.env });
 */
export function loadConfig(sources: ConfigSources): ServeConfig {
  const file = sources.file ?? sources.env.RECWATCH_CONFIG;
  const raw: Record<string, unknown> = file === undefined || file === '' ? {} : readFile(file);
  const problems: string[] = [];
  for (const path of Object.keys(SECRET_ENV) as (keyof typeof SECRET_ENV)[]) {
    if (getPath(raw, path) !== undefined) {
      const name = SECRET_ENV[path];
      problems.push(`${path}: a secret is not read from the file; set ${name} or ${name}_FILE`);
    }
  }
  for (const [path, name] of Object.entries(CONFIG_ENV)) {
    const value = sources.env[name];
    if (value !== undefined && value !== '') setPath(raw, path, value);
  }
  for (const [path, name] of Object.entries(SECRET_ENV)) {
    const value = readSecret(sources.env, name, problems);
    if (value === undefined) continue;
    const list = path === 'api.tokens' || path === 'api.readTokens';
    setPath(raw, path, list ? value.split(',').map((token) => token.trim()) : value);
  }
  const parsed = ServeConfigSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(describeIssue(issue, raw));
  }
  if (parsed.success) problems.push(...crossChecks(parsed.data));
  if (problems.length > 0 || !parsed.success) {
    throw new ConfigurationError(`configuration: ${problems.join('; ')}`);
  }
  return parsed.data;
}

function crossChecks(config: ServeConfig): string[] {
  const problems: string[] = [];
  if (config.agora.notificationSecret === undefined && !config.agora.unsignedNotifications) {
    problems.push(
      'agora.notificationSecret: required (AGORA_NCS_SECRET), or agora.unsignedNotifications: true',
    );
  }
  if (config.api.tokens.length === 0 && config.api.readTokens.length === 0) {
    problems.push('api.tokens: at least one token is required (RECWATCH_API_TOKENS)');
  }
  if (config.webhooks.url !== undefined && config.webhooks.secret === undefined) {
    problems.push('webhooks.secret: required with webhooks.url (RECWATCH_WEBHOOK_SECRET)');
  }
  const postgres = config.log === POSTGRES_LOG;
  if (postgres && config.postgres.url === undefined) {
    problems.push(
      "postgres.url: required with log 'postgres' (RECWATCH_POSTGRES_URL or RECWATCH_POSTGRES_URL_FILE)",
    );
  }
  if (!postgres && config.postgres.url !== undefined) {
    problems.push("postgres.url: set, but log is not 'postgres' (RECWATCH_LOG=postgres uses it)");
  }
  if (postgres && config.webhooks.url !== undefined && config.webhooks.cursorFile === undefined) {
    problems.push(
      "webhooks.cursorFile: required with webhooks.url on log 'postgres' (a file of this instance's own)",
    );
  }
  return problems;
}

// The message zod gives names the expectation, not the value; the field and its variable lead.
function describeIssue(issue: z.core.$ZodIssue, raw: Record<string, unknown>): string {
  const path = issue.path.join('.');
  const name = envName(path);
  const secretField = Object.hasOwn(SECRET_ENV, path.replace(/\.\d+$/, ''));
  const message = secretField ? 'not a valid value' : issue.message;
  const where = name === undefined ? '' : ` (${name})`;
  if (issue.code === 'invalid_type' && getPath(raw, path) === undefined)
    return `${path}: required${where}`;
  return `${path || '(file)'}: ${message}${where}`;
}

function envName(path: string): string | undefined {
  const base = path.replace(/\.\d+$/, '');
  return (
    (CONFIG_ENV as Record<string, string>)[base] ?? (SECRET_ENV as Record<string, string>)[base]
  );
}

function readFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'unreadable';
    throw new ConfigurationError(`configuration: ${file}: cannot be read (${code})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ConfigurationError(`configuration: ${file}: not JSON`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigurationError(`configuration: ${file}: not a JSON object`);
  }
  return value as Record<string, unknown>;
}

function readSecret(
  env: ConfigSources['env'],
  name: string,
  problems: string[],
): string | undefined {
  const direct = env[name];
  const path = env[`${name}_FILE`];
  if (direct !== undefined && direct !== '' && path !== undefined && path !== '') {
    problems.push(`${name} and ${name}_FILE are both set; keep one`);
    return undefined;
  }
  if (direct !== undefined && direct !== '') return direct;
  if (path === undefined || path === '') return undefined;
  try {
    // A trailing newline is how editors and `echo` leave a secret file.
    return readFileSync(path, 'utf8').replace(/\r?\n$/, '');
  } catch (error) {
    problems.push(`${name}_FILE: cannot be read (${(error as { code?: string }).code})`);
    return undefined;
  }
}

function getPath(target: Record<string, unknown>, path: string): unknown {
  let at: unknown = target;
  for (const key of path.split('.')) {
    if (at === null || typeof at !== 'object' || !Object.hasOwn(at, key)) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let at = target;
  for (const key of keys.slice(0, -1)) {
    const next = at[key];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) at[key] = {};
    at = at[key] as Record<string, unknown>;
  }
  at[keys.at(-1) as string] = value;
}
