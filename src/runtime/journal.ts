// Append before act: every input is made durable in the event log, then stepped through the
// core. The journal is the event-sourcing spine the supervisor builds on.
import {
  CORE_STATE_VERSION,
  type CoreOptions,
  type CoreOutput,
  type CoreState,
  differingOptions,
  LiveCore,
  type ReceivedLine,
  resolveCoreOptions,
} from '../core/index.js';
import { coreTextWork, runWorkInSlices } from '../core/serialize-text.js';
import { RecwatchError } from '../errors/index.js';
import {
  type EventLog,
  LogGapError,
  type LogItem,
  type ReceivedItem,
  readReceived,
  SnapshotJsonText,
  streamOf,
} from '../log/index.js';
import type { TraceRecord } from '../signals/index.js';
import { JournalClosedError } from './errors.js';
import { rebuildFromLog } from './rebuild.js';
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
   * The longest a slice of writing a snapshot holds the event loop (ms): the text is written a
   * slice at a time, the loop turning in between. Default 1 (`SNAPSHOT_SLICE_MS`); 0 gives one
   * step per turn.
   */
  readonly snapshotSliceMs?: number;
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
   * Keeping the state before each step costs every step a snapshot (the core then copies what it
   * writes, as a pure `step` does); `onStepped` does not.
   */
  readonly onStep?: (step: JournalStep, before: CoreState) => void;
  /**
   * Told how long each append of a received input took (ms of real time, `performance.now`; a
   * group commit included), when it succeeded. For metrics: it must not throw. Default none.
   */
  readonly onAppend?: (ms: number) => void;
  /**
   * Told of every step as `onStep` is, without the state before it. The step's `state` is a
   * snapshot taken when first read, which must be within the call (read later, it throws
   * `StepStateGoneError`): a listener that never reads it costs the core nothing.
   */
  readonly onStepped?: (step: JournalStep) => void;
}

/** One step of the core: the item stepped (an input or a reject), its outputs, the state after. */
export interface JournalStep {
  readonly item: ReceivedLine;
  readonly outputs: readonly CoreOutput[];
  /**
   * The log position of the item (the state's position after it); the journal always sets it,
   * so reading it does not take a snapshot as reading `state` may.
   */
  readonly position?: number;
  readonly state: CoreState;
}

/**
 * A step's state read after the listener's call returned (see `JournalOptions.onStepped`): it is
 * no longer at hand. Read `state` within the call, or keep `position`.
 */
export class StepStateGoneError extends RecwatchError {
  override readonly name = 'StepStateGoneError';
  readonly code = 'STEP_STATE_GONE';
  constructor(position: number) {
    super(`the state after step ${position} was not read within its step: it is gone`);
  }
}

/** A step whose state is a snapshot taken when first read, while the core is still there. */
class LazyStep implements JournalStep {
  private taken: CoreState | null = null;
  private core: LiveCore | null;

  constructor(
    readonly item: ReceivedLine,
    readonly outputs: readonly CoreOutput[],
    readonly position: number,
    core: LiveCore,
  ) {
    this.core = core;
  }

  get state(): CoreState {
    if (this.taken !== null) return this.taken;
    if (this.core === null) throw new StepStateGoneError(this.position);
    this.taken = this.core.snapshot();
    return this.taken;
  }

  /** The core moves on: a state not read by now is gone. */
  seal(): void {
    this.core = null;
  }
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
   * they are stepped first and their outputs come here too. A repeat of an input this journal
   * has not acted on yet (its first receive failed after the append) is acted on now, and its
   * outputs come here.
   */
  readonly outputs: readonly CoreOutput[];
  /**
   * True when its entry was stepped before this receive came to act on it: by `follow()` (an
   * instance catching up on a shared log) or by another receive that found it in the log first.
   * `outputs` are then the outputs of its own step, already given to that earlier call: to
   * read (did the chart answer a `startSent` with its `start`?), not to act on again.
   */
  readonly actedBefore?: true;
}

/** The append options of an input with no extra ones: one object for them all. */
const ANY_VERSION = Object.freeze({ expectedVersion: 'any' } as const);

/**
 * How many entries stepped from the log keep their outputs for a receive still under way: far
 * more than can be stepped by others between an append's commit and its act.
 */
const MAX_ACTED_BEFORE = 10_000;

