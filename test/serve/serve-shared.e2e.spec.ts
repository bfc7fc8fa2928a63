// Two `recwatch serve` processes (the built CLI) on one PostgreSQL log, with `recwatch sim` behind
// them and Agora's notifications spread over both by a round-robin balancer: a recording started
// through one is listed and read through the other, a stop sent to the instance that does not
// drive it is carried out by the one that does (the simulator's recorder stops), and /readyz of
// each reports its membership lease. Waits are bounds on what a healthy run does in seconds.
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { openPostgresLog } from '../../src/postgres.js';
import { balancer } from '../fixtures/balancer.js';
import { freePort } from '../fixtures/free-port.js';
import { describePostgres, freshSchema } from '../fixtures/postgres.js';
import { type Child, logLines, startServe, startSim } from './processes.js';

const NCS_SECRET = 'ncs-secret-shared';
const TOKEN = 'write-token-shared';
/** A failure bound for what takes a second or two on an idle machine. */
const BOUND_MS = 120_000;

const children: Child[] = [];
const closers: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const child of children) {
    if (child.process.exitCode === null && child.process.signalCode === null) {
      child.process.kill('SIGKILL');
    }
  }
  for (const close of closers) await close().catch(() => {});
});

/** Polls `test` (every 100 ms) until it gives a value; fails at the bound, naming `what`. */
async function until<T>(what: string, test: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + BOUND_MS;
  for (;;) {
    const value = await test();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${BOUND_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface Picture {
  readonly recording: string;
  readonly state: string;
  readonly sid: string | null;
  readonly resourceId: string | null;
}

describePostgres('two recwatch serve instances on one PostgreSQL log', (url) => {
  it('answer the same API: start through one, read and stop through the other, ready on both', {
    timeout: 6 * BOUND_MS,
  }, async () => {
    const schema = freshSchema('serve');
    // Created once, so the two first opens do not queue on the migration.
    await (await openPostgresLog(url, { schema })).close();
    const admin = new pg.Pool({ connectionString: url, max: 1 });
    closers.push(() => admin.end());
    const ports = [await freePort(), await freePort()] as const;
    const lb = await balancer(ports);
    closers.push(() => lb.close());
    const sim = await startSim(await freePort(), `${lb.url}/webhook`, NCS_SECRET);
    children.push(sim.child);
    const { credentials } = sim;
    const env = (index: 0 | 1): NodeJS.ProcessEnv => ({
      AGORA_APP_ID: credentials.appId,
      AGORA_CUSTOMER_ID: credentials.customerId,
      AGORA_CUSTOMER_SECRET: credentials.customerSecret,
      AGORA_BASE_URL: credentials.baseUrl,
      AGORA_NCS_SECRET: NCS_SECRET,
      AGORA_APP_CERTIFICATE: '5cfd2fd1755d40ecb72977518be15d3b',
      RECWATCH_API_TOKENS: TOKEN,
      RECWATCH_PORT: String(ports[index]),
      RECWATCH_LOG: 'postgres',
      RECWATCH_POSTGRES_URL: url,
      RECWATCH_POSTGRES_SCHEMA: schema,
      RECWATCH_INSTANCE: index === 0 ? 'serve-a' : 'serve-b',
      RECWATCH_CONFIG: '',
    });
    const serves = [await startServe(env(0)), await startServe(env(1))] as const;
    children.push(...serves);
    const api = async (index: number, method: string, path: string, body?: object) =>
      fetch(`http://127.0.0.1:${ports[index]}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${TOKEN}`,
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
    const get = async (index: number, recording: string) => {
      const answer = await api(index, 'GET', `/v1/recordings/${recording}`);
      return answer.status === 200 ? ((await answer.json()) as Picture) : undefined;
    };

    // Both ready, each holding its membership lease.
    for (const index of [0, 1]) {
      const ready = await fetch(`http://127.0.0.1:${ports[index]}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({
        ready: true,
        checks: { log: 'ok', webhook: 'ok', lease: 'ok' },
      });
    }

    const start = { recording: 'shared-1', cname: 'room-shared', uid: '4001', mode: 'mix' };
    expect((await api(0, 'POST', '/v1/recordings', start)).status).toBe(201);
    // Through B at once, and listed there.
    expect((await get(1, 'shared-1'))?.recording).toBe('shared-1');
    const listed = (await (await api(1, 'GET', '/v1/recordings')).json()) as {
      recordings: Picture[];
    };
    expect(listed.recordings.map((one) => one.recording)).toEqual(['shared-1']);

    // Its owner starts it on the simulator; both instances come to see it recording.
    const recording = await until('recording, as B sees it', async () => {
      const seen = await get(1, 'shared-1');
      return seen?.state === 'recording' && seen.sid !== null ? seen : undefined;
    });
    expect((await get(0, 'shared-1'))?.sid).toBe(recording.sid);
    const query = () =>
      fetch(
        `${credentials.baseUrl}/v1/apps/${credentials.appId}/cloud_recording/resourceid/${recording.resourceId}/sid/${recording.sid}/mode/mix/query`,
        {
          headers: {
            authorization: `Basic ${Buffer.from(`${credentials.customerId}:${credentials.customerSecret}`).toString('base64')}`,
          },
        },
      );
    expect((await query()).status).toBe(200);

    // The stop goes to the instance that does not drive the recording.
    const { rows } = await admin.query<{ holder: string }>(
      `SELECT holder FROM "${schema}".leases WHERE name = 'recording:shared-1'`,
    );
    const owner = rows[0]?.holder.startsWith('serve-a#') ? 0 : 1;
    const other = 1 - owner;
    const stopping = await api(other, 'POST', '/v1/recordings/shared-1/stop');
    expect(stopping.status).toBe(202);
    await until('stopped, as the owner sees it', async () =>
      (await get(owner, 'shared-1'))?.state === 'stopped' ? true : undefined,
    );
    expect((await get(other, 'shared-1'))?.state).toBe('stopped');
    // The simulator's recorder is gone: its query answers 404.
    expect((await query()).status).toBe(404);
    // The stop was sent by the owner alone.
    const said = (index: number, text: string) =>
      logLines(serves[index] as Child).some((line) => String(line.msg).includes(text));
    expect(said(owner, 'shared-1 stopped')).toBe(true);
    expect(said(other, 'shared-1 stopped')).toBe(false);

    // A drain hands the leases back: both exit 0.
    for (const serve of serves) serve.process.kill('SIGTERM');
    expect(await Promise.all(serves.map((serve) => serve.exited))).toEqual([0, 0]);
    const log = await openPostgresLog(url, { schema });
    closers.push(() => log.close());
    expect(await log.leases.held()).toEqual([]);
  });
});
