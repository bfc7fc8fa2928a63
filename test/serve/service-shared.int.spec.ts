// `startService` on a PostgreSQL log, in process: the instance joins the others (its name, its
// membership lease), and /readyz says so from the database: a lease it no longer holds makes it
// not ready until its heartbeat joins again.
import { afterAll, expect, it } from 'vitest';
import { openPostgresLog } from '../../src/postgres.js';
import { loadConfig } from '../../src/serve/config.js';
import { type RunningService, startService } from '../../src/serve/service.js';
import { describePostgres, freshSchema } from '../fixtures/postgres.js';

const quiet = { info() {}, warn() {}, error() {}, debug() {} };

describePostgres('recwatch serve on a PostgreSQL log (in process)', (url) => {
  let service: RunningService | undefined;
  afterAll(() => service?.stop());

  it('reports its membership lease in /readyz, read from the database', async () => {
    const schema = freshSchema('ready');
    const config = loadConfig({
      env: {
        AGORA_APP_ID: 'app',
        AGORA_CUSTOMER_ID: 'c',
        AGORA_CUSTOMER_SECRET: 's',
        AGORA_NCS_SECRET: 'ncs',
        AGORA_BASE_URL: 'http://127.0.0.1:9',
        RECWATCH_API_TOKENS: 'w',
        RECWATCH_PORT: '0',
        RECWATCH_LOG: 'postgres',
        RECWATCH_POSTGRES_URL: url,
        RECWATCH_POSTGRES_SCHEMA: schema,
        RECWATCH_INSTANCE: 'ready-a',
      },
    });
    service = await startService(config, quiet);
    const shared = service.supervisor.shared;
    expect(shared?.instance).toBe('ready-a');
    const readyz = async () => {
      const answer = await service?.server.fetch(new Request('http://recwatch/readyz'));
      return { status: answer?.status, body: await answer?.json() };
    };
    expect(await readyz()).toEqual({
      status: 200,
      body: { ready: true, checks: { log: 'ok', webhook: 'ok', lease: 'ok' } },
    });
    // Its leases taken from it (as an expiry would): not ready.
    const log = await openPostgresLog(url, { schema });
    try {
      await log.leases.releaseAll(shared?.holder as string);
    } finally {
      await log.close();
    }
    expect(await readyz()).toEqual({
      status: 503,
      body: {
        ready: false,
        checks: { log: 'ok', webhook: 'ok', lease: 'membership lease not held' },
      },
    });
  });
});
