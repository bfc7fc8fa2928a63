import { ConfigurationError, isRecwatchError } from '../../errors/index.js';
import { loadConfig } from '../../serve/config.js';
import { createServeLogger } from '../../serve/logger.js';
import { openapiDocument } from '../../serve/server.js';
import { startService } from '../../serve/service.js';
import { parseCommand } from '../args.js';
import { EXIT, UsageError } from '../errors.js';
import type { CliIo } from '../run.js';

/** sysexits(3)'s EX_CONFIG: the configuration is wrong. */
const EXIT_CONFIG = 78;

/**
 * `recwatch serve`: the service until SIGTERM or SIGINT, then a drain bounded by
 * `drainTimeoutMs` (exit 0 when it finished in time, 1 otherwise); a second signal exits at once
 * (128 + the signal's number). `--openapi` prints the OpenAPI document and exits.
 */
export async function serveCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommand(
    {
      options: {
        config: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        openapi: { type: 'boolean' },
      },
      positionals: [],
    },
    args,
  );
  if (values.openapi === true) {
    io.out.write(`${JSON.stringify(openapiDocument(), null, 2)}\n`);
    return EXIT.ok;
  }
  const env = { ...process.env };
  if (typeof values.port === 'string') {
    if (!/^\d{1,5}$/.test(values.port)) throw new UsageError('--port must be a port number');
    env.RECWATCH_PORT = values.port;
  }
  if (typeof values.host === 'string') env.RECWATCH_HOST = values.host;
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig({ ...(typeof values.config === 'string' && { file: values.config }), env });
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    io.err.write(`recwatch serve: ${error.message}\n`);
    return EXIT_CONFIG;
  }
  const logger = createServeLogger(config.logLevel);
  logger.info({ config }, 'starting');
  // One listener per signal for the whole run (a signal during the start is kept for after it):
  // removing the last listener and adding another can leave the default action armed, which
  // ends the process by the signal after a clean drain.
  let first: NodeJS.Signals | undefined;
  let signalled: ((signal: NodeJS.Signals) => void) | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (first === undefined) {
      first = signal;
      signalled?.(signal);
      return;
    }
    logger.warn({ signal }, 'second signal: exiting at once');
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  let service: Awaited<ReturnType<typeof startService>>;
  try {
    service = await startService(config, logger);
  } catch (error) {
    if (isRecwatchError(error, 'CONFIGURATION')) {
      io.err.write(`recwatch serve: ${error.message}\n`);
      return EXIT_CONFIG;
    }
    throw error;
  }
  logger.info({ ...service.address, log: config.log }, 'listening');
  const signal =
    first ??
    (await new Promise<NodeJS.Signals>((resolve) => {
      signalled = resolve;
    }));
  logger.info({ signal, boundMs: config.drainTimeoutMs }, 'draining');
  const bound = setTimeout(() => {
    logger.error({ boundMs: config.drainTimeoutMs }, 'the drain took too long: exiting');
    service.server.destroy();
    process.exit(1);
  }, config.drainTimeoutMs);
  const started = performance.now();
  await service.stop();
  clearTimeout(bound);
  logger.info({ ms: Math.round(performance.now() - started) }, 'drained: exiting');
  return EXIT.ok;
}
