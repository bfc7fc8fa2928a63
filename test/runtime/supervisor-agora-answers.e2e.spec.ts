// What reaches the log of an answer from Agora's address: a bounded record, whatever came. A
// query answered with megabytes is kept as a small marker (no answer: a 50x), every time.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock/index.js';
import { allEntries, createMemoryLog } from '../../src/log/index.js';
import { createSupervisor } from '../../src/runtime/index.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** An alive query answer padded with `bytes` bytes. */
function bloatedBody(bytes: number): object {
  return {
    resourceId: 'R1',
    sid: 'S1',
    serverResponse: { status: 5, fileList: 'S1_room1.m3u8', padding: 'x'.repeat(bytes) },
  };
}

/** An Agora that starts sessions, and answers every query with `queryBytes` of alive JSON. */
async function bloatedAgora(queryBytes: number): Promise<{ url: string; queries: () => number }> {
  let queries = 0;
  const body = JSON.stringify(bloatedBody(queryBytes));
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const path = request.url ?? '';
      if (path.endsWith('/acquire')) return response.end('{"resourceId":"R1"}');
      if (path.endsWith('/start')) return response.end('{"resourceId":"R1","sid":"S1"}');
      queries += 1;
      response.writeHead(200, { 'content-length': Buffer.byteLength(body) });
      response.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    queries: () => queries,
  };
}

describe('answers from Agora, as the log keeps them', () => {
  it('keeps a 3 MB query answer as a marker of its size, never the answer', async () => {
    const agora = await bloatedAgora(3_000_000);
    const clock = new VirtualClock(Date.UTC(2026, 0, 1));
    const log = createMemoryLog();
    const supervisor = await createSupervisor({
      agora: { appId: 'a', customerId: 'c', customerSecret: 's', baseUrl: agora.url },
      clientRequest: () => ({}),
      log,
      clock,
    });
    closers.push(() => supervisor.close());
    await supervisor.start({ recording: 'r1', cname: 'room1', uid: '1001', mode: 'mix' });
    await clock.advanceSettling(5 * 60_000, () => supervisor.settle());
    expect(agora.queries()).toBeGreaterThan(1);
    const queries: { httpStatus: unknown; body: unknown }[] = [];
    for await (const entry of allEntries(log)) {
      const item = entry.item as { kind: string; record?: { type?: string } };
      if (item.kind === 'input' && item.record?.type === 'query')
        queries.push(item.record as { httpStatus: unknown; body: unknown });
    }
    expect(queries.length).toBe(agora.queries());
    for (const query of queries) {
      expect(query.httpStatus).toBeNull();
      expect(query.body).toEqual({
        refused: 'tooLarge',
        httpStatus: 200,
        limitBytes: 1_048_576,
        declaredBytes: Buffer.byteLength(JSON.stringify(bloatedBody(3_000_000))),
      });
    }
    // No answer is no proof of life, nor of death: the recording is still being watched.
    expect(supervisor.get('r1')?.state).not.toBe('failed');
  }, 60_000);
});
