// A log whose appends and snapshots are counted while under way, so the fleet harness can tell a
// supervisor waiting on its log (a commit on the SQLite writer thread) from one waiting on the
// clock: the simulator sees neither, and a commit outlasts many turns of the event loop.
import type {
  AppendOptions,
  AppendResult,
  EventLog,
  LogEntry,
  LogItem,
  ReadAllOptions,
  ReadStreamOptions,
  Snapshot,
} from '../log/index.js';
import type { ObserverIo } from '../sim/baselines/index.js';

/**
 * The same log, its writes (`append`, `saveSnapshot`) counted as `ObserverIo`; everything else
 * passed through. `file` is kept, so a supervisor claims a SQLite handle as it would the log.
 * @example const counted = new CountedLog(createMemoryLog()); await counted.append(...); counted.count // 2
 */
export class CountedLog implements EventLog, ObserverIo {
  readonly #log: EventLog;
  #count = 0;
  #inFlight = 0;
  #waiting: (() => void)[] = [];
  readonly file: string | undefined;

  constructor(log: EventLog) {
    this.#log = log;
    const file = (log as { file?: unknown }).file;
    this.file = typeof file === 'string' ? file : undefined;
  }

  get count(): number {
    return this.#count;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  idle(): Promise<void> {
    if (this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  append(stream: string, items: readonly LogItem[], options: AppendOptions): Promise<AppendResult> {
    return this.#counted(() => this.#log.append(stream, items, options));
  }

  saveSnapshot(snapshot: Snapshot): Promise<void> {
    return this.#counted(() => this.#log.saveSnapshot(snapshot));
  }

  readStream(stream: string, options?: ReadStreamOptions): Promise<readonly LogEntry[]> {
    return this.#log.readStream(stream, options);
  }

  readAll(options?: ReadAllOptions): Promise<readonly LogEntry[]> {
    return this.#log.readAll(options);
  }

  streamVersion(stream: string): Promise<number> {
    return this.#log.streamVersion(stream);
  }

  loadSnapshot(schemaVersion: number): Promise<Snapshot | null> {
    return this.#log.loadSnapshot(schemaVersion);
  }

  close(): Promise<void> {
    return this.#log.close();
  }

  #counted<T>(write: () => Promise<T>): Promise<T> {
    this.#count += 1;
    this.#inFlight += 1;
    let work: Promise<T>;
    try {
      work = write();
    } catch (error) {
      this.#finished();
      throw error;
    }
    return work.finally(() => this.#finished());
  }

  #finished(): void {
    this.#count += 1;
    this.#inFlight -= 1;
    if (this.#inFlight > 0) return;
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const resolve of waiting) resolve();
  }
}
