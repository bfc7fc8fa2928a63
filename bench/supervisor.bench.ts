// The running system's figures: notifications per second through the webhook handler on
// loopback (signed, durably appended before the 200), and the time from a quit to its domain
// event in simulated time, with notifications and with every notification lost.
import { createHmac } from 'node:crypto';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createMemoryLog,
  createSupervisor,
  createWebhookHandler,
  type EventLog,
  Journal,
  openSqliteLog,
  VirtualClock,
} from '../src/index.js';
import { notificationBody } from '../test/fixtures/agora.js';
import { type SimSupervised, simSupervised } from '../test/fixtures/sim-supervised.js';
import { tempDir } from '../test/fixtures/temp-dir.js';
import { logLiveRecordings, UNREACHABLE_AGORA } from './live-fleet.js';

const SECRET = 'bench-secret';

const T0 = 1_700_000_000_000;
const SESSIONS = 50;

// A log where 50 recordings are live (start and started logged), as a host's would be.
async function liveLog(file: string): Promise<EventLog> {
  const log = file === 'memory' ? createMemoryLog() : await openSqliteLog(file);
  const journal = await Journal.open(log);
  await logLiveRecordings(journal, SESSIONS, T0);
  return log;
}

async function webhookThroughput(file: string, total: number, concurrency: number) {
  const log = await liveLog(file);
  const supervisor = await createSupervisor({
    agora: UNREACHABLE_AGORA,
    clientRequest: () => ({}),
    log,
    clock: new VirtualClock(T0 + 1_000),
  });
  const webhook = createWebhookHandler(supervisor, { secret: SECRET });
  const server = createServer(webhook.node);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const bodies = Array.from({ length: total }, (_, i) =>
    JSON.stringify(
      notificationBody({ eventType: 33, sid: `S${i % 50}`, sequence: i, details: { progress: i } }),
    ),
  );
  const post = (body: string) =>
    new Promise<number>((resolve, reject) => {
      const call = request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/agora',
          agent,
          headers: {
            'content-type': 'application/json',
            'Agora-Signature-V2': createHmac('sha256', SECRET).update(body).digest('hex'),
          },
        },
        (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
        },
      );
      call.on('error', reject);
      call.end(body);
    });
  let next = 0;
  let ok = 0;
  const run = (until: number) =>
    Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < until) {
          const body = bodies[next++] as string;
          if ((await post(body)) === 200) ok += 1;
        }
      }),
    );
  // The first fifth warms the JIT and the connections up; the rest is measured.
  const warmup = Math.floor(total / 5);
  await run(warmup);
  const started = performance.now();
  await run(total);
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  server.close();
  await supervisor.close();
  await log.close();
  return {
    log: file === 'memory' ? 'memory' : 'sqlite',
    total,
    concurrency,
    ok,
    inputsPerSecond: Math.round((total - warmup) / seconds),
  };
}

async function quitLatency(lost: boolean) {
  const h: SimSupervised = await simSupervised({
    seed: 17,
    profile: lost ? 'lossy' : 'clean',
    overrides: {
      life: { abnormalExitPerHour: 2 },
      ...(lost ? { delivery: { lost: 1, delayed: 0, duplicated: 0 } } : {}),
    },
  });
  for (let i = 0; i < 20; i += 1) {
    await h.supervisor.start({
      recording: `r${i}`,
      cname: `room${i}`,
      uid: String(1000 + i),
      mode: 'mix',
    });
  }
  await h.advance(3 * 3_600_000);
  const delays: number[] = [];
  for (const truth of h.recordings()) {
    if (truth.quit === null || truth.quit.cause === 'stopped') continue;
    const event = h.events.find((e) => e.type === 'quit' && e.sid === truth.sid);
    if (event !== undefined) delays.push(event.observedAt - truth.quit.at);
  }
  await h.close();
  delays.sort((a, b) => a - b);
  const at = (q: number) =>
    delays[Math.min(delays.length - 1, Math.floor(q * delays.length))] ?? null;
  return {
    notifications: lost ? 'all lost' : 'delivered',
    quits: delays.length,
    medianMs: at(0.5),
    p90Ms: at(0.9),
    maxMs: delays.at(-1) ?? null,
  };
}

/** The supervisor suite of `npm run bench`. */
export async function runSupervisorBench(): Promise<Record<string, unknown>> {
  const dir = tempDir('recwatch-bench-supervisor-');
  try {
    return {
      webhook: [
        await webhookThroughput('memory', 6_000, 16),
        await webhookThroughput(dir.file('webhook.db'), 6_000, 16),
      ],
      quitToEvent: [await quitLatency(false), await quitLatency(true)],
    };
  } finally {
    dir.remove();
  }
}
