// The core's step: (state, input) → (state, outputs). Normalize → dedupe → reorder → route →
// the machine of each recording, collecting a decision for every input and the machines' outputs.
import {
  lifecycleState,
  queryShowsLife,
  type RecordingEvent,
  type RecordingSnapshot,
  stepRecording,
} from '../../machines/index.js';
import {
  type Notification,
  normalizeInput,
  normalizeRecord,
  type Signal,
  type TraceRecord,
} from '../signals/index.js';
import {
  type Edit,
  peekTime,
  popTime,
  pushTime,
  timeQueueOf,
  timeQueueSize,
} from '../stream/collections/index.js';
import {
  advance,
  dedupe,
  expireDedupe,
  finishSid,
  forgetSid,
  offer,
  offerInOrder,
  orderMatters,
  type Released,
} from '../stream/index.js';
import type { CoreOutput, Decision, DecisionKind } from './decisions.js';
import { type Fold, type FoldSettings, plainFold } from './fold.js';
import { labelOf, labelOfRaw } from './labels.js';
import { toRecordingEvent, toRecordingNotification } from './machine-events.js';
import { type ResolvedCoreOptions, readRecordedOptions } from './options.js';
import {
  type CoreState,
  newRecording,
  type Parked,
  pendingStartOf,
  type RecordingEntry,
  sidsOf,
  startKey,
  startKeysOf,
  wakeOf,
} from './state.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The result of one step. */
export interface CoreStep {
  readonly state: CoreState;
  readonly outputs: readonly CoreOutput[];
}

/** A deadline loop bound: a tick fires what is due; this many rounds cover any cascade. */
export const MAX_TICK_ROUNDS = 8;

/**
 * Consumes one record the host built (a command, a call's result, a notification it received, a
 * tick) and returns the new state and the outputs: a decision for the input (and for held inputs
 * it releases), the machine events it delivered, and the effects and domain events of the
 * machines it reached. Pure: the given state is not changed. The record is still validated
 * (types do not exist at run time): one that does not validate is decided `rejected` with the
 * reason. For values from outside, whose shape nobody checked, use `stepUntrusted`. The options
 * are the state's (rule 12: set by `options` records); `override` replaces them for this step
 * (a host that overrides a log's options gives the same override to every step of it).
 * @example
 * let state = createCore();
 * ({ state } = step(state, { at: 0, type: 'start', recording: 'r1', cname: 'room1', uid: '1001', mode: 'mix' }));
 */
export function step(
  state: CoreState,
  record: TraceRecord,
  override?: ResolvedCoreOptions,
): CoreStep {
  return stepIn(plainFold(override), state, record);
}

/**
 * `step` for a value of any shape (a line read from a file, a body from the network): if it
 * validates as a trace record it is stepped, otherwise it is decided `rejected` with the reason.
 * Never throws for any `raw`.
 * @example ({ state } = stepUntrusted(state, JSON.parse(line)));
 */
export function stepUntrusted(
  state: CoreState,
  raw: unknown,
  override?: ResolvedCoreOptions,
): CoreStep {
  return stepIn(plainFold(override), state, raw);
}

/**
 * `step` within a fold: with the fold's edit token, maps the token owns are updated in place.
 * Only for a fold that owns its state until it is done (see `Replay`). `checked`: `raw` as
 * `parseTraceRecord` validated it, when the caller has it.
 */
export function stepIn(
  fold: Fold,
  state: CoreState,
  raw: unknown,
  checked?: TraceRecord,
): CoreStep {
  const run = stepRunOf(fold, state);
  // A record the trace reader already validated is not validated again (the same result).
  const normalized = checked === undefined ? normalizeInput(raw) : normalizeRecord(checked);
  if (normalized.ok) run.consume(normalized.value);
  else
    run.decide(run.position, readAt(raw) ?? state.now, 'rejected', labelOfRaw(raw), {
      reason: normalized.error.message,
    });
  return run.result();
}

/**
 * `step` for an input already normalized (`normalizeInput`): the same result, without reading
 * the input again. For a shell that validated it on receipt.
 * @example ({ state } = stepSignal(state, signal));
 */
export function stepSignal(
  state: CoreState,
  signal: Signal,
  override?: ResolvedCoreOptions,
): CoreStep {
  return signalIn(plainFold(override), state, signal);
}

/** `stepSignal` within a fold (see `stepIn`). */
export function signalIn(fold: Fold, state: CoreState, signal: Signal): CoreStep {
  const run = stepRunOf(fold, state);
  run.consume(signal);
  return run.result();
}

/**
 * Records an input that was rejected before it reached the core (a log reject), so positions
 * stay aligned with the log and the reason is in the timeline.
 * @example ({ state } = stepRejected(state, Date.now(), 'at: expected a number', raw));
 */