/**
 * The default slice of writing a snapshot, ms of the event loop. A request that turns the loop
 * several times (body, verify, append, answer) meets a slice at each turn while a snapshot is
 * written: with 5-ms slices the webhook bench's snapshot round read p99 21–36 ms, with 1-ms ones
 * 14–15 ms (2,000 req/s, docs/performance.md, 2026-12-07 evening); the text then takes ~1.5×
 * the wall time (95 → 140 ms for 50 recordings holding 50,000 dedupe keys).
 */
export const SNAPSHOT_SLICE_MS = 1;

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
  private readonly onStepped: JournalOptions['onStepped'];
  private readonly sliceMs: number;
  private readonly core: LiveCore;
  /** The latest step given to `onStepped`, sealed when the next one is taken. */
  private lastStep: LazyStep | null = null;
  /** The snapshot being written, if one is. */
  private writing: Promise<void> | null = null;
  private tail: Promise<unknown> = Promise.resolve();
  private closing: Promise<void> | null = null;
  private readonly inFlight = new Set<Promise<Received>>();
  /**
   * The outputs of entries stepped from the log while receives were under way, by position: one
   * of them may be a receive's own entry, stepped before it came to act (see `actedBefore`).
   * Emptied when no receive is under way; at most `MAX_ACTED_BEFORE`, the oldest leaving first.
   */
  private readonly steppedFromLog = new Map<number, CoreOutput[]>();

  private constructor(
    private readonly log: EventLog,
    from: CoreState,
    options: JournalOptions,
  ) {
    this.core = new LiveCore(from);
    this.policy = new SnapshotPolicy(options.snapshotEvery ?? 1000);
    this.onSnapshotError = options.onSnapshotError ?? warnSnapshotFailed;
    this.onStep = options.onStep;
    this.onAppend = options.onAppend;
    this.onStepped = options.onStepped;
    this.sliceMs = options.snapshotSliceMs ?? SNAPSHOT_SLICE_MS;
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

  /**
   * The core state after every input acted on so far: a snapshot, immutable (the core copies
   * what it writes next; `view` does not make it).
   */
  get state(): CoreState {
    return this.core.snapshot();
  }

  /**
   * The core state now, to read at once and not to keep: later inputs change it in place (see
   * `LiveCore.view`). For reading a field or two after acting (its next wake, a recording).
   */
  get view(): CoreState {
    return this.core.view;
  }

  /**
   * Receives a record the host built: its `at` is the time it counts at. It is validated like
   * anything received; one that does not validate is logged as a reject at its `at`.
   * Rejects with `InvalidTimeError` (nothing logged) when `at` is not a time, with
   * `JournalClosedError` after `close()`, and with the log's error when the append fails (then
   * nothing was acted on: receiving it again is safe).
   * @example await journal.receive({ at: clock.now(), type: 'stop', recording: 'r1' });
   */
  receive(record: TraceRecord, append?: ExtraAppendOptions): Promise<Received> {
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
  // Not async: the receive's own promise is returned, not a promise of it (two fewer promises
  // and their turns of the microtask queue per input).
  receiveUntrusted(
    raw: unknown,
    receivedAt: number,
    append?: ExtraAppendOptions,
  ): Promise<Received> {
    if (this.closing !== null) return Promise.reject(new JournalClosedError());
    const work = this.appendAndAct(raw, receivedAt, append);
    // `close` waits for receives under way, including those still appending.
    this.inFlight.add(work);
    const done = () => {
      this.inFlight.delete(work);
      if (this.inFlight.size === 0) this.steppedFromLog.clear();
    };
    work.then(done, done);
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
    const appended = await this.log.append(
      streamOf(item),
      [item],
      append === undefined ? ANY_VERSION : { ...append, expectedVersion: 'any' },
    );
    onAppend?.(performance.now() - began);
    const position = appended.positions[0] as number;
    const repeated = appended.repeated[0] === true;
    // A repeat already acted on is acknowledged; one whose first receive failed after its
    // append (or another writer's) is acted on now, from the log.
    if (repeated && position <= this.core.position)
      return { position, repeated, item, outputs: [] };
    // Appends resolve in commit order, but acting is chained so it follows log positions. An
    // entry a `follow()` (or another receive) stepped first is not stepped again: its outputs
    // are read back for its caller.
    const acted = this.tail.then(() =>
      position <= this.core.position ? null : this.act(position, repeated ? null : received),
    );
    this.tail = acted.catch(() => {});
    const outputs = await acted;
    if (outputs !== null) return { position, repeated, item, outputs };
    const before = this.steppedFromLog.get(position) ?? [];
    this.steppedFromLog.delete(position);
    return { position, repeated, item, outputs: before, actedBefore: true };
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
        const page = await this.log.readAll({ fromPosition: this.core.position + 1 });
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
    await this.writing;
    this.policy.reset();
    await this.writeSnapshot(this.core.snapshot());
  }

  /**
   * Resolves once the snapshot being written in the background (taken every `snapshotEvery`
   * inputs), if any, is saved or has failed (and been reported to `onSnapshotError`). Acting on
   * inputs never waits for it.
   * @example await journal.receive(record); await journal.snapshotWritten();
   */
  async snapshotWritten(): Promise<void> {
    await this.writing;
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
    await this.writing;
    await this.log.close();
  }

  private async act(position: number, received: ReceivedItem | null): Promise<CoreOutput[]> {
    const outputs: CoreOutput[] = [];
    // Already stepped while catching up on an earlier call: its outputs went there.
    if (position <= this.core.position) return outputs;
    // Another writer may have appended in between: step its entries first, in log order. A
    // repeat is stepped from the log too, as it was first stored.
    const last = received === null ? position : position - 1;
    while (this.core.position < last) {
      const from = this.core.position + 1;
      const missing = await this.log.readAll({ fromPosition: from, limit: last - from + 1 });
      if (missing.length === 0) throw new LogGapError(from, last);
      for (const entry of missing) {
        const start = outputs.length;
        this.collect(entry.item, null, outputs);
        if (this.inFlight.size > 0) this.keepStepped(entry.position, outputs.slice(start));
      }
    }
    if (received !== null) this.collect(received.item, received.signal, outputs);
    // The outputs are the host's whatever happens to the snapshot; a snapshot is written in
    // the background (one at a time), so acting never waits for it.
    if (this.policy.observe(outputs) && this.writing === null) this.startSnapshot();
    return outputs;
  }

  /** Keeps an entry's outputs for a receive of it still under way (see `steppedFromLog`). */
  private keepStepped(position: number, outputs: CoreOutput[]): void {
    this.steppedFromLog.set(position, outputs);
    if (this.steppedFromLog.size > MAX_ACTED_BEFORE) {
      const oldest = this.steppedFromLog.keys().next().value as number;
      this.steppedFromLog.delete(oldest);
    }
  }

  private startSnapshot(): void {
    // Reset either way: a failed snapshot is tried again after another `snapshotEvery` inputs,
    // not on every receive.
    this.policy.reset();
    const state = this.core.snapshot();
    this.writing = this.writeSnapshot(state)
      .catch((error: unknown) => {
        try {
          this.onSnapshotError(error, state.position);
        } catch {
          // A failing report must not cost the host its outputs either.
        }
      })
      .finally(() => {
        this.writing = null;
      });
  }

  /**
   * Writes a snapshot of `state` (immutable): its text is written a slice of a few ms at a time,
   * the event loop turning in between (a state of 100,000 recordings is written in thousands of
   * slices), then handed to the log in chunks (`SnapshotJsonText`).
   */
  private async writeSnapshot(state: CoreState): Promise<void> {
    const chunks = await runWorkInSlices(coreTextWork(state), this.sliceMs);
    await this.log.saveSnapshot({
      position: state.position,
      schemaVersion: CORE_STATE_VERSION,
      state: new SnapshotJsonText(chunks),
    });
  }

  /** Steps one item (or its signal, already read) and passes its step on to the listeners. */
  private collect(
    item: ReceivedLine,
    signal: ReceivedItem['signal'] | null,
    outputs: CoreOutput[],
  ): void {
    const { core } = this;
    const before = this.onStep === undefined ? null : core.snapshot();
    const stepped = signal == null ? core.stepLine(item) : core.stepSignal(signal);
    this.lastStep?.seal();
    this.lastStep = null;
    if (before !== null) {
      const state = core.snapshot();
      this.onStep?.({ item, outputs: stepped, position: state.position, state }, before);
    }
    if (this.onStepped !== undefined) {
      this.lastStep = new LazyStep(item, stepped, core.position, core);
      this.onStepped(this.lastStep);
    }
    for (const output of stepped) outputs.push(output);
  }
}

function warnSnapshotFailed(error: unknown, position: number): void {
  const why = error instanceof Error ? error.message : String(error);
  process.emitWarning(`recwatch: snapshot at log position ${position} failed: ${why}`, {
    code: 'RECWATCH_SNAPSHOT',
  });
}
