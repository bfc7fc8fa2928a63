// The server side of the `serve` rows, each in a process of its own so the load generator and the
// event-stream clients never share its event loop:
// - `sim`: the simulator (Agora), telling its parent `{ baseUrl, credentials }`;
// - `empty`: an empty Hono app (@hono/node-server) with the host API's read and start routes,
//   answering a fixed small JSON: the baseline of the API row;
// - `recwatch`: `createServer` over `createSupervisor` on a SQLite log, as `recwatch serve` runs
//   it. With `live` > 0 its log starts with that many live recordings and Agora unreachable (the
//   fan-out row: no notification but ours); otherwise its Agora is the simulator's address given.
//   On `{ produce, rate, tag }` it receives `produce` notifications naming one new file each,
//   paced at `rate` a second, through the supervisor's webhook door (a durable append, then the
//   core's step gives one `filesReported` event each), and answers `{ emitted }`: each file name
//   with the time (ms since the epoch, `performance.timeOrigin + performance.now()`, comparable
//   across processes) its event was emitted, right after its append.
// Every kind tells its parent `{ port }` (or the simulator's fields) once it listens, and exits on
// 'close'.
import { serve as serveHono } from '@hono/node-server';
import { Hono } from 'hono';
import type { DomainEvent } from '../machines/index.js';
import { Journal, openSqliteLog } from '../src/index.js';
import { createSupervisor } from '../src/runtime/index.js';
import { createServer } from '../src/serve/index.js';
import { startSimulator } from '../src/sim/index.js';
import { CNAME } from '../test/fixtures/agora.js';
import { logLiveRecordings, UNREACHABLE_AGORA } from './live-fleet.js';

/** The bearer token of the host API in these rows. */
export const BENCH_API_TOKEN = 'bench-api-token';

/** What the `recwatch` kind is started with (argv[3], JSON). */
export interface RecwatchServerConfig {
  readonly file: string;
  /** Live recordings logged before it starts (Agora then unreachable); 0 for the simulator's. */
  readonly live: number;
  /** The simulator's address and credentials, when `live` is 0. */
  readonly sim?: {
    readonly baseUrl: string;
    readonly appId: string;
    readonly customerId: string;
    readonly customerSecret: string;
    readonly secret: string;
  };
  /** Where Agora's notifications are received (the simulator sends there). */
  readonly port: number;
}

const now = () => performance.timeOrigin + performance.now();

const PICTURE = {
  recording: 'r0',
  state: 'recording',
  sid: 'S0',
  uid: '1000',
  haAttempts: 0,
  filePrefix: null,
  restarts: 0,
  quitReason: null,
  uncertain: false,
  uncertainSince: null,
  resourceId: 'R0',
  files: [],
  lastQuery: null,
  updatedAt: 0,
};

function emptyApp(): Hono {
  const app = new Hono();
  app.get('/v1/recordings', (c) => c.json({ recordings: [PICTURE] }));
  app.get('/v1/recordings/:recording', (c) => c.json(PICTURE));
  app.post('/v1/recordings', async (c) => {
    await c.req.json();
    return c.json(PICTURE, 201);
  });
  return app;
}

