// One of several hosts sharing a PostgreSQL log until it is killed: the child process of
// supervisor-shared.e2e.spec.ts. It uses the built package, as a real host would.
// Usage: node shared-host-child.mjs <json options>
// Prints JSON lines: {"ready":true} once it listens, {"webhooks":n} after each acknowledged
// webhook, and {"list":[...],"webhooks":n} every 200 ms.
import { createServer } from 'node:http';

const dist = new URL('../../dist/src/', import.meta.url);
const { createSupervisor, createWebhookHandler } = await import(new URL('index.js', dist));
const { openPostgresLog } = await import(new URL('postgres.js', dist));

const options = JSON.parse(process.argv[2]);
// The parent's clock, shared: simulated ms = anchor + (wall ms - wallAnchor) × speed.
const clock = {
  now: () => options.anchor + (Date.now() - options.wallAnchor) * options.speed,
  setTimeout(fire, delayMs) {
    const handle = setTimeout(fire, Math.max(0, delayMs) / options.speed);
    return { at: clock.now() + delayMs, handle };
  },
  clearTimeout(timer) {
    clearTimeout(timer.handle);
  },
};

const log = await openPostgresLog(options.url, {
  schema: options.schema,
  clock,
  leaseTtlMs: options.leaseTtlMs,
});
const supervisor = await createSupervisor({
  agora: { ...options.credentials, baseUrl: options.baseUrl, retryDelaysMs: [] },
  clientRequest: () => ({ token: 'tok', recordingConfig: { maxIdleTime: 300 } }),
  log,
  instance: options.instance,
  clock,
  settleStartMs: 20_000,
});
const print = (line) => process.stdout.write(`${JSON.stringify(line)}\n`);
// Counted once acknowledged, and told at once: a kill -9 must not lose what the count says.
let webhooks = 0;
const webhook = createWebhookHandler(
  {
    receiveWebhook: async (body) => {
      const received = await supervisor.receiveWebhook(body);
      webhooks += 1;
      print({ webhooks });
      return received;
    },
  },
  { secret: options.secret },
);
const server = createServer(webhook.node);
await new Promise((resolve) => server.listen(options.port, '127.0.0.1', resolve));
for (const recording of options.start) {
  if (supervisor.get(recording) === undefined) {
    const n = recording.slice(1);
    await supervisor.start({
      recording,
      cname: `room${n}`,
      uid: String(1000 + Number(n)),
      mode: 'mix',
    });
  }
}
print({ ready: true });
setInterval(() => print({ list: supervisor.list(), webhooks }), 200);
process.on('SIGTERM', async () => {
  server.close();
  server.closeAllConnections();
  await supervisor.close();
  await log.close();
  process.exit(0);
});
