// The `inspector-stalled-readers` row: what an event-stream reader that never reads costs the
// process (heap and buffers after a GC, per reader) and the steps' ingest, against the same
// steps with no such reader, in the same run. The inspector and its readers in this process.
import { connect, type Socket } from 'node:net';
import { type CoreState, createCore, stepLine } from '../src/core/index.js';
import { createLiveFeed, type JournalStep, startInspector } from '../src/inspect/index.js';
import { type Row, round, type SuiteContext } from './row.js';

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();
const turn = () => new Promise((resolve) => setImmediate(resolve));

/** `count` journal steps, each a notification of about `bytes` bytes (taken once, pushed twice). */
function journalSteps(count: number, bytes: number): { state: CoreState; steps: JournalStep[] } {
  const start = createCore();
  let state = start;
  const steps: JournalStep[] = [];
  for (let i = 1; i <= count; i += 1) {
    const body = { noticeId: `n${i}`, eventType: 40, payload: { pad: 'x'.repeat(bytes) } };
    const item = { kind: 'input' as const, record: { at: i, type: 'notification' as const, body } };
    const result = stepLine(state, item);
    state = result.state;
    steps.push({ item, outputs: result.outputs, state });
  }
  return { state: start, steps };
}

interface Scenario {
  readonly ingestMs: number;
  /** Heap + external growth at its highest (sampled after a GC every 500 steps), bytes. */
  readonly heldBytes: number;
  readonly dropped: number;
  readonly pageGot: number;
}

/** Pushes the steps to an inspector read by one page and `stalled` readers that never read. */
async function scenario(
  start: CoreState,
  steps: readonly JournalStep[],
  stalled: number,
): Promise<Scenario> {
  const feed = createLiveFeed({ state: start, title: 'bench', maxSteps: steps.length });
  const inspector = await startInspector({ feed });
  const sockets: Socket[] = [];
  const open = (read: boolean) => {
    const socket = connect(inspector.port, '127.0.0.1');
    socket.on('error', () => {});
    sockets.push(socket);
    socket.write(`GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:${inspector.port}\r\n\r\n`);
    if (!read) socket.pause();
    return socket;
  };
  let pageBytes = 0;
  open(true).on('data', (chunk: Buffer) => {
    pageBytes += chunk.length;
  });
  for (let i = 0; i < stalled; i += 1) open(false);
  while (inspector.streams.open < stalled + 1) await turn();
  gc();
  const before = held();
  let peak = 0;
  let ingestMs = 0;
  for (let i = 0; i < steps.length; i += 1) {
    const began = performance.now();
    feed.push(steps[i] as JournalStep);
    // The journal's pace: a turn of the event loop now and then, as webhooks arrive.
    if (i % 20 === 19) await turn();
    ingestMs += performance.now() - began;
    if (i % 500 === 499) {
      gc();
      peak = Math.max(peak, held() - before);
    }
  }
  const result = {
    ingestMs: round(ingestMs, 1),
    heldBytes: peak,
    dropped: inspector.streams.dropped,
    pageGot: pageBytes,
  };
  for (const socket of sockets) socket.destroy();
  await inspector.close();
  return result;
}

function held(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

/** The `inspector-stalled-readers` row. */
export async function runInspectorReadersRow(context: SuiteContext): Promise<Row> {
  const stalled = context.tiny ? 5 : 50;
  const { state, steps } = journalSteps(context.tiny ? 500 : 5_000, 2_000);
  await scenario(state, steps.slice(0, 200), 1); // warm-up
  const calm = await scenario(state, steps, 0);
  const slow = await scenario(state, steps, stalled);
  const perReader = Math.max(0, slow.heldBytes - calm.heldBytes) / stalled;
  const cap = 4 * 1_048_576;
  const ratio = round(calm.ingestMs / Math.max(0.001, slow.ingestMs));
  const ok = perReader <= cap;
  return {
    row: 'inspector-stalled-readers',
    what: `${steps.length} steps of ~2 KB pushed to a live inspector read by one page while ${stalled} event-stream readers never read (default 4 MiB backlog, 30 s stall); memory held per stalled reader at its peak (after a GC, every 500 steps), and the push time`,
    figures: {
      stalledReaders: stalled,
      bytesPerStalledReader: Math.round(perReader),
      ingestMs: slow.ingestMs,
      heldMiB: round(slow.heldBytes / 1_048_576, 1),
      droppedReaders: slow.dropped,
    },
    baseline: {
      what: 'the same steps, one reading page, no stalled reader',
      ingestMs: calm.ingestMs,
      heldMiB: round(calm.heldBytes / 1_048_576, 1),
    },
    ratio,
    // The ratio is the push time's (calm ÷ with stalled readers), reported, not judged: most of
    // it is the kernel's socket buffers filling, which as many reading pages would cost too.
    target: { kind: 'atMost', value: cap, of: 'bytes held per stalled reader' },
    ok,
    ...(ok ? {} : { miss: `${round(perReader / 1_048_576)} MiB per stalled reader > 4 MiB` }),
  };
}
