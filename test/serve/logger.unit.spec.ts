// The service's log lines never show a secret: every secret of the configuration is redacted by
// its path, the PostgreSQL connection string (which may hold a password) included.
import { closeSync, openSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, SECRET_ENV } from '../../src/serve/config.js';
import { createServeLogger, REDACTED_PATHS } from '../../src/serve/logger.js';
import { tempDir } from '../fixtures/temp-dir.js';

const dir = tempDir('recwatch-logger-');
afterAll(() => dir.remove());

describe('the service logger', () => {
  it('redacts every secret of the configuration by its path', () => {
    for (const path of Object.keys(SECRET_ENV)) {
      expect(REDACTED_PATHS).toContain(`config.${path}`);
    }
  });

  it('logs the configuration at start without the PostgreSQL password', () => {
    const config = loadConfig({
      env: {
        AGORA_APP_ID: 'app',
        AGORA_CUSTOMER_ID: 'customer',
        AGORA_CUSTOMER_SECRET: 'customer-secret-value',
        AGORA_NCS_SECRET: 'ncs-secret-value',
        RECWATCH_API_TOKENS: 'api-token-value',
        RECWATCH_LOG: 'postgres',
        RECWATCH_POSTGRES_URL: 'postgres://recwatch:pg-password-value@db.internal/app',
      },
    });
    const file = dir.file('lines.jsonl');
    const fd = openSync(file, 'w');
    try {
      createServeLogger('info', fd).info({ config }, 'starting');
    } finally {
      closeSync(fd);
    }
    const line = JSON.parse(readFileSync(file, 'utf8').trim()) as {
      config: { postgres: { url: string; schema: string } };
    };
    expect(line.config.postgres).toMatchObject({ url: '[redacted]', schema: 'recwatch' });
    expect(readFileSync(file, 'utf8')).not.toMatch(/-value/);
  });
});
