// A host that embeds the supervisor until it is killed: the child process of
// supervisor-kill.e2e.spec.ts. It uses the built package, as a real host would.
// Usage: node host-child.mjs <json options>
// Prints JSON lines: {"ready":true} once it listens, then {"list":[...]} every 200 ms, and on
// SIGTERM {"final":[...]}: the pictures once the supervisor has closed its log.
import { createServer } from 'node:http';

const { createSupervisor, createWebhookHandler } = await import(
  new URL('../../dist/src/index.js', import.meta.url)
);

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

const supervisor = await createSupervisor({
  agora: { ...options.credentials, baseUrl: options.baseUrl, retryDelaysMs: [] },
  clientRequest: () => ({ token: 'tok', recordingConfig: { maxIdleTime: 300 } }),
  log: options.log,
  clock,
  settleStartMs: 20_000,
});
const webhook = createWebhookHandler(supervisor, { secret: options.secret });
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
const print = (line) => process.stdout.write(`${JSON.stringify(line)}\n`);
print({ ready: true });
setInterval(() => print({ list: supervisor.list() }), 200);
process.on('SIGTERM', async () => {
  server.close();
  server.closeAllConnections();
  await supervisor.close();
  print({ final: supervisor.list() });
  process.exit(0);
});
