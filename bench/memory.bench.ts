// Memory per supervised recording (issue 17): the core state a running host holds for N
// recordings, each started, confirmed by a query, its next query deadline armed, and a few
// notifications in its dedupe window. Heap and RSS grow by (after − before) ÷ N, measured after
// a full GC; the inputs themselves are made one at a time and dropped, so only the state counts.
import { type CoreState, createCore, LiveCore, stepUntrusted } from '../src/core/index.js';
import { createDedupe, type DedupeKey, type DedupeState, dedupe } from '../src/stream/index.js';

/** One measured fleet size. */
export interface MemoryRow {
  readonly recordings: number;
  /** Heap growth ÷ recordings, after GC (bytes). */
  readonly heapBytesPerRecording: number;
  /** Resident set growth ÷ recordings, after GC (bytes). */
  readonly rssBytesPerRecording: number;
  /** How long building the state took (ms), for context only. */
  readonly buildMs: number;
}

/** What one dedupe key costs: 2,000 live sids × 100 notifications (two keys each). */
export interface KeyCost {
  readonly keys: number;
  /** Heap growth ÷ keys, after GC (bytes); the payloads' noticeId strings existed before. */
  readonly heapBytesPerKey: number;
}

/** The memory rows, the target (bytes per recording at the largest N) and whether it is met. */
export interface MemoryBenchResult {
  readonly what: string;
  readonly rows: readonly MemoryRow[];
  /** The same sizes, the state built by the owned core (`LiveCore`), as a host holds it. */
  readonly ownedRows: readonly MemoryRow[];
  readonly dedupeKey: KeyCost;
  readonly target: number;
  readonly ok: boolean;
}

/** Options of `memoryBench`: the fleet sizes (default 10,000 and 100,000). */
export interface MemoryBenchOptions {
  readonly sizes?: readonly number[];
  /** Bytes per recording the largest size must stay under (heap and RSS). Default 2 KiB. */
  readonly target?: number;
}

const T0 = 1_700_000_000_000;
/** Notifications per recording in its dedupe window (besides the recorder's start). */
const CHATTER = 3;

/** The inputs of recording `i`: start, started, a confirming query, then a few notifications. */
function* inputsOf(i: number): Generator<unknown> {
  const recording = `rec-${i}`;
  const sid = `sid-${i.toString(16).padStart(8, '0')}-38f2c1a9d0e47b65`;
  const uid = String(100_000 + (i % 1_000));
  const at = T0 + i;
  yield { at, type: 'start', recording, cname: `room-${i}`, uid, mode: 'mix' };
  yield { at, type: 'started', recording, resourceId: `res-${i}`, sid, uid };
  yield {
    at,
    type: 'query',
    recording,
    sid,
    httpStatus: 200,
    body: { sid, serverResponse: { status: 5, fileList: '' } },
  };
  const events = [40, 33, 43, 44];
  for (let n = 0; n <= CHATTER; n += 1) {
    yield {
      at,
      type: 'notification',
      body: {
        noticeId: `${sid}-${n}`,
        productId: 3,
        eventType: events[n % events.length],
        notifyMs: at,
        payload: {
          cname: `room-${i}`,
          uid,
          sid,
          sequence: n,
          sendts: at,
          serviceType: 0,
          details: {},
        },
      },
    };
  }
}

function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('memory bench: run node with --expose-gc');
  for (let i = 0; i < 3; i += 1) gc();
}

/**
 * The state of `recordings` built by folding the pure `step`, or (`owned`) by the core that owns
 * its state, as the journal and the supervisor hold it (`LiveCore`, then a snapshot).
 */
function measure(recordings: number, owned = false): MemoryRow {
  collect();
  const before = process.memoryUsage();
  const started = performance.now();
  let state: CoreState | null = createCore();
  if (owned) {
    const core = new LiveCore();
    for (let i = 0; i < recordings; i += 1)
      for (const input of inputsOf(i)) core.stepUntrusted(input);
    state = core.snapshot();
  } else {
    for (let i = 0; i < recordings; i += 1)
      for (const input of inputsOf(i)) state = stepUntrusted(state, input).state;
  }
  const buildMs = performance.now() - started;
  collect();
  const after = process.memoryUsage();
  if (state.recordings.size !== recordings)
    throw new Error(`memory bench: ${state.recordings.size} recordings held, ${recordings} made`);
  state = null;
  return {
    recordings,
    heapBytesPerRecording: Math.round((after.heapUsed - before.heapUsed) / recordings),
    rssBytesPerRecording: Math.round((after.rss - before.rss) / recordings),
    buildMs: Math.round(buildMs),
  };
}

function measureKeys(sids = 2_000, perSid = 100): KeyCost {
  const notices: DedupeKey[] = [];
  for (let s = 0; s < sids; s += 1) {
    const sid = `sid-${s.toString(16).padStart(8, '0')}-38f2c1a9d0e47b65`;
    for (let n = 0; n < perSid; n += 1)
      notices.push({ sid, uid: '100007', eventType: 33, sequence: n, noticeId: `${sid}-${n}` });
  }
  collect();
  const before = process.memoryUsage().heapUsed;
  let state: DedupeState | null = createDedupe();
  let at = T0;
  for (const key of notices) state = dedupe(state, key, at++).state;
  collect();
  const grown = process.memoryUsage().heapUsed - before;
  const keys = state.keyCount;
  state = null;
  return { keys, heapBytesPerKey: Math.round(grown / keys) };
}

/**
 * Measures the core's memory per supervised recording at each fleet size, smallest first.
 * Needs `node --expose-gc`.
 * @example const { rows, ok } = memoryBench({ sizes: [10_000] });
 */
export function memoryBench(options: MemoryBenchOptions = {}): MemoryBenchResult {
  const sizes = [...(options.sizes ?? [10_000, 100_000])].sort((a, b) => a - b);
  const target = options.target ?? 2048;
  const dedupeKey = measureKeys();
  const rows = sizes.map((size) => measure(size));
  const ownedRows = sizes.map((size) => measure(size, true));
  const largest = rows.at(-1);
  return {
    what: 'core state per recording: started, confirmed, query deadline armed, 4 notifications',
    rows,
    ownedRows,
    dedupeKey,
    target,
    ok:
      largest !== undefined &&
      largest.heapBytesPerRecording <= target &&
      largest.rssBytesPerRecording <= target,
  };
}