export function stepRejected(
  state: CoreState,
  at: number,
  reason: string,
  raw: unknown,
  override?: ResolvedCoreOptions,
): CoreStep {
  return rejectIn(plainFold(override), state, at, reason, raw);
}

/** `stepRejected` within a fold (see `stepIn`). */
export function rejectIn(
  fold: Fold,
  state: CoreState,
  at: number,
  reason: string,
  raw: unknown,
): CoreStep {
  const run = stepRunOf(fold, state);
  run.decide(run.position, at, 'rejected', labelOfRaw(raw), { reason });
  return run.result();
}

/**
 * What was received, as a log entry or a trace line keeps it: an input as received, or a reject
 * with its reason. `LogItem` and `TraceLine` are both of this shape.
 */
export type ReceivedLine =
  | { readonly kind: 'input'; readonly record: unknown }
  | {
      readonly kind: 'reject';
      readonly at: number;
      readonly reason: string;
      readonly raw: unknown;
    };

/**
 * Steps a logged item or a trace line: an input is stepped, a reject recorded with its reason.
 * @example for (const entry of page) ({ state } = stepLine(state, entry.item));
 */
export function stepLine(
  state: CoreState,
  line: ReceivedLine,
  override?: ResolvedCoreOptions,
): CoreStep {
  return line.kind === 'input'
    ? stepUntrusted(state, line.record, override)
    : stepRejected(state, line.at, line.reason, line.raw, override);
}

function readAt(raw: unknown): number | undefined {
  try {
    if (raw === null || typeof raw !== 'object' || !('at' in raw)) return undefined;
    return typeof raw.at === 'number' && Number.isFinite(raw.at) ? raw.at : undefined;
  } catch {
    // A throwing getter or a proxy's trap: the reject takes the core's time.
    return undefined;
  }
}

/**
 * A run for a step from `state`: a fold that owns its states (a `LiveCore`'s) uses one run for
 * all its steps, one after the other (no step begins inside another); any other, one per step.
 */
function stepRunOf(fold: Fold, state: CoreState): StepRun {
  if (!fold.ownsStates) return new StepRun(fold).begin(state);
  let run = fold.run;
  if (run === null) {
    run = new StepRun(fold);
    fold.run = run;
  }
  return run.begin(state);
}

/**
 * The work of one step. It never changes the state it was given: it works on its own copies of
 * the state's fields (persistent maps, so a change shares everything else) and builds the new
 * state once, at the end.
 */
export class StepRun {
  outputs: CoreOutput[] = [];
  position = 0;
  private base: CoreState | null = null;
  private now = 0;
  private inForce!: CoreState['options'];
  private pendingStarts!: CoreState['pendingStarts'];
  private recordings!: CoreState['recordings'];
  private sidOwners!: CoreState['sidOwners'];
  private dedupe!: CoreState['dedupe'];
  private reorder!: CoreState['reorder'];
  private unknownSids!: CoreState['unknownSids'];
  private wakes!: CoreState['wakes'];
  private finished!: CoreState['finished'];
  /** Why this step's input is decided at another time than its own `at` (time went back). */
  private clockNote: string | undefined;

  private options!: ResolvedCoreOptions;
  private settings!: FoldSettings;
  private readonly edit: Edit | null;
  /** Nobody listens (a replay for its state alone): decisions and outputs are not made. */
  private readonly quiet: boolean;

  constructor(readonly fold: Fold) {
    ({ edit: this.edit, quiet: this.quiet } = fold);
  }

  /** Begins a step from `base`: this run's fields are the state's (a run may be used again). */
  begin(base: CoreState): this {
    this.base = base;
    this.outputs = [];
    this.clockNote = undefined;
    this.settings = this.fold.settings(base.options);
    this.options = this.settings.options;
    this.position = base.position + 1;
    this.now = base.now;
    this.inForce = base.options;
    this.pendingStarts = base.pendingStarts;
    this.recordings = base.recordings;
    this.sidOwners = base.sidOwners;
    this.dedupe = base.dedupe;
    this.reorder = base.reorder;
    this.unknownSids = base.unknownSids;
    this.wakes = base.wakes;
    this.finished = base.finished;
    return this;
  }

