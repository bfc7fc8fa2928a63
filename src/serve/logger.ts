// The service's log lines: JSON, one a line, with pino; secrets redacted by path wherever a
// configuration or a request is logged.
import { type Logger, pino } from 'pino';

/** Paths pino replaces with "[redacted]" in every line. */
export const REDACTED_PATHS = [
  'config.agora.customerSecret',
  'config.agora.appCertificate',
  'config.agora.token',
  'config.agora.notificationSecret',
  'config.api.tokens',
  'config.api.readTokens',
  'config.webhooks.secret',
  'config.storage.accessKey',
  'config.storage.secretKey',
  'config.postgres.url',
  'req.headers.authorization',
  'headers.authorization',
  '*.authorization',
  '*.token',
  '*.secret',
] as const;

/**
 * A JSON logger to stdout (synchronous: a line written before an exit is not lost).
 * @example const logger = createServeLogger('info'); logger.info({ port }, 'listening');
 */
export function createServeLogger(level: string, destination = 1): Logger {
  return pino(
    {
      level,
      base: { service: 'recwatch' },
      redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
    },
    pino.destination({ dest: destination, sync: true }),
  );
}
