// A core state's snapshot text, written a slice at a time: a host with 100,000 recordings never
// stops its event loop for the whole of it. A snapshot (`LiveCore.snapshot()`) is immutable, so
// a text written across many turns of the event loop is the state at the snapshot's position,
// whatever steps were taken meanwhile.
import { persistRecording } from '../../machines/index.js';
import {
  keysOf,
  type PersistentMap,
  peekTime,
  popTime,
  type TimeQueue,
} from '../stream/collections/index.js';
import type { SidMemory } from '../stream/index.js';
import type { ResolvedCoreOptions } from './options.js';
import { FROM_THE_LOG, optionsFingerprint, type SidMemoryJson } from './serialize.js';
import { CORE_STATE_VERSION, type CoreState } from './state.js';

/** Items written (or keys sorted) between two chances to pause. */
const SLICE = 256;
/** Characters joined into one chunk of the text. */
const CHUNK = 1 << 20;
/** Keys sorted at once before merging. */
const RUN = 2048;

/**
 * The work of writing a state's text, in slices: each `next()` does a little and yields
 * `undefined`; the last returns the text in chunks of about a million characters, which joined
 * are exactly `JSON.stringify(serializeCore(state, override))`. (Joining 100 MB into one string
 * is itself a pause of a few hundred ms: whoever can take the chunks should.)
 */
export type TextWork = Generator<undefined, readonly string[], undefined>;

/**
 * Writes `JSON.stringify(serializeCore(state, override))` a slice at a time (see `TextWork`).
 * `state` must not change while the work runs: a `LiveCore` snapshot, or any pure step's state.
 * @example const text = finishWork(coreTextWork(core.snapshot()));
 */
export function* coreTextWork(state: CoreState, override?: ResolvedCoreOptions): TextWork {
  const parts = new Parts();
  const head = {
    version: CORE_STATE_VERSION,
    position: state.position,
    now: state.now,
    optionsFingerprint: override === undefined ? FROM_THE_LOG : optionsFingerprint(override),
    options: state.options,
  };
  const opening = JSON.stringify(head);
  parts.push(opening.slice(0, -1), ',"recordings":');
  yield* entriesText(parts, state.recordings, (entry) => persistRecording(entry.snapshot));
  parts.push(',"sidOwners":');
  yield* entriesText(parts, state.sidOwners, (recording) => recording);
  parts.push(',"dedupe":{"sids":');
  yield* entriesText(parts, state.dedupe.sids, sidMemoryWork);
  parts.push(`,"keyCount":${JSON.stringify(state.dedupe.keyCount)},"finished":`);
  yield* queueText(parts, state.dedupe.finished, (id, at) => ({ sid: id, at }));
  parts.push('},"reorder":{"sids":');
  yield* entriesText(parts, state.reorder.sids, (streams) => streams);
  parts.push(`,"nextDue":${JSON.stringify(state.reorder.nextDue)}},"unknownSids":`);
  yield* entriesText(parts, state.unknownSids, (parked) => parked);
  parts.push(',"finished":');
  yield* queueText(parts, state.finished, (id, at) => [id, at]);
  parts.push('}');
  yield;
  return parts.chunked();
}

/**
 * The text being written, joined a chunk of about 1 MB at a time (each within a slice), so the
 * end joins a hundred chunks instead of a million small strings in one go.
 */
class Parts {
  private readonly chunks: string[] = [];
  private current: string[] = [];
  private size = 0;

  push(...texts: string[]): void {
    for (const text of texts) {
      this.current.push(text);
      this.size += text.length;
    }
    if (this.size >= CHUNK) this.close();
  }

  chunked(): readonly string[] {
    this.close();
    return this.chunks;
  }

  private close(): void {
    if (this.current.length > 0) this.chunks.push(this.current.join(''));
    this.current = [];
    this.size = 0;
  }
}

/** Runs the work to its end at once and joins its text (tests, small states). */
export function finishWork(work: TextWork): string {
  for (;;) {
    const next = work.next();
    if (next.done === true) return next.value.join('');
  }
}

/**
 * Runs the work in slices of about `sliceMs` of the event loop each, letting the loop turn in
 * between (`setImmediate`), and resolves to the text's chunks.
 * @example const chunks = await runWorkInSlices(coreTextWork(core.snapshot()), 5);
 */