  result(): CoreStep {
    const { fold } = this;
    const owned = fold.owned as Mutable<CoreState> | null;
    if (owned !== null && owned === this.base) {
      // The fold's own state object, which nobody else holds: the next state is written in it.
      owned.position = this.position;
      owned.options = this.inForce;
      owned.pendingStarts = this.pendingStarts;
      owned.now = this.now;
      owned.recordings = this.recordings;
      owned.sidOwners = this.sidOwners;
      owned.dedupe = this.dedupe;
      owned.reorder = this.reorder;
      owned.unknownSids = this.unknownSids;
      owned.wakes = this.wakes;
      owned.finished = this.finished;
      return { state: owned, outputs: this.outputs };
    }
    const state: CoreState = {
      position: this.position,
      options: this.inForce,
      pendingStarts: this.pendingStarts,
      now: this.now,
      recordings: this.recordings,
      sidOwners: this.sidOwners,
      dedupe: this.dedupe,
      reorder: this.reorder,
      unknownSids: this.unknownSids,
      wakes: this.wakes,
      finished: this.finished,
    };
    if (fold.ownsStates) fold.owned = state;
    return { state, outputs: this.outputs };
  }

  decide(
    position: number,
    at: number,
    decision: DecisionKind,
    input: string,
    extra: Omit<Decision, 'kind' | 'position' | 'at' | 'decision' | 'input'> = {},
  ): Mutable<Decision> {
    if (this.quiet) return DISCARDED;
    const made: Mutable<Decision> = { kind: 'decision', position, at, decision, input };
    // Copied field by field: a spread here costs more than the rest of a decision (runs per input).
    if (extra.recording !== undefined) made.recording = extra.recording;
    if (extra.sid !== undefined) made.sid = extra.sid;
    if (extra.reason !== undefined) made.reason = extra.reason;
    else if (position === this.position && this.clockNote !== undefined)
      made.reason = this.clockNote;
    if (extra.gap !== undefined) made.gap = extra.gap;
    if (extra.state !== undefined) made.state = extra.state;
    this.outputs.push(made);
    return made;
  }

  /**
   * `decide` for an input that reaches its recording's machine (most inputs): the same decision,
   * its fields given one by one rather than in an object made for the call.
   */
  private decideApplied(
    position: number,
    at: number,
    decision: DecisionKind,
    input: string,
    recording: string,
    sid: string | undefined,
    gap: Decision['gap'] | null,
  ): Mutable<Decision> {
    if (this.quiet) return DISCARDED;
    const made: Mutable<Decision> = { kind: 'decision', position, at, decision, input, recording };
    if (sid !== undefined) made.sid = sid;
    if (position === this.position && this.clockNote !== undefined) made.reason = this.clockNote;
    if (gap != null) made.gap = gap;
    this.outputs.push(made);
    return made;
  }

  private labelOf(parked: Parked): string {
    if (this.quiet) return '';
    return labelOf({ at: parked.at, type: 'notification', notification: parked.notification });
  }

  consume(received: Signal): void {
    const { position } = this;
    // Observed time never goes back: an input stamped before the core's time was received after
    // what the core already acted on, so it is taken as happening now (and the timeline says so).
    const behind = this.now - received.at;
    const signal = behind > 0 ? { ...received, at: this.now } : received;
    if (behind > 0)
      this.clockNote = `observed ${behind} ms before the core's time: taken as ${this.now}`;
    const at = signal.at;
    const label = this.quiet ? '' : labelOf(signal);
    if (signal.type === 'notification') {
      this.notification(signal.notification, at, label);
      return;
    }
    this.now = Math.max(this.now, at);
    if (signal.type === 'tick') {
      // Time is an input: only a tick lets it pass (holds expire, deadlines fire), so any other
      // input, a duplicate above all, changes nothing by the mere time it carries.
      this.decide(position, at, 'applied', label);
      this.passTime(this.now);
      this.fireDue(this.now);
      return;
    }
    if (signal.type === 'options') {
      this.setOptions(signal.options, position, at, label);
      return;
    }
    const { recording } = signal;
    if (recording === undefined) {
      // A `resumed` of the whole log.
      this.decide(position, at, 'applied', label);
      this.resumeAll(at);
      return;
    }
    if (signal.type === 'start' && !this.recordings.has(recording)) {
      const entry = newRecording(recording);
      this.recordings = this.recordings.set(recording, entry, this.edit);
    }
    const entry = this.recordings.get(recording);
    if (entry === undefined) {
      this.decide(position, at, 'rejected', label, {
        recording: recording,
        reason: `unknown recording '${recording}'`,
      });
      return;
    }
    if (signal.type === 'query' && entry.snapshot.context.session?.sid !== signal.sid) {
      const orphan = isOrphanQuery(entry.snapshot, signal);
      const reason = orphan
        ? 'a previous sid that shows life: an orphan, stopped (rule 13)'
        : this.sidOwners.has(signal.sid)
          ? 'a previous sid'
          : 'not the current sid';
      const made = this.decide(position, at, 'stale', label, {
        recording: recording,
        sid: signal.sid,
        reason,
      });
      if (orphan !== null)
        made.state = this.stepMachine(recording, entry, {
          type: 'orphanLife',
          at,
          sid: signal.sid,
          uid: orphan,
        });
      return;
    }
    if (
      signal.type === 'stopResult' &&
      signal.sid !== undefined &&
      entry.snapshot.context.session?.sid !== signal.sid
    ) {
      // The answer to an orphan's stop (rule 13): it says nothing of the current session.
      const earlier = this.sidOwners.get(signal.sid) === recording;
      this.decide(position, at, 'stale', label, {
        recording,
        sid: signal.sid,
        reason: earlier ? 'the stop of an earlier session' : 'not a session of this recording',
      });
      return;
    }
    const attemptUid = entry.snapshot.context.attempt?.uid;
    if (signal.type === 'startSent' && attemptUid !== signal.uid) {
      // Rule 12: the start of another attempt (one given up, or never made): nothing to send.
      this.decide(position, at, 'ignored', label, {
        recording,
        reason: `startSentOtherUid: the start attempt is on uid ${attemptUid ?? '(none)'}`,
        state: lifecycleState(entry.snapshot),
      });
      return;
    }
    this.apply(recording, entry, toRecordingEvent(signal), position, 'applied', label);
    // (Unless the recording finished and, past the cap, already left memory.)
    if (signal.type === 'started' && this.recordings.has(recording))
      this.adopt(signal.sid, recording, at);
  }

