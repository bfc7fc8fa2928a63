// Server-sent events to many readers without letting one hold memory or time: each event is
// serialized once for all, written only as fast as its reader drains, and a reader that falls
// behind by more than a bounded number of bytes, or stops reading, is dropped (its EventSource
// reconnects and asks for what it missed).
import type { ServerResponse } from 'node:http';
import type { Clock, ClockTimer } from '../clock/index.js';

/** Options of `SseFanout`. */
export interface SseFanoutOptions {
  /** Bytes a reader may fall behind by (queued, not yet taken by its socket). */
  readonly maxBufferedBytes: number;
  /** A reader whose socket takes nothing for this long (ms) is dropped. */
  readonly stallTimeoutMs: number;
  /** How often an idle stream says it is alive, ms (proxies and browsers keep it open). */
  readonly heartbeatMs: number;
  readonly clock: Clock;
}

/** An event to send: its position (readers skip what their opening already held) and its text. */
interface Published {
  readonly position: number;
  readonly frame: () => string;
}

interface Reader {
  readonly response: ServerResponse;
  /** What the reader's opening still has to write (its history), produced as the socket drains. */
  opening: Iterator<string> | null;
  /** Positions up to this one were in its opening. */
  readonly after: number;
  /** Chunks to write: a turn's events each (the same buffer for every reader), or a heartbeat. */
  readonly queue: (Buffer | string)[];
  queuedBytes: number;
  /** Since when its socket has not drained, ms; null while it takes what is written. */
  stalledSince: number | null;
}

/**
 * The event streams of one server. `open` starts a stream with its opening frames (produced
 * lazily, so a long history is written a socket buffer at a time, between other work);
 * `publish` sends an event to every reader, serialized once, after the current turn (never in
 * the caller's: the caller is the supervisor's journal).
 * @example
 * const fanout = new SseFanout({ maxBufferedBytes: 1 << 20, stallTimeoutMs: 30_000, heartbeatMs: 15_000, clock });
 * fanout.open(response, ['event: hello\ndata: {}\n\n'], 0);
 * fanout.publish(1, () => 'id: 1\nevent: step\ndata: {}\n\n');
 */
export class SseFanout {
  private readonly readers = new Set<Reader>();
  private outbox: Published[] = [];
  private flushing = false;
  private heartbeat: ClockTimer | null = null;
  private droppedReaders = 0;

  constructor(private readonly options: SseFanoutOptions) {}

  /** Readers dropped for falling behind or stalling, since the server started. */
  get dropped(): number {
    return this.droppedReaders;
  }

  /** How many readers are open. */
  get size(): number {
    return this.readers.size;
  }

  /**
   * Adds a reader whose response has its headers written: `opening` first, then each event
   * published with a position above `after`.
   */
  open(response: ServerResponse, opening: Iterable<string>, after: number): void {
    const reader: Reader = {
      response,
      opening: opening[Symbol.iterator](),
      after,
      queue: [],
      queuedBytes: 0,
      stalledSince: null,
    };
    this.readers.add(reader);
    response.on('close', () => this.readers.delete(reader));
    response.on('drain', () => {
      reader.stalledSince = null;
      this.pump(reader);
    });
    this.pump(reader);
    this.armHeartbeat();
  }

  /** Sends an event to every open reader (from the next turn on). */
  publish(position: number, frame: () => string): void {
    if (this.readers.size === 0) return;
    this.outbox.push({ position, frame });
    if (this.flushing) return;
    this.flushing = true;
    setImmediate(() => this.flush());
  }

  /** Ends every stream. */
  close(): void {
    if (this.heartbeat !== null) this.options.clock.clearTimeout(this.heartbeat);
    this.heartbeat = null;
    for (const reader of this.readers) reader.response.end();
    this.readers.clear();
    this.outbox = [];
  }

  private flush(): void {
    this.flushing = false;
    const outbox = this.outbox;
    this.outbox = [];
    if (this.readers.size === 0 || outbox.length === 0) return;
    const frames = outbox.map((p) => ({ position: p.position, frame: p.frame() }));
    const first = (frames[0] as { position: number }).position;
    // The turn's events as one buffer, shared by every reader that wants them all.
    let all: Buffer | undefined;
    for (const reader of this.readers) {
      let chunk: Buffer;
      if (first > reader.after) chunk = all ??= Buffer.from(frames.map((f) => f.frame).join(''));
      else {
        const wanted = frames.filter((f) => f.position > reader.after);
        if (wanted.length === 0) continue;
        chunk = Buffer.from(wanted.map((f) => f.frame).join(''));
      }
      this.enqueue(reader, chunk);
    }
    for (const reader of this.readers) this.pump(reader);
  }

  private enqueue(reader: Reader, chunk: Buffer | string): void {
    const bytes = typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    reader.queue.push(chunk);
    reader.queuedBytes += bytes;
    // Only a reader whose socket is full falls behind: one turn's burst to a reader that takes
    // it is written whole (pump), however large.
    const behind = reader.queuedBytes + reader.response.writableLength;
    if (reader.stalledSince !== null && behind > this.options.maxBufferedBytes) this.drop(reader);
  }

  // Writes until the socket's buffer is full, then waits for its 'drain'.
  private pump(reader: Reader): void {
    const { response } = reader;
    while (reader.stalledSince === null && !response.destroyed) {
      let chunk: Buffer | string | undefined;
      if (reader.opening !== null) {
        const next = reader.opening.next();
        if (next.done === true) reader.opening = null;
        else chunk = next.value;
      } else {
        chunk = this.take(reader);
        if (chunk === undefined) return;
      }
      if (chunk !== undefined && !response.write(chunk)) {
        reader.stalledSince = this.options.clock.now();
      }
    }
  }

  private take(reader: Reader): Buffer | string | undefined {
    const chunk = reader.queue.shift();
    if (chunk !== undefined) {
      reader.queuedBytes -= typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    }
    return chunk;
  }

  private drop(reader: Reader): void {
    this.readers.delete(reader);
    this.droppedReaders += 1;
    reader.queue.length = 0;
    reader.opening = null;
    reader.response.destroy();
  }

  private armHeartbeat(): void {
    if (this.heartbeat !== null) return;
    const { clock, heartbeatMs, stallTimeoutMs } = this.options;
    this.heartbeat = clock.setTimeout(
      () => {
        this.heartbeat = null;
        const now = clock.now();
        for (const reader of this.readers) {
          if (reader.stalledSince !== null && now - reader.stalledSince >= stallTimeoutMs) {
            this.drop(reader);
          } else if (reader.stalledSince === null && reader.opening === null) {
            this.enqueue(reader, ': alive\n\n');
            this.pump(reader);
          }
        }
        if (this.readers.size > 0) this.armHeartbeat();
      },
      Math.min(heartbeatMs, stallTimeoutMs),
    );
  }
}
