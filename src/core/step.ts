// The core's step: (state, input) → (state, outputs). Normalize → dedupe → reorder → route →
// the machine of each recording, collecting a decision for every input and the machines' outputs.
import { lifecycleState, type RecordingEvent, stepRecording } from '../../machines/index.js';
import { normalizeInput, type Signal } from '../signals/index.js';
import {
  advance,
  dedupe,
  expireDedupe,
  finishSid,
  forgetSid,
  offer,
  type Released,
} from '../stream/index.js';
import type { CoreOutput, Decision, DecisionKind } from './decisions.js';
import { labelOf, labelOfRaw } from './labels.js';
import { toRecordingEvent, toRecordingNotification } from './machine-events.js';
import { type CoreState, entryFor, newRecording, type Parked } from './state.js';

/** The result of one step. */
export interface CoreStep {
  readonly state: CoreState;
  readonly outputs: readonly CoreOutput[];
}

/** A deadline loop bound: a tick fires what is due; this many rounds cover any cascade. */
const MAX_TICK_ROUNDS = 8;

/**
 * Consumes one input (a trace record as received: unknown until validated) and returns the new
 * state and the outputs: a decision for the input (and for held inputs it releases), and the
 * effects and domain events of the machines it reached. Pure: the given state is not changed.
 * @example
 * let state = createCore();
 * ({ state } = step(state, { at: 0, type: 'start', recording: 'r1', cname: 'room1', uid: '1001', mode: 'mix' }));
 */
export function step(state: CoreState, raw: unknown): CoreStep {
  const run = new StepRun(state);
  const position = state.position + 1;
  run.state = { ...state, position };
  const normalized = normalizeInput(raw);
  if (!normalized.ok) {
    const at = readAt(raw) ?? state.now;
    run.decide(position, at, 'rejected', labelOfRaw(raw), { reason: normalized.error.message });
    return run.result();
  }
  run.consume(position, normalized.value);
  return run.result();
}

/**
 * Records an input that was rejected before it reached the core (a log reject), so positions
 * stay aligned with the log and the reason is in the timeline.
 */
export function stepRejected(state: CoreState, at: number, reason: string, raw: unknown): CoreStep {
  const run = new StepRun(state);
  const position = state.position + 1;
  run.state = { ...state, position };
  run.decide(position, at, 'rejected', labelOfRaw(raw), { reason });
  return run.result();
}

function readAt(raw: unknown): number | undefined {
  if (raw === null || typeof raw !== 'object' || !('at' in raw)) return undefined;
  return typeof raw.at === 'number' && Number.isFinite(raw.at) ? raw.at : undefined;
}

/** The work of one step: a current state, replaced as it changes, and the outputs so far. */
class StepRun {
  readonly outputs: CoreOutput[] = [];

  constructor(public state: CoreState) {}

  result(): CoreStep {
    return { state: this.state, outputs: this.outputs };
  }

  decide(
    position: number,
    at: number,
    decision: DecisionKind,
    input: string,
    extra: Omit<Decision, 'kind' | 'position' | 'at' | 'decision' | 'input'> = {},
  ): void {
    this.outputs.push({ kind: 'decision', position, at, decision, input, ...extra });
  }

  consume(position: number, signal: Signal): void {
    const at = signal.at;
    const label = labelOf(signal);
    if (signal.type !== 'notification')
      this.state = { ...this.state, now: Math.max(this.state.now, at) };
    switch (signal.type) {
      case 'notification':
        this.notification(position, signal.notification, at, label);
        return;
      case 'tick':
        // Time is an input: only a tick lets it pass (holds expire, deadlines fire), so any other
        // input, a duplicate above all, changes nothing by the mere time it carries.
        this.decide(position, at, 'applied', label);
        this.passTime(this.state.now);
        this.fireDue(this.state.now);
        return;
      case 'start': {
        if (!this.state.recordings.has(signal.recording)) {
          const entry = newRecording(this.state, signal.recording);
          this.state = {
            ...this.state,
            recordings: this.state.recordings.set(signal.recording, entry),
          };
        }
        this.apply(signal.recording, toRecordingEvent(signal), position, 'applied', label);
        return;
      }
      case 'query': {
        const entry = this.state.recordings.get(signal.recording);
        if (entry === undefined) {
          this.unknownRecording(position, signal.recording, at, label);
          return;
        }
        if (entry.snapshot.context.sid !== signal.sid) {
          const reason = this.state.sidOwners.has(signal.sid)
            ? 'a previous sid'
            : 'not the current sid';
          this.decide(position, at, 'stale', label, {
            recording: signal.recording,
            sid: signal.sid,
            reason,
          });
          return;
        }
        this.apply(signal.recording, toRecordingEvent(signal), position, 'applied', label);
        return;
      }
      default: {
        if (!this.state.recordings.has(signal.recording)) {
          this.unknownRecording(position, signal.recording, at, label);
          return;
        }
        this.apply(signal.recording, toRecordingEvent(signal), position, 'applied', label);
        if (signal.type === 'started') this.adopt(signal.sid, signal.recording, at);
      }
    }
  }