  /**
   * An `options` record (rule 12): from the next input on, the state's options are these. A
   * record whose options do not read is rejected with the reason, and changes nothing.
   */
  private setOptions(raw: unknown, position: number, at: number, label: string): void {
    const read = readRecordedOptions(raw);
    if (!read.ok) {
      this.decide(position, at, 'rejected', label, { reason: read.reason });
      return;
    }
    this.inForce = read.value;
    this.decide(position, at, 'applied', label);
  }

  /** A process opened the log (rule 12): every live recording decides what to resend or settle. */
  private resumeAll(at: number): void {
    const live: [string, RecordingEntry][] = [];
    for (const [id, entry] of this.recordings.entries())
      if (entry.snapshot.status === 'active') live.push([id, entry]);
    for (const [id, entry] of live) this.stepMachine(id, entry, { type: 'resumed', at });
  }

  /** Time moves to `at`: expired reorder holds release, unknown-sid holds expire, dedupe forgets. */
  private passTime(at: number): void {
    this.dedupe = expireDedupe(this.dedupe, at, this.settings.dedupe);
    const expired = advance(this.reorder, at, this.settings.reorder);
    this.reorder = expired.state;
    for (const released of expired.released) this.route(released, at);
    this.forgetFinished(at);
    const holdMs = this.options.unknownSidHoldMs;
    if (this.unknownSids.size === 0) return;
    // A list first: with an edit token the map changes in place as entries expire.
    for (const [sid, parked] of [...this.unknownSids]) {
      const first = parked[0];
      if (first === undefined || first.at + holdMs > at) continue;
      this.unknownSids = this.unknownSids.delete(sid, this.edit);
      for (const p of parked) {
        this.decide(p.position, at, 'unrouted', this.labelOf(p), {
          sid,
          reason: `no start named sid ${sid} within ${holdMs} ms (or its recording has finished and left memory)`,
        });
      }
      this.disown(sid, at);
    }
  }

  /**
   * A sid nobody claimed: dedupe forgets it like a finished one, and reorder too unless it still
   * holds some of its news (which comes here again when released), so stray sids never pile up.
   */
  private disown(sid: string, at: number): void {
    this.dedupe = finishSid(this.dedupe, sid, at, this.settings.dedupe);
    if (!this.reorder.holding.has(sid))
      this.reorder = forgetSid(this.reorder, sid, at, this.settings.reorder).state;
  }

  /** Finished recordings whose retention ran out by `at` leave memory (the log keeps them). */
  private forgetFinished(at: number): void {
    const { retainFinishedMs } = this.options;
    for (
      let first = peekTime(this.finished);
      first !== null && first.at + retainFinishedMs <= at;
      first = peekTime(this.finished)
    ) {
      this.finished = popTime(this.finished);
      this.forget(first.id);
    }
  }

  /** A recording has finished: it joins the finished ones; past the cap, the earliest leave. */
  private finish(recording: string, at: number): void {
    this.finished = pushTime(this.finished, at, recording);
    while (timeQueueSize(this.finished) > this.options.maxFinishedRecordings) {
      const first = peekTime(this.finished);
      if (first === null) break;
      this.finished = popTime(this.finished);
      this.forget(first.id);
    }
  }