async function listenEmpty(): Promise<{ port: number; close: () => Promise<void> }> {
  const app = emptyApp();
  return new Promise((resolve) => {
    const server = serveHono({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
      resolve({
        port: info.port,
        close: () =>
          new Promise<void>((done) => {
            (server as { closeAllConnections?: () => void }).closeAllConnections?.();
            server.close(() => done());
          }),
      }),
    );
  });
}

async function listenRecwatch(config: RecwatchServerConfig) {
  if (config.live > 0) {
    const journal = await Journal.open(await openSqliteLog(config.file));
    await logLiveRecordings(journal, config.live, Date.now());
    await journal.close();
  }
  const log = await openSqliteLog(config.file);
  const sim = config.sim;
  const supervisor = await createSupervisor({
    agora:
      sim === undefined
        ? UNREACHABLE_AGORA
        : {
            appId: sim.appId,
            customerId: sim.customerId,
            customerSecret: sim.customerSecret,
            baseUrl: sim.baseUrl,
          },
    clientRequest: () => ({
      token: 'bench-token',
      recordingConfig: { maxIdleTime: 3_600 },
      storageConfig: { vendor: 1, region: 0, bucket: 'b', accessKey: 'ak', secretKey: 'sk' },
    }),
    log,
  });
  const server = createServer(supervisor, {
    api: { tokens: [BENCH_API_TOKEN] },
    agora:
      sim === undefined
        ? { unsigned: true, path: '/agora' }
        : { secret: sim.secret, path: '/agora' },
    log,
  });
  const address = await server.listen(config.port, '127.0.0.1');
  // Sequences per sid of the notifications this process sends (none comes from elsewhere).
  const sequences = new Map<string, number>();
  // Subscribed before any stream: the time an event is emitted, by the file it names.
  const emittedAt = new Map<string, number>();
  const events = supervisor.events$.subscribe((event: DomainEvent) => {
    if (event.type !== 'filesReported') return;
    const at = now();
    for (const file of event.files) emittedAt.set(file, at);
  });
  const produce = async (count: number, rate: number, tag: string) => {
    // Recordings with a session: 'starting' with its sid where Agora is unreachable (no query
    // confirms them), which takes notifications as 'recording' does.
    const live = supervisor
      .list()
      .filter((one) => (one.state === 'recording' || one.state === 'starting') && one.sid !== null);
    const files: string[] = [];
    const started = performance.now();
    const receipts: Promise<unknown>[] = [];
    for (let i = 0; i < count; i += 1) {
      const due = started + (i * 1_000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const one = live[i % live.length];
      if (one === undefined || one.sid === null) throw new Error('no live recording to notify');
      const sequence = (sequences.get(one.sid) ?? 0) + 1;
      sequences.set(one.sid, sequence);
      const file = `${one.sid}_${CNAME}_${tag}_${i}.m3u8`;
      files.push(file);
      const sendts = Date.now();
      receipts.push(
        supervisor.receiveWebhook({
          noticeId: `bench:${tag}:${i}`,
          productId: 3,
          eventType: 4,
          notifyMs: sendts,
          payload: {
            cname: CNAME,
            uid: one.uid,
            sid: one.sid,
            sequence,
            sendts,
            serviceType: 0,
            details: { msgName: 'cloud_recording_file_infos', fileList: file },
          },
        }),
      );
    }
    await Promise.all(receipts);
    return files.map((file) => [file, emittedAt.get(file) ?? null] as const);
  };
  return {
    port: address.port,
    produce,
    async close() {
      events.unsubscribe();
      await server.drain();
      server.destroy();
      await supervisor.close();
      await log.close();
    },
  };
}

async function main(): Promise<void> {
  const [kind, configText] = process.argv.slice(2);
  if (kind === 'sim') {
    const webhookPort = Number(configText);
    const sim = await startSimulator({
      seed: 1,
      webhookUrl: `http://127.0.0.1:${webhookPort}/agora`,
      concurrencyLimit: 100_000,
    });
    process.on('message', async (message) => {
      if (message !== 'close') return;
      await sim.close();
      process.send?.({ closed: true }, () => process.exit(0));
    });
    process.send?.({ baseUrl: sim.baseUrl, ...sim.credentials });
    return;
  }
  const served =
    kind === 'recwatch'
      ? await listenRecwatch(JSON.parse(configText ?? '{}') as RecwatchServerConfig)
      : { ...(await listenEmpty()), produce: undefined };
  process.on('message', async (message: unknown) => {
    if (message === 'close') {
      await served.close();
      process.send?.({ closed: true }, () => process.exit(0));
      return;
    }
    const ask = message as { produce?: number; rate?: number; tag?: string };
    if (ask.produce !== undefined && served.produce !== undefined) {
      const emitted = await served.produce(ask.produce, ask.rate ?? 50, ask.tag ?? 'x');
      process.send?.({ emitted });
    }
  });
  process.send?.({ port: served.port });
}

if (process.send !== undefined) await main();