export function runWorkInSlices(work: TextWork, sliceMs = 5): Promise<readonly string[]> {
  return new Promise((resolve, reject) => {
    const slice = () => {
      try {
        const end = performance.now() + sliceMs;
        for (;;) {
          const next = work.next();
          if (next.done === true) {
            resolve(next.value);
            return;
          }
          if (performance.now() >= end) break;
        }
        setImmediate(slice);
      } catch (error) {
        reject(error);
      }
    };
    slice();
  });
}

/** A value's JSON, at once or (a large one) by work that pauses along the way. */
type ToJson<V, J> = (value: V) => J | Work<J>;

/** Work that pauses (yields `undefined`) and returns a `J`. */
type Work<J> = Generator<undefined, J, undefined>;

/** A map as `serializeCore` writes it: `[key, value]` entries sorted by key, as a JSON array. */
function* entriesText<V, J>(
  parts: Parts,
  map: PersistentMap<V>,
  toJson: ToJson<V, J>,
): Generator<undefined, void, undefined> {
  const keys = yield* sortedKeys(map.keys());
  parts.push('[');
  for (let i = 0; i < keys.length; i += 1) {
    const key = keys[i] as string;
    const json = toJson(map.get(key) as V);
    const value = isWork(json) ? yield* json : json;
    const text = JSON.stringify([key, value]);
    parts.push(i === 0 ? text : `,${text}`);
    if (i % SLICE === SLICE - 1) yield;
  }
  parts.push(']');
}

function isWork<J>(json: J | Work<J>): json is Work<J> {
  return typeof (json as { next?: unknown } | null)?.next === 'function';
}

/**
 * One sid's dedupe memory as `sidMemoryToJson` gives it (serialize.ts), its keys collected and
 * sorted a slice at a time: a sid heard from 40 times a second holds thousands, and 50 such sids
 * written in one slice held the event loop 150 ms (the webhook bench, docs/performance.md).
 */
function* sidMemoryWork(m: SidMemory): Work<SidMemoryJson> {
  return {
    keys: yield* sortedKeys(keysOf(m.keys)),
    previousKeys: yield* sortedKeys(keysOf(m.previousKeys)),
    since: m.since,
    maxSequence: m.maxSequence,
    finishedAt: m.finishedAt,
  };
}

/** A time queue's entries, earliest first, as a JSON array (as `timeQueueEntries` lists them). */
function* queueText(
  parts: Parts,
  queue: TimeQueue,
  toJson: (id: string, at: number) => unknown,
): Generator<undefined, void, undefined> {
  parts.push('[');
  let count = 0;
  for (let rest = queue; rest !== null; rest = popTime(rest)) {
    const first = peekTime(rest) as { at: number; id: string };
    const text = JSON.stringify(toJson(first.id, first.at));
    parts.push(count === 0 ? text : `,${text}`);
    count += 1;
    if (count % SLICE === 0) yield;
  }
  parts.push(']');
}

/** Keys sorted as `Array.prototype.sort` sorts strings: runs sorted, then merged. */
function* sortedKeys(all: Iterable<string>): Generator<undefined, string[], undefined> {
  let keys: string[] = [];
  for (const key of all) {
    keys.push(key);
    if (keys.length % SLICE === 0) yield;
  }
  const n = keys.length;
  for (let lo = 0; lo < n; lo += RUN) {
    const run = keys.slice(lo, lo + RUN).sort();
    for (let i = 0; i < run.length; i += 1) keys[lo + i] = run[i] as string;
    yield;
  }
  let into = new Array<string>(n);
  let moved = 0;
  for (let width = RUN; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let a = lo;
      let b = mid;
      for (let k = lo; k < hi; k += 1) {
        // Code unit order, as the default sort: `<` on strings compares the same way.
        if (a < mid && (b >= hi || (keys[a] as string) <= (keys[b] as string))) {
          into[k] = keys[a] as string;
          a += 1;
        } else {
          into[k] = keys[b] as string;
          b += 1;
        }
        moved += 1;
        if (moved % (SLICE * 8) === 0) yield;
      }
    }
    [keys, into] = [into, keys];
  }
  return keys;
}