  /** A finished recording leaves memory with its sids: later news of them is news of no one. */
  private forget(recording: string): void {
    const entry = this.recordings.get(recording);
    if (entry === undefined) return;
    this.fold.forgotten?.set(recording, entry.snapshot);
    this.recordings = this.recordings.delete(recording, this.edit);
    for (const sid of sidsOf(entry.snapshot)) {
      if (this.sidOwners.get(sid) === recording)
        this.sidOwners = this.sidOwners.delete(sid, this.edit);
    }
  }

  /** Rule 8, then rule 9: drop copies, then hold or release in sequence order. */
  private notification(notification: Notification, at: number, label: string): void {
    const { position } = this;
    const checked = dedupe(this.dedupe, notification, at, this.settings.dedupe);
    if (checked.duplicate) {
      this.decide(position, at, 'duplicate', label, { sid: notification.sid });
      return;
    }
    this.dedupe = checked.state;
    this.now = Math.max(this.now, at);
    const recording = this.sidOwners.get(notification.sid);
    const entry = recording === undefined ? undefined : this.recordings.get(recording);
    const owner = entry?.snapshot;
    if (
      recording !== undefined &&
      (owner?.context.session?.sid !== notification.sid || owner.status !== 'active')
    ) {
      // A previous sid's late news (redundant quits after a restart), or news of a recording that
      // has ended (the 11/31/32 after a host stop): kept, shown, never applied, never held.
      this.stale(position, at, label, recording, notification);
      return;
    }
    const parked: Parked = { position, at, notification };
    const matters = orderMatters(notification);
    // Nearly always the next of a stream holding nothing: it passes at once (no result made).
    const passed = offerInOrder(this.reorder, notification, matters, this.settings.reorder);
    if (passed !== null) {
      this.reorder = passed;
      this.deliver(parked, null, false, at, recording, entry, label);
      return;
    }
    const ordered = offer(this.reorder, notification, parked, at, matters, this.settings.reorder);
    this.reorder = ordered.state;
    if (ordered.held) {
      this.decide(position, at, 'held', label, {
        sid: notification.sid,
        reason: 'waiting for an earlier sequence',
      });
    }
    const { released } = ordered;
    const first = released[0];
    // Nearly always just the one offered: its owner was looked up above and has not changed.
    if (first !== undefined && released.length === 1 && first.item === parked)
      this.deliver(parked, first.gap, first.late, at, recording, entry, label);
    else for (const each of released) this.route(each, at);
  }

  /** Routes a notification let through by reorder to its recording's machine, if it has one. */
  private route(released: Released<Parked>, at: number): void {
    const { item, gap, late } = released;
    const recording = this.sidOwners.get(item.notification.sid);
    const entry = recording === undefined ? undefined : this.recordings.get(recording);
    this.deliver(item, gap, late, at, recording, entry);
  }

  /**
   * `route`, with the sid's owner and its entry already looked up; `known`: the item's label
   * when the caller has it (the input just offered: its label is not built twice).
   */
  private deliver(
    item: Parked,
    gap: Released<Parked>['gap'],
    late: boolean,
    at: number,
    recording: string | undefined,
    entry: RecordingEntry | undefined,
    known?: string,
  ): void {
    const { sid } = item.notification;
    const label = known ?? this.labelOf(item);
    if (recording === undefined) {
      const adopter = this.adopterOf(item.notification);
      if (adopter !== undefined) {
        const pending = this.recordings.get(adopter);
        const key = startKey(item.notification.cname, item.notification.uid);
        if (pending === undefined || pendingStartOf(pending.snapshot) === key) {
          this.adoptAndDeliver(item, gap, late, at, adopter, label);
          return;
        }
        if (LIFE_EVENTS.has(item.notification.eventType)) {
          this.givenUpStartLife(item, at, adopter, pending, label);
          return;
        }
      }
      this.unknownSids = this.unknownSids.set(
        sid,
        [...(this.unknownSids.get(sid) ?? []), item],
        this.edit,
      );
      this.decide(item.position, at, 'held', label, { sid, reason: `sid ${sid} not known yet` });
      return;
    }
    if (entry === undefined || entry.snapshot.context.session?.sid !== sid) {
      this.stale(item.position, at, label, recording, item.notification);
      return;
    }
    const kind: DecisionKind = late ? 'late' : gap !== null ? 'releasedAfterGap' : 'applied';
    const event = notificationEvent(item, late, at);
    this.apply(recording, entry, event, item.position, kind, label, gap);
  }

