// Append before act: every input is made durable in the event log, then stepped through the
// core. The journal is the event-sourcing spine the supervisor builds on.
import {
  type CoreOptions,
  type CoreOutput,
  type CoreState,
  type CoreStep,
  differingOptions,
  type ReceivedLine,
  resolveCoreOptions,
  stepLine,
  stepSignal,
} from '../core/index.js';
import {
  type EventLog,
  LogGapError,
  type LogItem,
  type ReceivedItem,
  readReceived,
  streamOf,
} from '../log/index.js';
import type { TraceRecord } from '../signals/index.js';
import { JournalClosedError } from './errors.js';
import { rebuildFromLog, saveCoreSnapshot } from './rebuild.js';
import { SnapshotPolicy } from './snapshot-policy.js';

/**
 * What a store's append takes beyond the expected version, passed through as is: a shared log's
 * fencing lease (`{ fence }` on PostgreSQL), so a receive is refused once its lease is lost.
 */
export type ExtraAppendOptions = Readonly<Record<string, unknown>>;

/** Options of `Journal.open`. */
export interface JournalOptions {
  /**
   * The options the host runs with (rule 12). When they differ from the options in force in the
   * log (its latest `options` record, else the defaults), an `options` record is appended at
   * open, so every later decision, and any replay of the log, reads them. Default: the log's.
   */
  readonly core?: Partial<CoreOptions>;
  /** The time (ms) an `options` record is appended at. Default `Date.now`. */
  readonly now?: () => number;
  /** Snapshot once a recording has had this many inputs since the last one. Default 1000. */
  readonly snapshotEvery?: number;
  /**
   * Told when a snapshot could not be saved (disk full, a state that cannot be serialized).
   * Receiving goes on, outputs are delivered, and the next snapshot is tried after another
   * `snapshotEvery` inputs: a snapshot only shortens the replay at the next open. Default: a
   * process warning.
   */
  readonly onSnapshotError?: (error: unknown, position: number) => void;
  /**
   * Told of every step the core takes from now on, in log order, with the state before it (for
   * inspectors). Called synchronously inside the step: it must not throw, and should be quick.
   */
  readonly onStep?: (step: JournalStep, before: CoreState) => void;
  /**
   * Told how long each append of a received input took (ms of real time, `performance.now`; a
   * group commit included), when it succeeded. For metrics: it must not throw. Default none.
   */
  readonly onAppend?: (ms: number) => void;
}

/** One step of the core: the item stepped (an input or a reject), its outputs, the state after. */
export interface JournalStep {
  readonly item: ReceivedLine;
  readonly outputs: readonly CoreOutput[];
  readonly state: CoreState;
}

/** What receiving one input did. */
export interface Received {
  /** Its position in the log. */
  readonly position: number;
  /** It was already in the log (a resend or retry): stored once, not acted on again. */
  readonly repeated: boolean;
  /** What was appended for it: the input, or a reject with its reason (as `readAll` gives it). */
  readonly item: LogItem;
  /**
   * What acting on it gave, in log order. When the log holds entries before it that this journal
   * has not stepped yet (another writer's, or its own whose append a store acknowledged later),
   * they are stepped first and their outputs come here too; a receive whose entry was stepped
   * that way has none of its own. A repeat of an input this journal has not acted on yet (its
   * first receive failed after the append) is acted on now, and its outputs come here.
   */
  readonly outputs: readonly CoreOutput[];
}

/**
 * The log and the core, kept in step: a receive appends first (durably) and acts after; an input
 * whose append fails is not acted on. Inputs received concurrently share one group commit and
 * are acted on in log order. Two entries, one per kind of caller:
 * - `receive(record)`: a trace record the host built (its own call results, ticks, commands);
 *   the record's `at` is its time.
 * - `receiveUntrusted(raw, receivedAt)`: anything from outside (a webhook body wrapped as a
 *   notification record, a line read from a file). A valid record keeps its own `at`; one that
 *   does not validate is logged as a reject at `receivedAt`.
 * @example
 * const journal = await Journal.open(await openSqliteLog('recwatch.db'));
 * const { outputs } = await journal.receive({ at: Date.now(), type: 'tick' });
 * await journal.receiveUntrusted({ at: Date.now(), type: 'notification', body: rawBody }, Date.now());
 * await journal.close();
 */