  private unknownRecording(position: number, recording: string, at: number, label: string): void {
    this.decide(position, at, 'rejected', label, {
      recording,
      reason: `unknown recording '${recording}'`,
    });
  }

  /** Time moves to `at`: expired reorder holds release, unknown-sid holds expire, dedupe forgets. */
  private passTime(at: number): void {
    this.state = { ...this.state, dedupe: expireDedupe(this.state.dedupe, at) };
    const expired = advance(this.state.reorder, at);
    if (expired.released.length > 0) {
      this.state = { ...this.state, reorder: expired.state };
      for (const released of expired.released) this.route(released, at);
    }
    const holdMs = this.state.options.unknownSidHoldMs;
    for (const [sid, parked] of this.state.unknownSids) {
      const first = parked[0];
      if (first === undefined || first.at + holdMs > at) continue;
      this.state = { ...this.state, unknownSids: this.state.unknownSids.delete(sid) };
      for (const p of parked) {
        this.decide(p.position, at, 'unrouted', notificationLabel(p), {
          sid,
          reason: `no start named sid ${sid} within ${holdMs} ms`,
        });
      }
    }
  }

  /** Rule 8, then rule 9: drop copies, then hold or release in sequence order. */
  private notification(
    position: number,
    notification: Parked['notification'],
    at: number,
    label: string,
  ): void {
    const checked = dedupe(this.state.dedupe, notification, at);
    if (checked.duplicate) {
      this.decide(position, at, 'duplicate', label, { sid: notification.sid });
      return;
    }
    this.state = { ...this.state, dedupe: checked.state, now: Math.max(this.state.now, at) };
    const recording = this.state.sidOwners.get(notification.sid);
    if (
      recording !== undefined &&
      this.state.recordings.get(recording)?.snapshot.context.sid !== notification.sid
    ) {
      // A previous sid's late news (redundant quits after a restart): kept, shown, never applied.
      this.stale(position, at, label, recording, notification.sid);
      return;
    }
    const parked: Parked = { position, at, notification };
    const ordered = offer(this.state.reorder, notification.sid, notification.sequence, parked, at);
    this.state = { ...this.state, reorder: ordered.state };
    if (ordered.held) {
      this.decide(position, at, 'held', label, {
        sid: notification.sid,
        reason: 'waiting for an earlier sequence',
      });
    }
    for (const released of ordered.released) this.route(released, at);
  }

  /** Routes a notification let through by reorder to its recording's machine, if it has one. */
  private route(released: Released<Parked>, at: number): void {
    const { item, gap, late } = released;
    const { sid } = item.notification;
    const label = notificationLabel(item);
    const recording = this.state.sidOwners.get(sid);
    if (recording === undefined) {
      const waiting = this.state.unknownSids.get(sid) ?? [];
      this.state = {
        ...this.state,
        unknownSids: this.state.unknownSids.set(sid, [...waiting, item]),
      };
      this.decide(item.position, at, 'held', label, {
        sid,
        reason: `sid ${sid} not known yet`,
      });
      return;
    }
    const entry = this.state.recordings.get(recording);
    if (entry === undefined || entry.snapshot.context.sid !== sid) {
      this.stale(item.position, at, label, recording, sid);
      return;
    }
    const event: RecordingEvent = {
      type: 'notification',
      at,
      notification: toRecordingNotification(item.notification),
    };
    const kind: DecisionKind = late ? 'late' : gap !== null ? 'releasedAfterGap' : 'applied';
    this.apply(recording, event, item.position, kind, label, gap === null ? {} : { gap });
  }

