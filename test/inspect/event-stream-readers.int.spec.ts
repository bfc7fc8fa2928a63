// A page that stops reading its event stream costs a bounded amount: it is dropped once it falls
// `maxStreamBacklogBytes` behind, or after `stallTimeoutMs` (virtual) without draining, while
// pages that read get every step. A dropped page reconnects and gets what it missed.
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock/index.js';
import { type CoreState, createCore, stepLine } from '../../src/core/index.js';
import { createLiveFeed, type LiveFeed } from '../../src/inspect/feed.js';
import { type RunningInspector, startInspector } from '../../src/inspect/server.js';
import { readEvents } from './sse.js';

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** A live feed, and a way to push `count` steps each carrying about `bytes` of body. */
function bulkyFeed() {
  let state: CoreState = createCore();
  const feed: LiveFeed = createLiveFeed({ state, title: 'bulky', maxSteps: 1_000 });
  let at = 0;
  const push = (count: number, bytes: number) => {
    for (let i = 0; i < count; i += 1) {
      at += 1;
      const line = {
        kind: 'input' as const,
        record: {
          at,
          type: 'notification' as const,
          body: { noticeId: `n${at}`, pad: 'x'.repeat(bytes) },
        },
      };
      const result = stepLine(state, line);
      state = result.state;
      feed.push({ item: line, outputs: result.outputs, state });
    }
  };
  return { feed, push };
}

/** A page that asks for the event stream and then never reads a byte. */
function stalledReader(inspector: RunningInspector): Socket {
  const socket = connect(inspector.port, '127.0.0.1');
  socket.on('error', () => {});
  socket.write(`GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:${inspector.port}\r\n\r\n`);
  socket.pause();
  closers.push(() => void socket.destroy());
  return socket;
}

/** A page that reads its event stream as it comes: the ids of the steps it got, in order. */
function readingPage(inspector: RunningInspector): { ids: number[]; opened: () => boolean } {
  const socket = connect(inspector.port, '127.0.0.1');
  closers.push(() => void socket.destroy());
  const ids: number[] = [];
  let opened = false;
  let rest = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    const frames = (rest + chunk).split('\n\n');
    rest = frames.pop() ?? '';
    for (const frame of frames) {
      if (frame.includes('event: history')) opened = true;
      const id = /^id: (\d+)\nevent: step\n/m.exec(frame)?.[1];
      if (id !== undefined) ids.push(Number(id));
    }
  });
  socket.write(`GET /api/events HTTP/1.1\r\nHost: localhost:${inspector.port}\r\n\r\n`);
  return { ids, opened: () => opened };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('event-stream readers that stop reading', () => {
  it('drops a reader that falls maxStreamBacklogBytes behind; a reading page gets every step', async () => {
    const { feed, push } = bulkyFeed();
    const inspector = await startInspector({
      feed,
      maxStreamBacklogBytes: 256 * 1024,
      clock: new VirtualClock(0),
    });
    closers.push(() => inspector.close());
    stalledReader(inspector);
    const page = readingPage(inspector);
    while (inspector.streams.open < 2 || !page.opened()) await turn();
    // Bursts of 100 KB, each read by the page before the next: the page never falls behind,
    // the stalled reader falls behind by all of it once its socket buffers are full.
    let sent = 0;
    while (inspector.streams.dropped === 0 && sent < 5_000) {
      push(10, 10_000);
      sent += 10;
      while (page.ids.length < sent) await turn();
    }
    expect(inspector.streams).toEqual({ open: 1, dropped: 1 });
    expect(page.ids).toEqual(Array.from({ length: sent }, (_, i) => i + 1));
    // A dropped page reconnects with the last id it saw and gets only what it missed.
    const again = await fetch(new URL('api/events', inspector.url), {
      headers: { 'last-event-id': String(sent - 2) },
    });
    const missed = await readEvents(again, 2);
    expect(missed.map((e) => e.id)).toEqual([String(sent - 1), String(sent)]);
  }, 60_000);

  it('drops a reader whose socket takes nothing for stallTimeoutMs, even when nothing new comes', async () => {
    const { feed, push } = bulkyFeed();
    // A history far larger than the socket buffers: its opening alone stalls.
    push(300, 100_000);
    const clock = new VirtualClock(0);
    const inspector = await startInspector({ feed, clock, stallTimeoutMs: 30_000 });
    closers.push(() => inspector.close());
    stalledReader(inspector);
    while (inspector.streams.open < 1) await turn();
    // Until the socket's buffers are full, drains come; after, none does, and the clock decides.
    for (let i = 0; i < 1_000 && inspector.streams.dropped === 0; i += 1) {
      clock.advanceBy(15_000);
      for (let t = 0; t < 5; t += 1) await turn();
    }
    expect(inspector.streams).toEqual({ open: 0, dropped: 1 });
  }, 60_000);

  it('keeps a reader that reads, however long it stays, saying it is alive', async () => {
    const { feed } = bulkyFeed();
    const clock = new VirtualClock(0);
    const inspector = await startInspector({ feed, clock, stallTimeoutMs: 30_000 });
    closers.push(() => inspector.close());
    const socket = connect(inspector.port, '127.0.0.1');
    closers.push(() => void socket.destroy());
    let heard = '';
    socket.on('data', (chunk) => {
      heard += chunk.toString();
    });
    socket.write(`GET /api/events HTTP/1.1\r\nHost: localhost:${inspector.port}\r\n\r\n`);
    while (!heard.includes('event: history')) await turn();
    for (let i = 0; i < 8; i += 1) {
      clock.advanceBy(15_000);
      while (heard.split(': alive').length - 1 < i + 1) await turn();
    }
    expect(inspector.streams).toEqual({ open: 1, dropped: 0 });
  });
});
