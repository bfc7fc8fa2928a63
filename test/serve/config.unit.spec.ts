import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { isRecwatchError } from '../../src/errors/index.js';
import { loadConfig } from '../../src/serve/config.js';
import { tempDir } from '../fixtures/temp-dir.js';

const dir = tempDir('recwatch-config-');
afterAll(() => dir.remove());

const ENV = {
  AGORA_APP_ID: 'app',
  AGORA_CUSTOMER_ID: 'customer',
  AGORA_CUSTOMER_SECRET: 'customer-secret-value',
  AGORA_NCS_SECRET: 'ncs-secret-value',
  RECWATCH_API_TOKENS: 'tok-a, tok-b',
};

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(isRecwatchError(error, 'CONFIGURATION')).toBe(true);
    return (error as Error).message;
  }
  throw new Error('not refused');
}

describe('loadConfig', () => {
  it('fills every default from the environment alone', () => {
    const config = loadConfig({ env: ENV });
    expect(config).toMatchObject({
      listen: { host: '127.0.0.1', port: 8080 },
      log: 'recwatch.db',
      logLevel: 'info',
      drainTimeoutMs: 10_000,
      agora: { appId: 'app', qps: 10, webhookPath: '/agora/webhook', unsignedNotifications: false },
      api: { tokens: ['tok-a', 'tok-b'], readTokens: [], maxBodyBytes: 16_384 },
      webhooks: { timeoutMs: 5_000 },
    });
  });

  it('takes a PostgreSQL log: its URL a secret from the environment or a file, never echoed', () => {
    const url = 'postgres://recwatch:pg-password-value@db.internal/app';
    const config = loadConfig({
      env: { ...ENV, RECWATCH_LOG: 'postgres', RECWATCH_POSTGRES_URL: url, RECWATCH_INSTANCE: 'a' },
    });
    expect(config.log).toBe('postgres');
    expect(config.postgres).toEqual({ url, schema: 'recwatch', leaseTtlMs: 15_000, instance: 'a' });
    const secretFile = dir.file('pg-url');
    writeFileSync(secretFile, `${url}\n`);
    const fromFile = loadConfig({
      env: { ...ENV, RECWATCH_LOG: 'postgres', RECWATCH_POSTGRES_URL_FILE: secretFile },
    });
    expect(fromFile.postgres.url).toBe(url);
    // Scale-out by the environment alone: each instance's share of the QPS, the lease length.
    const shared = loadConfig({
      env: {
        ...ENV,
        RECWATCH_LOG: 'postgres',
        RECWATCH_POSTGRES_URL: url,
        RECWATCH_AGORA_QPS: '3.5',
        RECWATCH_POSTGRES_LEASE_TTL_MS: '6000',
      },
    });
    expect(shared.agora.qps).toBe(3.5);
    expect(shared.postgres.leaseTtlMs).toBe(6_000);
    const zero = refusal(() =>
      loadConfig({ env: { ...ENV, RECWATCH_AGORA_QPS: '0', RECWATCH_POSTGRES_LEASE_TTL_MS: 'x' } }),
    );
    expect(zero).toContain('agora.qps');
    expect(zero).toContain('postgres.leaseTtlMs');

    const missing = refusal(() => loadConfig({ env: { ...ENV, RECWATCH_LOG: 'postgres' } }));
    expect(missing).toContain("postgres.url: required with log 'postgres' (RECWATCH_POSTGRES_URL");
    const unused = refusal(() => loadConfig({ env: { ...ENV, RECWATCH_POSTGRES_URL: url } }));
    expect(unused).toContain("postgres.url: set, but log is not 'postgres'");
    expect(unused).not.toContain('pg-password-value');
    const inFile = dir.file('pg.json');
    writeFileSync(
      inFile,
      JSON.stringify({ log: 'postgres', postgres: { url, schema: 'Bad-Name' } }),
    );
    const refused = refusal(() => loadConfig({ file: inFile, env: ENV }));
    expect(refused).toContain('postgres.url: a secret is not read from the file');
    expect(refused).toContain('postgres.schema');
    expect(refused).not.toContain('pg-password-value');
    // Outbound deliveries keep their position in a file of each instance's own.
    const hooks = refusal(() =>
      loadConfig({
        env: {
          ...ENV,
          RECWATCH_LOG: 'postgres',
          RECWATCH_POSTGRES_URL: url,
          RECWATCH_WEBHOOK_URL: 'http://127.0.0.1:1/hook',
          RECWATCH_WEBHOOK_SECRET: 'whsec_c2VjcmV0',
        },
      }),
    );
    expect(hooks).toContain('webhooks.cursorFile: required with webhooks.url');
  });

  it('reads the SQLite log durability: full by default, normal from the file or RECWATCH_LOG_DURABILITY', () => {
    expect(loadConfig({ env: ENV }).logDurability).toBe('full');
    expect(loadConfig({ env: { ...ENV, RECWATCH_LOG_DURABILITY: 'normal' } }).logDurability).toBe(
      'normal',
    );
    const file = dir.file('durability.json');
    writeFileSync(file, JSON.stringify({ logDurability: 'normal' }));
    expect(loadConfig({ file, env: ENV }).logDurability).toBe('normal');
    expect(
      refusal(() => loadConfig({ env: { ...ENV, RECWATCH_LOG_DURABILITY: 'off' } })),
    ).toContain('logDurability');
  });

  it('reads the file, and the environment wins over it', () => {
    const file = dir.file('a.json');
    writeFileSync(
      file,
      JSON.stringify({
        listen: { port: 9000, host: '0.0.0.0' },
        agora: { appId: 'from-file', customerId: 'c', qps: 4 },
      }),
    );
    const config = loadConfig({ file, env: { ...ENV, RECWATCH_PORT: '9100' } });
    expect(config.listen).toEqual({ host: '0.0.0.0', port: 9100 });
    expect(config.agora.appId).toBe('app');
    expect(config.agora.qps).toBe(4);
  });

  it('names every missing field with its variable, in one error', () => {
    const message = refusal(() => loadConfig({ env: {} }));
    expect(message).toContain('agora.appId: required (AGORA_APP_ID)');
    expect(message).toContain('agora.customerSecret: required (AGORA_CUSTOMER_SECRET)');
  });

  it('refuses a secret written in the file, without echoing it', () => {
    const file = dir.file('secret.json');
    writeFileSync(file, JSON.stringify({ agora: { customerSecret: 'leaked-value-123' } }));
    const message = refusal(() => loadConfig({ file, env: ENV }));
    expect(message).toContain('agora.customerSecret: a secret is not read from the file');
    expect(message).not.toContain('leaked-value-123');
  });

  it('never echoes a secret that does not validate, nor a wrong value of another field', () => {
    const message = refusal(() =>
      loadConfig({
        env: { ...ENV, RECWATCH_WEBHOOK_URL: 'not a url with s3cr3t', RECWATCH_API_TOKENS: ',' },
      }),
    );
    expect(message).toContain('webhooks.url');
    expect(message).toContain('api.tokens');
    expect(message).not.toContain('s3cr3t');
  });

  it('reads a secret from NAME_FILE, without its trailing newline, and refuses both at once', () => {
    const file = dir.file('ncs');
    writeFileSync(file, 'from-a-file\n');
    const { AGORA_NCS_SECRET: _, ...rest } = ENV;
    expect(
      loadConfig({ env: { ...rest, AGORA_NCS_SECRET_FILE: file } }).agora.notificationSecret,
    ).toBe('from-a-file');
    expect(refusal(() => loadConfig({ env: { ...ENV, AGORA_NCS_SECRET_FILE: file } }))).toContain(
      'AGORA_NCS_SECRET and AGORA_NCS_SECRET_FILE are both set',
    );
  });

  it('needs the notification secret (or unsigned), an API token, and a secret with a webhook URL', () => {
    const { AGORA_NCS_SECRET: _, RECWATCH_API_TOKENS: __, ...rest } = ENV;
    const message = refusal(() =>
      loadConfig({ env: { ...rest, RECWATCH_WEBHOOK_URL: 'http://127.0.0.1:1/hook' } }),
    );
    expect(message).toContain('agora.notificationSecret: required');
    expect(message).toContain('api.tokens: at least one token is required');
    expect(message).toContain('webhooks.secret: required with webhooks.url');
    // One that is not whsec_ + base64 is refused here, not by a stack trace at start-up.
    for (const bad of ['whsec_abc', 'SuperSecretValue123', 'whsec_', 'whsec_!!!!']) {
      const refused = refusal(() =>
        loadConfig({
          env: {
            ...ENV,
            RECWATCH_WEBHOOK_URL: 'http://127.0.0.1:1/hook',
            RECWATCH_WEBHOOK_SECRET: bad,
          },
        }),
      );
      expect(refused).toContain('webhooks.secret: not a valid value (RECWATCH_WEBHOOK_SECRET)');
      expect(refused).not.toContain(bad);
    }
  });

  it('refuses unknown keys and a file that is not JSON', () => {
    const typo = dir.file('typo.json');
    writeFileSync(typo, JSON.stringify({ lisen: { port: 1 } }));
    expect(refusal(() => loadConfig({ file: typo, env: ENV }))).toContain('lisen');
    const bad = dir.file('bad.json');
    writeFileSync(bad, '{');
    expect(refusal(() => loadConfig({ file: bad, env: ENV }))).toContain('not JSON');
  });
});