  private stale(position: number, at: number, label: string, recording: string, sid: string): void {
    const entry = this.state.recordings.get(recording);
    this.decide(position, at, 'stale', label, {
      recording,
      sid,
      reason: 'a previous sid',
      ...(entry !== undefined && { state: lifecycleState(entry.snapshot) }),
    });
  }

  /** A `started` named a sid: it belongs to the recording now; what waited for it goes through. */
  private adopt(sid: string, recording: string, at: number): void {
    this.state = { ...this.state, sidOwners: this.state.sidOwners.set(sid, recording) };
    const waiting = this.state.unknownSids.get(sid);
    if (waiting === undefined) return;
    this.state = { ...this.state, unknownSids: this.state.unknownSids.delete(sid) };
    for (const item of waiting)
      this.route(
        { sid, sequence: item.notification.sequence, item, gap: null, late: false, heldFor: 0 },
        at,
      );
  }

  /** Fires the deadlines due by `at`, in every recording that has one. */
  private fireDue(at: number): void {
    const { earliestWake } = this.state;
    if (earliestWake === null || earliestWake > at) return;
    let earliest: number | null = null;
    for (const [recording, entry] of this.state.recordings) {
      let current = entry;
      for (
        let round = 0;
        round < MAX_TICK_ROUNDS && current.wake !== null && current.wake <= at;
        round += 1
      ) {
        this.stepMachine(recording, { type: 'tick', at });
        current = this.state.recordings.get(recording) ?? current;
      }
      if (current.wake !== null && (earliest === null || current.wake < earliest))
        earliest = current.wake;
    }
    this.state = { ...this.state, earliestWake: earliest };
  }

  /** Applies an event to a recording's machine and records the decision for its input. */
  private apply(
    recording: string,
    event: RecordingEvent,
    position: number,
    decision: DecisionKind,
    label: string,
    extra: Pick<Decision, 'gap'> = {},
  ): void {
    const sidBefore = this.state.recordings.get(recording)?.snapshot.context.sid ?? null;
    this.decide(position, event.at, decision, label, {
      recording,
      ...(sidBefore !== null && { sid: sidBefore }),
      ...extra,
    });
    const decided = this.outputs.length - 1;
    const state = this.stepMachine(recording, event);
    const made = this.outputs[decided] as Decision;
    this.outputs[decided] = { ...made, state };
  }

  /** One machine step; keeps the wake index, and retires sids the recording is done with. */
  private stepMachine(recording: string, event: RecordingEvent) {
    const entry = this.state.recordings.get(recording) as NonNullable<
      ReturnType<CoreState['recordings']['get']>
    >;
    const before = entry.snapshot.context.sid;
    const { snapshot, outputs } = stepRecording(entry.snapshot, event);
    const next = entryFor(snapshot);
    const earliestWake =
      next.wake !== null &&
      (this.state.earliestWake === null || next.wake < this.state.earliestWake)
        ? next.wake
        : this.state.earliestWake;
    this.state = {
      ...this.state,
      recordings: this.state.recordings.set(recording, next),
      earliestWake,
    };
    for (const output of outputs) this.outputs.push({ ...output, recording });
    const after = snapshot.context.sid;
    if (before !== null && before !== after) this.retire(before, event.at);
    if (snapshot.status !== 'active' && after !== null) this.retire(after, event.at);
    return lifecycleState(snapshot);
  }

  /** A sid the recording is done with: dedupe forgets it later; anything held for it is stale. */
  private retire(sid: string, at: number): void {
    const forgotten = forgetSid(this.state.reorder, sid, at);
    this.state = {
      ...this.state,
      dedupe: finishSid(this.state.dedupe, sid, at),
      reorder: forgotten.state,
    };
    for (const released of forgotten.released) this.route(released, at);
  }
}

function notificationLabel(parked: Parked): string {
  return labelOf({ at: parked.at, type: 'notification', notification: parked.notification });
}
