// One host of a chaos run (test/chaos/driver.ts): embeds the supervisor from the built package, as
// a real host would, on a SQLite file or a shared PostgreSQL log, until the driver kills it.
// Usage: node chaos-host.mjs <json options>
// Reads commands on stdin, one JSON line each: {"id":n,"start":{...StartCommand}} or
// {"id":n,"stop":"r1"}. Prints JSON lines on stdout: {"ready":true} once it listens;
// {"ack":n} once a command is durable (its promise resolved), {"refused":n,"code":...} when it
// was refused; {"webhooks":n} after each webhook answered 200; {"log":level,"message":...} for
// each line of the supervisor's logger; {"closed":true} after SIGTERM closed it. Anything on
// stderr is a crash (an uncaught error, an unhandled rejection).
import { createServer } from 'node:http';
import { createInterface } from 'node:readline';

const dist = new URL('../../dist/src/', import.meta.url);
const { createSupervisor, createWebhookHandler } = await import(new URL('index.js', dist));

const options = JSON.parse(process.argv[2]);
const print = (line) => process.stdout.write(`${JSON.stringify(line)}\n`);

// The driver's clock, shared: simulated ms = anchor + (wall ms - wallAnchor) × speed.
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

const logger = Object.fromEntries(
  ['debug', 'info', 'warn', 'error'].map((level) => [
    level,
    (message) => print({ log: level, message }),
  ]),
);

// Opens the log and the supervisor. A database that cannot be reached yet (a restart under way)
// is a typed error: the host tries again a second later, as a host would; anything else throws.
async function open() {
  let log = options.sqlite;
  if (options.postgres !== undefined) {
    const { openPostgresLog } = await import(new URL('postgres.js', dist));
    log = await openPostgresLog(options.postgres.url, {
      schema: options.postgres.schema,
      clock,
      leaseTtlMs: options.postgres.leaseTtlMs,
    });
  }
  try {
    const supervisor = await createSupervisor({
      agora: { ...options.credentials, baseUrl: options.baseUrl },
      clientRequest: () => ({ token: 'tok', recordingConfig: { maxIdleTime: 300 } }),
      log,
      clock,
      logger,
      ...(options.postgres !== undefined && { instance: options.instance }),
    });
    return { log, supervisor };
  } catch (error) {
    if (options.postgres !== undefined) await log.close().catch(() => {});
    throw error;
  }
}
let opened;
for (let attempt = 1; opened === undefined; attempt += 1) {
  try {
    opened = await open();
  } catch (error) {
    if (error?.code !== 'LOG_DATABASE' || attempt === 30) throw error;
    print({ log: 'warn', message: `host: cannot open yet (${error.message})` });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}
const { log, supervisor } = opened;

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
print({ ready: true });

createInterface({ input: process.stdin }).on('line', (line) => {
  const command = JSON.parse(line);
  const done =
    command.start !== undefined
      ? supervisor.start(command.start)
      : supervisor.stop(String(command.stop));
  done.then(
    () => print({ ack: command.id }),
    (error) => print({ refused: command.id, code: error?.code ?? String(error) }),
  );
});

process.on('SIGTERM', async () => {
  server.close();
  server.closeAllConnections();
  await supervisor.close();
  if (options.postgres !== undefined) await log.close();
  print({ closed: true });
  process.exit(0);
});
