// The server side of the webhook rows, in its own process so the load generator does not share
// its event loop: `empty` answers 200 to every POST once its body is read; `supervisor` is
// recwatch as a host embeds it (createSupervisor on a SQLite log, createWebhookHandler, signed,
// the server guarded against slow headers). Tells its parent `{ port }` when listening; on
// 'memory' it answers with its memory after a GC; on 'close' it closes and says `{ closed: true }`.
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createSupervisor,
  createWebhookHandler,
  Journal,
  openSqliteLog,
  type SqliteDurability,
} from '../src/index.js';
import { logLiveRecordings, UNREACHABLE_AGORA } from './live-fleet.js';
import { BENCH_WEBHOOK_SECRET, LIVE_RECORDINGS } from './webhook-constants.js';

const empty: RequestListener = (request, response) => {
  request.resume();
  request.on('end', () => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end('{}');
  });
};

// A log where LIVE_RECORDINGS recordings are live (start and started logged), as a host's is.
async function supervisorHandler(file: string, durability: SqliteDurability) {
  const journal = await Journal.open(await openSqliteLog(file));
  await logLiveRecordings(journal, LIVE_RECORDINGS, Date.now());
  await journal.close();
  const supervisor = await createSupervisor({
    agora: UNREACHABLE_AGORA,
    clientRequest: () => ({}),
    log: file,
    sqlite: { durability },
  });
  const webhook = createWebhookHandler(supervisor, { secret: BENCH_WEBHOOK_SECRET });
  return {
    listener: webhook.node,
    guard: (server: Server) => webhook.guard(server),
    close: () => supervisor.close(),
  };
}

async function main(): Promise<void> {
  const [kind, file, durability] = process.argv.slice(2);
  const served =
    kind === 'supervisor' && file !== undefined
      ? await supervisorHandler(file, durability === 'normal' ? 'normal' : 'full')
      : { listener: empty, guard: () => {}, close: async () => {} };
  const server = createServer(served.listener);
  served.guard(server);
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.on('message', async (message) => {
    if (message === 'memory') {
      (globalThis as { gc?: () => void }).gc?.();
      const { rss, heapUsed, external } = process.memoryUsage();
      process.send?.({ rssBytes: rss, heapUsedBytes: heapUsed, externalBytes: external });
      return;
    }
    if (message !== 'close') return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await served.close();
    process.send?.({ closed: true }, () => process.exit(0));
  });
  process.send?.({ port: (server.address() as AddressInfo).port });
}

if (process.send !== undefined) await main();