export class Journal {
  private readonly policy: SnapshotPolicy;
  private readonly onSnapshotError: (error: unknown, position: number) => void;
  private readonly onStep: JournalOptions['onStep'];
  private readonly onAppend: JournalOptions['onAppend'];
  private tail: Promise<unknown> = Promise.resolve();
  private closing: Promise<void> | null = null;
  private readonly inFlight = new Set<Promise<Received>>();

  private constructor(
    private readonly log: EventLog,
    private current: CoreState,
    options: JournalOptions,
  ) {
    this.policy = new SnapshotPolicy(options.snapshotEvery ?? 1000);
    this.onSnapshotError = options.onSnapshotError ?? warnSnapshotFailed;
    this.onStep = options.onStep;
    this.onAppend = options.onAppend;
  }

  /**
   * Opens a journal on a log, rebuilding the state from its latest snapshot and tail with the
   * options the log recorded, then records the host's options if they differ (rule 12). The
   * journal owns the log from then on: `close()` closes it.
   */
  static async open(log: EventLog, options: JournalOptions = {}): Promise<Journal> {
    const { state } = await rebuildFromLog(log);
    const journal = new Journal(log, state, options);
    if (options.core !== undefined) {
      const wanted = resolveCoreOptions(options.core);
      if (differingOptions(state.options, wanted).length > 0) {
        const at = Math.max((options.now ?? Date.now)(), state.now);
        await journal.receive({ at, type: 'options', options: { ...wanted } });
      }
    }
    return journal;
  }

  /** The core state after every input acted on so far. */
  get state(): CoreState {
    return this.current;
  }

  /**
   * Receives a record the host built: its `at` is the time it counts at. It is validated like
   * anything received; one that does not validate is logged as a reject at its `at`.
   * Rejects with `InvalidTimeError` (nothing logged) when `at` is not a time, with
   * `JournalClosedError` after `close()`, and with the log's error when the append fails (then
   * nothing was acted on: receiving it again is safe).
   * @example await journal.receive({ at: clock.now(), type: 'stop', recording: 'r1' });
   */
  async receive(record: TraceRecord, append?: ExtraAppendOptions): Promise<Received> {
    return this.receiveUntrusted(record, (record as { at?: unknown } | null)?.at as number, append);
  }

  /**
   * Receives a value from outside, of any shape. If it validates as a trace record, it is logged
   * and acted on at the record's own `at`; otherwise it is logged as a reject, with the reason,
   * at `receivedAt` (when it arrived, ms since the epoch). A repeat of something already logged
   * is acknowledged without acting again. Rejects like `receive`, and with `InvalidTimeError`
   * when `receivedAt` is not a time.
   * @example await journal.receiveUntrusted(JSON.parse(line), clock.now());
   */
  async receiveUntrusted(
    raw: unknown,
    receivedAt: number,
    append?: ExtraAppendOptions,
  ): Promise<Received> {
    if (this.closing !== null) throw new JournalClosedError();
    const work = this.appendAndAct(raw, receivedAt, append);
    // `close` waits for receives under way, including those still appending.
    this.inFlight.add(work);
    work.then(
      () => this.inFlight.delete(work),
      () => this.inFlight.delete(work),
    );
    return work;
  }

  private async appendAndAct(
    raw: unknown,
    receivedAt: number,
    append: ExtraAppendOptions | undefined,
  ): Promise<Received> {
    const received = readReceived(raw, receivedAt);
    const { item } = received;
    const onAppend = this.onAppend;
    const began = onAppend === undefined ? 0 : performance.now();
    const appended = await this.log.append(streamOf(item), [item], {
      ...append,
      expectedVersion: 'any',
    });
    onAppend?.(performance.now() - began);
    const position = appended.positions[0] as number;
    const repeated = appended.repeated[0] === true;
    // A repeat already acted on is acknowledged; one whose first receive failed after its
    // append (or another writer's) is acted on now, from the log.
    if (repeated && position <= this.current.position)
      return { position, repeated, item, outputs: [] };
    // Appends resolve in commit order, but acting is chained so it follows log positions.
    const acted = this.tail.then(() => this.act(position, repeated ? null : received));
    this.tail = acted.catch(() => {});
    const outputs = await acted;
    return { position, repeated, item, outputs };
  }