  /**
   * Rule 11: the notification names the channel and uid of a start that is out, on a sid nobody
   * owns: its decision first, then the adoption (the machine is told `started`, what waited for
   * the sid goes through), then the notification itself.
   */
  private adoptAndDeliver(
    item: Parked,
    gap: Released<Parked>['gap'],
    late: boolean,
    at: number,
    recording: string,
    label: string,
  ): void {
    const { sid } = item.notification;
    const kind: DecisionKind = late ? 'late' : gap !== null ? 'releasedAfterGap' : 'applied';
    const made = this.decide(item.position, at, kind, label, {
      recording,
      sid,
      reason: `adopted: sid ${sid} names the channel and uid of a start whose answer is not in (rule 11)`,
      ...(gap !== null && { gap }),
    });
    if (!this.adoptStart(recording, item.notification, at)) return;
    const entry = this.recordings.get(recording);
    if (entry === undefined) return;
    made.state = this.stepMachine(recording, entry, notificationEvent(item, late, at));
  }

  private stale(
    position: number,
    at: number,
    label: string,
    recording: string,
    notification: Notification,
  ): void {
    const { sid } = notification;
    // Its recording is done with it: if dedupe had forgotten it, this copy is not kept for good.
    this.dedupe = finishSid(this.dedupe, sid, at, this.settings.dedupe);
    const entry = this.recordings.get(recording);
    const orphan = entry !== undefined && isOrphanLife(entry.snapshot, notification);
    const afterStop = entry !== undefined && isLifeAfterStop(entry.snapshot, notification);
    const made = this.decide(position, at, 'stale', label, {
      recording,
      sid,
      reason: orphan
        ? 'a previous sid that shows life: an orphan, stopped (rule 13)'
        : afterStop
          ? 'life on the session of a stopped recording: stopped again (rules 10, 13)'
          : 'a previous sid',
      ...(entry !== undefined && { state: lifecycleState(entry.snapshot) }),
    });
    if (afterStop && entry !== undefined && !this.quiet) {
      // Its stop was answered 404 while it was moving (rule 10), and it came back: the host
      // stopped it, so it is stopped again rather than left running unseen and billed.
      const session = entry.snapshot.context.session;
      if (session !== null) {
        this.outputs.push({ kind: 'effect', recording, type: 'stop', ...session });
        this.outputs.push({
          kind: 'event',
          recording,
          type: 'orphanStopped',
          sid,
          uid: notification.uid,
        });
      }
    }
    if (orphan && entry !== undefined)
      made.state = this.stepMachine(recording, entry, {
        type: 'orphanLife',
        at,
        sid,
        uid: notification.uid,
      });
  }

  /**
   * Rule 13's last sentence: a sid nobody owns names the channel and uid of a start `recording`
   * gave up (its settle window passed, rule 11): that start made a recorder after all, a second
   * one the host pays for. It is sent its stop; the notification changes nothing else.
   */
  private givenUpStartLife(
    item: Parked,
    at: number,
    recording: string,
    entry: RecordingEntry,
    label: string,
  ): void {
    const { sid, uid } = item.notification;
    const made = this.decide(item.position, at, 'stale', label, {
      recording,
      sid,
      reason: `sid ${sid} names the channel and uid of a start given up: an orphan, stopped (rule 13)`,
    });
    made.state = this.stepMachine(recording, entry, { type: 'orphanLife', at, sid, uid });
  }

  /** Rule 11: the recording whose start, out and not yet named, this notification's channel and uid name. */
  private adopterOf(notification: Notification): string | undefined {
    return this.pendingStarts.get(startKey(notification.cname, notification.uid));
  }

  /**
   * Adopts the notification's sid as the session of `recording`'s start (rule 11): the machine
   * is told `started` (with the attempt's resource), and what waited for the sid goes through.
   * False when the machine did not take it.
   */
  private adoptStart(recording: string, notification: Notification, at: number): boolean {
    const entry = this.recordings.get(recording);
    const resourceId = entry?.snapshot.context.attempt?.resourceId;
    if (entry === undefined || resourceId == null) return false;
    const { sid, uid } = notification;
    this.stepMachine(recording, entry, {
      type: 'started',
      at,
      sid,
      resourceId,
      uid,
      adopted: true,
    });
    if (this.recordings.get(recording)?.snapshot.context.session?.sid !== sid) return false;
    this.adopt(sid, recording, at);
    return true;
  }

  /** A `started` named a sid: it belongs to the recording now; what waited for it goes through. */
  private adopt(sid: string, recording: string, at: number): void {
    this.sidOwners = this.sidOwners.set(sid, recording, this.edit);
    const waiting = this.unknownSids.get(sid);
    if (waiting === undefined) return;
    this.unknownSids = this.unknownSids.delete(sid, this.edit);
    for (const item of waiting) {
      this.route(
        {
          sid,
          uid: item.notification.uid,
          sequence: item.notification.sequence,
          item,
          gap: null,
          late: false,
          heldFor: 0,
        },
        at,
      );
    }
  }

