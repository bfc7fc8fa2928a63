// A core that owns its state: each step updates it in place (the edit token of its collections),
// and a snapshot, an immutable `CoreState`, is taken on demand in O(1) by giving up the token.
import type { Signal, TraceRecord } from '../signals/index.js';
import { Edit } from '../stream/collections/index.js';
import type { CoreOutput } from './decisions.js';
import { Fold } from './fold.js';
import type { ResolvedCoreOptions } from './options.js';
import { type CoreState, createCore } from './state.js';
import { type CoreStep, type ReceivedLine, rejectIn, signalIn, stepIn } from './step.js';
import { checkedRecordOf } from './trace.js';

/**
 * The core as an object that owns its state: `step(record)` updates that state in place and
 * returns the outputs, which are exactly those `step(state, record)` gives, and `snapshot()`
 * returns the state as an immutable `CoreState` equal to the one folding `step` gives.
 *
 * How: the state's collections (persistent maps, dedupe's key sets, reorder's streams) are
 * changed in place only through nodes made under the core's edit token. A snapshot gives that
 * token up: the next step takes a new one, so it copies (once) any node the snapshot shares
 * instead of changing it, and the snapshot stays as it was. A snapshot costs O(1) when taken;
 * the copies come later, one path per node written, and only after a snapshot. Between
 * snapshots, a step copies nothing.
 * @example
 * const core = new LiveCore();
 * const outputs = core.step({ at: 0, type: 'start', recording: 'r1', cname: 'room1', uid: '1001', mode: 'mix' });
 * const frozen = core.snapshot(); // immutable: later steps never change it
 */
export class LiveCore {
  private current: CoreState;
  private fold: Fold;
  /** The current state was handed out by `snapshot()`: the next step needs a new token. */
  private shared = true;

  /**
   * @param from the state to start from (a rebuilt one, a snapshot): it is never changed.
   * @param options.options the host's override of the options, given to every step instead of
   *   the options in force (rule 12), as `step`'s `override`.
   */
  constructor(
    from: CoreState = createCore(),
    private readonly options: { readonly options?: ResolvedCoreOptions } = {},
  ) {
    this.current = from;
    this.fold = this.newFold();
  }

  /** Steps a record the host built; its outputs (as `step`). */
  step(record: TraceRecord): readonly CoreOutput[] {
    return this.take(stepIn(this.writable(), this.current, record));
  }

  /** Steps a value of any shape (as `stepUntrusted`): one that does not validate is rejected. */
  stepUntrusted(raw: unknown): readonly CoreOutput[] {
    return this.take(stepIn(this.writable(), this.current, raw));
  }

  /** Steps an input already normalized (as `stepSignal`). */
  stepSignal(signal: Signal): readonly CoreOutput[] {
    return this.take(signalIn(this.writable(), this.current, signal));
  }

  /** Records an input rejected before the core (as `stepRejected`). */
  stepRejected(at: number, reason: string, raw: unknown): readonly CoreOutput[] {
    return this.take(rejectIn(this.writable(), this.current, at, reason, raw));
  }

  /** Steps a logged item or a trace line (as `stepLine`); a trace line is not validated again. */
  stepLine(line: ReceivedLine): readonly CoreOutput[] {
    if (line.kind === 'reject') return this.stepRejected(line.at, line.reason, line.raw);
    return this.take(stepIn(this.writable(), this.current, line.record, checkedRecordOf(line)));
  }

  /** Inputs consumed so far: the position of the last one. */
  get position(): number {
    return this.current.position;
  }

  /**
   * The state now, to read at once and not to keep: the next step changes it in place. For a
   * caller that reads a field or two after a step (its position, its next wake) without the
   * cost of a snapshot. Keep `snapshot()` instead.
   */
  get view(): CoreState {
    return this.current;
  }

  /**
   * The state now, immutable from here on: later steps never change it. O(1); the step after
   * it copies the nodes it writes that this snapshot shares. Two snapshots with no step in
   * between are the same value.
   */
  snapshot(): CoreState {
    this.shared = true;
    return this.current;
  }

  private writable(): Fold {
    if (this.shared) {
      this.fold = this.newFold();
      this.shared = false;
    }
    return this.fold;
  }

  private newFold(): Fold {
    // A live core holds a key set per sid for as long as it runs: compact ones.
    // And it writes each step's state into the one object of its own (see `view`), until a
    // snapshot hands that object out and a new fold begins.
    return new Fold({
      override: this.options.options ?? null,
      edit: new Edit(),
      compactKeys: true,
      ownsStates: true,
    });
  }

  private take(result: CoreStep): readonly CoreOutput[] {
    this.current = result.state;
    return result.outputs;
  }
}
