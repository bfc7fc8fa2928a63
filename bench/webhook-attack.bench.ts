// The `webhook-under-attack` row: good requests' p99 at a fixed rate while slow clients hold
// connections (headers that never end, bodies that never end), against the same load without
// them, in the same run. recwatch's webhook server in a child process (webhook-server.ts, the
// handler's default deadlines and `guard`); attackers and autocannon in this one.
import { connect, type Socket } from 'node:net';
import { tempDir } from '../test/fixtures/temp-dir.js';
import { type Row, round, type SuiteContext } from './row.js';
import { bodies, type ChildMemory, type Load, load, serve } from './webhook.bench.js';

/** Slow clients, each replaced by a new one when the server cuts it. */
interface Attack {
  /** Connections the server cut (and the attack opened again). */
  readonly cut: () => number;
  stop(): void;
}

const HALF_HEADERS = 'POST /agora HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ';
const ENDLESS_BODY =
  'POST /agora HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
  'Content-Length: 60000\r\n\r\n{"noticeId":"';

/**
 * Keeps `headers` connections trickling header bytes that never end and `bodies` connections
 * trickling a body that never ends, one byte or so each per second, reopening each one cut.
 */
function attack(port: number, headers: number, endless: number): Attack {
  let stopped = false;
  let cut = 0;
  const sockets = new Set<Socket>();
  const open = (opening: string) => {
    if (stopped) return;
    const socket = connect(port, '127.0.0.1');
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('data', () => {});
    socket.write(opening);
    socket.on('close', () => {
      sockets.delete(socket);
      if (stopped) return;
      cut += 1;
      setTimeout(() => open(opening), 50).unref();
    });
  };
  for (let i = 0; i < headers; i += 1) open(HALF_HEADERS);
  for (let i = 0; i < endless; i += 1) open(ENDLESS_BODY);
  const drip = setInterval(() => {
    for (const socket of sockets) if (!socket.destroyed) socket.write('x');
  }, 1_000);
  return {
    cut: () => cut,
    stop() {
      stopped = true;
      clearInterval(drip);
      for (const socket of sockets) socket.destroy();
    },
  };
}

const pick = (l: Load) => ({
  requests: l.requests,
  ok: l.ok,
  non2xx: l.non2xx,
  errors: l.errors + l.timeouts,
  p50Ms: l.p50Ms,
  p99Ms: l.p99Ms,
  maxMs: l.maxMs,
});
const mib = (m: ChildMemory) => round(m.rssBytes / 1_048_576, 1);

/** The `webhook-under-attack` row. */
export async function runWebhookAttackRow(context: SuiteContext): Promise<Row> {
  const rate = 500;
  const seconds = context.tiny ? 2 : 20;
  const connections = 8;
  // Slow headers do not count against the pending-body cap (64): bodies stay under it.
  const slowHeaders = context.tiny ? 20 : 500;
  const endlessBodies = context.tiny ? 4 : 48;
  const dir = tempDir('recwatch-bench-attack-');
  try {
    const served = await serve('supervisor', dir.file('attack.db'));
    const port = Number(new URL(served.url).port);
    const next = bodies(0);
    await load(served.url, { connections, seconds: 1, rate }, next);
    const calm = await load(served.url, { connections, seconds, rate }, next);
    const before = await served.memory();
    const slow = attack(port, slowHeaders, endlessBodies);
    const attacked = await load(served.url, { connections, seconds, rate }, next);
    const during = await served.memory();
    slow.stop();
    await served.close();
    const ratio = round(calm.p99Ms / Math.max(0.001, attacked.p99Ms));
    const misses = [
      ...(ratio < 0.5 ? [`ratio ${ratio} < 0.5`] : []),
      ...(attacked.non2xx + attacked.errors + attacked.timeouts > 0
        ? [
            `${attacked.non2xx + attacked.errors + attacked.timeouts} good requests not answered 200`,
          ]
        : []),
    ];
    return {
      row: 'webhook-under-attack',
      what: `good signed notifications at ${rate} req/s for ${seconds} s (autocannon, ${connections} connections) to createSupervisor + createWebhookHandler (guarded, default deadlines) while ${slowHeaders} connections trickle headers that never end and ${endlessBodies} bodies that never end (each reopened when cut)`,
      figures: {
        ...pick(attacked),
        slowConnectionsCut: slow.cut(),
        serverRssMiB: mib(during),
        serverRssGrowthMiB: round(mib(during) - mib(before), 1),
      },
      baseline: { what: 'the same load on the same server, no slow clients', ...pick(calm) },
      ratio,
      target: { kind: 'ratioAtLeast', value: 0.5 },
      ok: misses.length === 0,
      ...(misses.length === 0 ? {} : { miss: misses.join('; ') }),
    };
  } finally {
    dir.remove();
  }
}