  /** Fires the deadlines due by `at`: pops due recordings off the wake queue, earliest first. */
  private fireDue(at: number): void {
    let rounds: Map<string, number> | null = null;
    const deferred: string[] = [];
    for (let due = peekTime(this.wakes); due !== null && due.at <= at; due = peekTime(this.wakes)) {
      this.wakes = popTime(this.wakes, this.edit);
      const entry = this.recordings.get(due.id);
      // Not the recording's live entry: one an earlier deadline replaced. Dropped.
      if (entry === undefined || entry.queued !== due.at) continue;
      const wake = wakeOf(entry);
      if (wake === null || wake > due.at) {
        // The deadline moved later (or went) without a new entry (see stepMachine): queue it now.
        this.requeue(due.id, entry);
        continue;
      }
      rounds ??= new Map();
      const round = (rounds.get(due.id) ?? 0) + 1;
      rounds.set(due.id, round);
      if (round > MAX_TICK_ROUNDS) {
        deferred.push(due.id);
        continue;
      }
      // The live entry is used up: the step queues the next one.
      this.stepMachine(due.id, { ...entry, queued: null }, { type: 'tick', at });
    }
    for (const recording of deferred) {
      const entry = this.recordings.get(recording);
      if (entry !== undefined) this.requeue(recording, entry);
    }
    this.compactWakes();
  }

  /** Gives a recording whose live entry surfaced a new one at its wake (or none). */
  private requeue(recording: string, entry: RecordingEntry): void {
    const queued = wakeOf(entry);
    if (queued !== null) this.wakes = pushTime(this.wakes, queued, recording, this.edit);
    this.recordings = this.recordings.set(recording, { ...entry, queued }, this.edit);
  }

  /**
   * Rebuilds the queue from the live entries when replaced ones outnumber them: each recording
   * has at most one live entry, and this bounds the replaced ones too (they would otherwise wait
   * until their time passes, and time may stand still or go back).
   */
  private compactWakes(): void {
    if (timeQueueSize(this.wakes) <= 2 * this.recordings.size + 16) return;
    const live: [string, number | null][] = [];
    for (const [recording, entry] of this.recordings.entries())
      live.push([recording, entry.queued]);
    this.wakes = timeQueueOf(live, this.edit);
  }

  /** Applies an event to a recording's machine and records the decision for its input. */
  private apply(
    recording: string,
    entry: RecordingEntry,
    event: RecordingEvent,
    position: number,
    decision: DecisionKind,
    label: string,
    gap: Decision['gap'] | null = null,
  ): void {
    const sid = entry.snapshot.context.session?.sid;
    const made = this.decideApplied(position, event.at, decision, label, recording, sid, gap);
    // The decision is this step's own object until the step returns: it learns the state after.
    made.state = this.stepMachine(recording, entry, event);
  }

  /** One machine step; queues its next wake, and retires sids the recording is done with. */
  private stepMachine(recording: string, entry: RecordingEntry, event: RecordingEvent) {
    const before = entry.snapshot.context.session?.sid ?? null;
    const { snapshot, outputs } = stepRecording(entry.snapshot, event, this.options.recording);
    if (!this.quiet) this.outputs.push({ kind: 'delivered', recording, event, snapshot });
    const next: RecordingEntry = { snapshot, queued: entry.queued };
    const wake = wakeOf(next);
    // The queue needs one live entry at or before each recording's wake. A wake that moves later
    // keeps its earlier entry, which re-queues it when it surfaces: most steps push nothing. One
    // that moves earlier gets a new live entry; the old one is dropped when it surfaces.
    if (wake !== null && (next.queued === null || wake < next.queued)) {
      this.wakes = pushTime(this.wakes, wake, recording, this.edit);
      this.recordings = this.recordings.set(recording, { snapshot, queued: wake }, this.edit);
      if (event.type !== 'tick') this.compactWakes();
    } else {
      this.recordings = this.recordings.set(recording, next, this.edit);
    }
    if (!this.quiet) for (const output of outputs) this.outputs.push(output);
    this.trackPendingStart(recording, entry.snapshot, snapshot, event.at);
    const after = snapshot.context.session?.sid ?? null;
    if (before !== null && before !== after) this.retire(before, event.at);
    if (snapshot.status !== 'active' && after !== null) this.retire(after, event.at);
    // Read only by the decision, which a quiet fold does not make.
    const state = this.quiet ? undefined : lifecycleState(snapshot);
    if (snapshot.status !== 'active' && entry.snapshot.status === 'active')
      this.finish(recording, event.at);
    return state;
  }

