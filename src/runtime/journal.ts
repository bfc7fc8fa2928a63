// Append before act: every input is made durable in the event log, then stepped through the
// core. The journal is the event-sourcing spine the supervisor builds on.
import {
  type CoreOptions,
  type CoreOutput,
  type CoreState,
  type CoreStep,
  type ResolvedCoreOptions,
  resolveCoreOptions,
  stepLine,
  stepSignal,
} from '../core/index.js';
import { type EventLog, type ReceivedItem, readReceived, streamOf } from '../log/index.js';
import { rebuildFromLog, saveCoreSnapshot } from './rebuild.js';
import { SnapshotPolicy } from './snapshot-policy.js';

export interface JournalOptions {
  readonly core?: Partial<CoreOptions>;
  /** Snapshot once a recording has had this many inputs since the last one. Default 1000. */
  readonly snapshotEvery?: number;
}

/** What receiving one input did. */
export interface Received {
  /** Its position in the log. */
  readonly position: number;
  /** It was already in the log (a resend or retry): stored once, not acted on again. */
  readonly repeated: boolean;
  /**
   * What acting on it gave, in log order. When the log holds entries before it that this journal
   * has not stepped yet (another writer's, or its own whose append a store acknowledged later),
   * they are stepped first and their outputs come here too; a receive whose entry was stepped
   * that way has none of its own.
   */
  readonly outputs: readonly CoreOutput[];
}

/**
 * The log and the core, kept in step: `receive` appends first (durably) and acts after. Inputs
 * received concurrently share one group commit and are acted on in log order.
 * @example
 * const journal = await Journal.open(await openSqliteLog('recwatch.db'));
 * const { outputs } = await journal.receive({ at: Date.now(), type: 'tick' }, Date.now());
 */
export class Journal {
  private readonly policy: SnapshotPolicy;
  private tail: Promise<unknown> = Promise.resolve();
  /** The host's core options: an argument of every step, never part of the state. */
  private readonly settings: ResolvedCoreOptions;

  private constructor(
    private readonly log: EventLog,
    private current: CoreState,
    options: JournalOptions,
  ) {
    this.policy = new SnapshotPolicy(options.snapshotEvery ?? 1000);
    this.settings = resolveCoreOptions(options.core);
  }

  /** Opens a journal on a log, rebuilding the state from its latest snapshot and tail. */
  static async open(log: EventLog, options: JournalOptions = {}): Promise<Journal> {
    const { state } = await rebuildFromLog(
      log,
      options.core === undefined ? {} : { options: options.core },
    );
    return new Journal(log, state, options);
  }

  get state(): CoreState {
    return this.current;
  }

  /**
   * Appends what was received (an input, or a reject if it does not validate), then steps the core
   * with it. A repeat of something already logged is acknowledged without acting again.
   */
  async receive(raw: unknown, receivedAt: number): Promise<Received> {
    const received = readReceived(raw, receivedAt);
    const { item } = received;
    const appended = await this.log.append(streamOf(item), [item], { expectedVersion: 'any' });
    const position = appended.positions[0] as number;
    if (appended.repeated[0] === true) return { position, repeated: true, outputs: [] };
    // Appends resolve in commit order, but acting is chained so it follows log positions exactly.
    const acted = this.tail.then(() => this.act(position, received));
    this.tail = acted.catch(() => {});
    return acted;
  }

  /** Writes a snapshot of the current state now. */
  async snapshot(): Promise<void> {
    await this.tail;
    await saveCoreSnapshot(this.log, this.current, this.settings);
    this.policy.reset();
  }

  private async act(position: number, received: ReceivedItem): Promise<Received> {
    const outputs: CoreOutput[] = [];
    // Already stepped while catching up on an earlier call: its outputs went there.
    if (position <= this.current.position) return { position, repeated: false, outputs };
    // Another writer may have appended in between: step its entries first, in log order.
    while (this.current.position + 1 < position) {
      const from = this.current.position + 1;
      const missing = await this.log.readAll({ fromPosition: from, limit: position - from });
      if (missing.length === 0)
        throw new Error(`log positions ${from}..${position - 1} cannot be read`);
      for (const entry of missing)
        this.collect(stepLine(this.current, entry.item, this.settings), outputs);
    }
    const { item, signal } = received;
    this.collect(
      signal === null
        ? stepLine(this.current, item, this.settings)
        : stepSignal(this.current, signal, this.settings),
      outputs,
    );
    if (this.policy.observe(outputs)) {
      await saveCoreSnapshot(this.log, this.current, this.settings);
      this.policy.reset();
    }
    return { position, repeated: false, outputs };
  }

  private collect(result: CoreStep, outputs: CoreOutput[]): void {
    this.current = result.state;
    outputs.push(...result.outputs);
  }
}