  /**
   * Steps every entry the log holds beyond this journal's position (appended by another writer,
   * such as another instance on a shared log), in log order, and resolves to what acting on them
   * gave. Chained with receives, so every entry is stepped once.
   * @example supervisor.act(await journal.follow());
   */
  follow(): Promise<CoreOutput[]> {
    if (this.closing !== null) return Promise.reject(new JournalClosedError());
    const acted = this.tail.then(async () => {
      const outputs: CoreOutput[] = [];
      for (;;) {
        const page = await this.log.readAll({ fromPosition: this.current.position + 1 });
        const last = page.at(-1);
        if (last === undefined) return outputs;
        outputs.push(...(await this.act(last.position, null)));
      }
    });
    this.tail = acted.catch(() => {});
    return acted;
  }

  /**
   * Writes a snapshot of the current state now. Rejects with the log's error when it cannot be
   * saved, and with `JournalClosedError` after `close()`.
   */
  async snapshot(): Promise<void> {
    if (this.closing !== null) throw new JournalClosedError();
    await this.tail;
    await saveCoreSnapshot(this.log, this.current);
    this.policy.reset();
  }

  /**
   * Stops receiving, lets every receive already under way finish, then closes the log. Calling
   * it again gives the same promise; receives and snapshots after it reject with
   * `JournalClosedError`.
   */
  close(): Promise<void> {
    this.closing ??= this.finish();
    return this.closing;
  }

  private async finish(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
    await this.tail;
    await this.log.close();
  }

  private async act(position: number, received: ReceivedItem | null): Promise<CoreOutput[]> {
    const outputs: CoreOutput[] = [];
    // Already stepped while catching up on an earlier call: its outputs went there.
    if (position <= this.current.position) return outputs;
    // Another writer may have appended in between: step its entries first, in log order. A
    // repeat is stepped from the log too, as it was first stored.
    const last = received === null ? position : position - 1;
    while (this.current.position < last) {
      const from = this.current.position + 1;
      const missing = await this.log.readAll({ fromPosition: from, limit: last - from + 1 });
      if (missing.length === 0) throw new LogGapError(from, last);
      for (const entry of missing) {
        this.collect(entry.item, stepLine(this.current, entry.item), outputs);
      }
    }
    if (received !== null) {
      const { item, signal } = received;
      this.collect(
        item,
        signal === null ? stepLine(this.current, item) : stepSignal(this.current, signal),
        outputs,
      );
    }
    // The outputs are the host's whatever happens to the snapshot.
    if (this.policy.observe(outputs)) await this.trySnapshot();
    return outputs;
  }

  private async trySnapshot(): Promise<void> {
    // Reset either way: a failed snapshot is tried again after another `snapshotEvery` inputs,
    // not on every receive.
    this.policy.reset();
    try {
      await saveCoreSnapshot(this.log, this.current);
    } catch (error) {
      try {
        this.onSnapshotError(error, this.current.position);
      } catch {
        // A failing report must not cost the host its outputs either.
      }
    }
  }

  private collect(item: ReceivedLine, result: CoreStep, outputs: CoreOutput[]): void {
    const before = this.current;
    this.current = result.state;
    this.onStep?.({ item, outputs: result.outputs, state: result.state }, before);
    outputs.push(...result.outputs);
  }
}

function warnSnapshotFailed(error: unknown, position: number): void {
  const why = error instanceof Error ? error.message : String(error);
  process.emitWarning(`recwatch: snapshot at log position ${position} failed: ${why}`, {
    code: 'RECWATCH_SNAPSHOT',
  });
}