  /**
   * Keeps `pendingStarts` in step with the recording's start (rule 11) and the starts it gave up
   * (rule 13). A start that becomes pending looks at what already waits for an unknown sid: its
   * notifications may be there.
   */
  private trackPendingStart(
    recording: string,
    before: RecordingSnapshot,
    after: RecordingSnapshot,
    at: number,
  ): void {
    // What the keys are read from did not change (most steps): neither did the keys.
    const b = before.context;
    const a = after.context;
    if (
      before.status === after.status &&
      before.value === after.value &&
      b.host === a.host &&
      b.attempt === a.attempt &&
      b.orphans === a.orphans
    )
      return;
    const was = startKeysOf(before);
    const are = startKeysOf(after);
    if (was === are || (was.length === 0 && are.length === 0)) return;
    for (const key of was)
      if (!are.includes(key) && this.pendingStarts.get(key) === recording)
        this.pendingStarts = this.pendingStarts.delete(key, this.edit);
    for (const key of are)
      if (!was.includes(key))
        this.pendingStarts = this.pendingStarts.set(key, recording, this.edit);
    const is = pendingStartOf(after);
    if (is === null || is === pendingStartOf(before)) return;
    for (const parked of [...this.unknownSids.values()]) {
      const first = parked[0]?.notification;
      if (first === undefined || startKey(first.cname, first.uid) !== is) continue;
      // The adoption routes everything that waited for the sid (see `adopt`).
      if (this.adoptStart(recording, first, at)) return;
    }
  }

  /** A sid the recording is done with: dedupe forgets it later; anything held for it is stale. */
  private retire(sid: string, at: number): void {
    const forgotten = forgetSid(this.reorder, sid, at, this.settings.reorder);
    this.reorder = forgotten.state;
    this.dedupe = finishSid(this.dedupe, sid, at, this.settings.dedupe);
    for (const released of forgotten.released) this.route(released, at);
  }
}

/** The machine event of a notification let through: a late one says so (the machine must know). */
function notificationEvent(item: Parked, late: boolean, at: number): RecordingEvent {
  const reduced = toRecordingNotification(item.notification);
  return {
    type: 'notification',
    at,
    notification: late ? { ...reduced, late: true } : reduced,
  };
}

/** Notifications that show a recorder runs (rule 1's life evidence, and a failover's 12). */
const LIFE_EVENTS: ReadonlySet<number> = new Set([12, 13, 30, 40, 42, 70]);

/** Rule 13: life on an earlier session of a live recording that has not been sent its stop. */
function isOrphanLife(snapshot: RecordingSnapshot, notification: Notification): boolean {
  return (
    snapshot.status === 'active' &&
    LIFE_EVENTS.has(notification.eventType) &&
    snapshot.context.orphans.some((session) => session.sid === notification.sid)
  );
}

/** Quits known only by absence: the recorder of the session left may still run (rule 7). */
const QUIT_BY_ABSENCE: ReadonlySet<string> = new Set(['notStarted', 'lost', 'failoverTimeout']);

/**
 * Rule 13: a query of an earlier session of a live recording, not yet sent its stop, answering
 * 4/5 (or a web recorder in progress), after a quit known only by absence: the recorder uid it
 * names (the session's when it names none), or null when it is no orphan's life. After a quit
 * Agora told of (an 11, a 31...), such an answer is old news: the query was sent before the
 * session ended (the shell only queries the current session), and its answer describes that
 * moment (rule 9).
 */
function isOrphanQuery(
  snapshot: RecordingSnapshot,
  signal: Extract<Signal, { type: 'query' }>,
): string | null {
  if (snapshot.status !== 'active') return null;
  const { quitReason } = snapshot.context;
  if (quitReason === null || !QUIT_BY_ABSENCE.has(quitReason)) return null;
  const session = snapshot.context.orphans.find((one) => one.sid === signal.sid);
  if (session === undefined) return null;
  const { outcome } = signal;
  if (outcome.kind !== 'alive' || !queryShowsLife(outcome)) return null;
  return outcome.uid ?? session.uid;
}

/**
 * Life on the current session of a recording the host stopped (its stop may have been answered
 * 404 while a lost server was being moved, with nothing to say a failover was under way).
 */
function isLifeAfterStop(snapshot: RecordingSnapshot, notification: Notification): boolean {
  return (
    snapshot.status === 'done' &&
    lifecycleState(snapshot) === 'stopped' &&
    snapshot.context.session?.sid === notification.sid &&
    LIFE_EVENTS.has(notification.eventType)
  );
}

/** What a quiet step decides: written to, never read. */
const DISCARDED = {} as Mutable<Decision>;
