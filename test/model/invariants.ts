// What must hold at every step of every path through the lifecycle machine.
import { AssertionError } from 'node:assert';
import {
  filePrefixFor,
  lifecycleState,
  nextWake,
  type RecordingEvent,
  type RecordingOutput,
  type RecordingSnapshot,
} from '../../machines/index.js';

const FINAL = new Set(['stopped', 'failed']);
/** States that wait on the outside world: each must have a deadline armed, or it could hang. */
const WAITING = new Set(['starting', 'recording', 'failoverPending', 'restarting', 'stopping']);

export interface Step {
  readonly before: RecordingSnapshot;
  readonly event: RecordingEvent;
  readonly after: RecordingSnapshot;
  readonly outputs: readonly RecordingOutput[];
}

/** Fails with the broken invariant and the step where it broke (cheap: checked ~100k times). */
function must(condition: boolean, invariant: string, where: string): void {
  if (!condition) throw new AssertionError({ message: `${invariant} at ${where}` });
}

/** Checks one step, given whether the host's stop was accepted earlier on this path. */
export function checkStep(step: Step, hostStopped: boolean): boolean {
  const { before, event, after, outputs } = step;
  const state = lifecycleState(after);
  const context = after.context;
  const where = `${JSON.stringify(before.value)} --${JSON.stringify(event)}--> ${JSON.stringify(after.value)}`;
  const effects = outputs.filter((o) => o.kind === 'effect');

  must(context.failover.haAttempts <= 3, 'haAttempts ≤ 3', where);
  must(
    context.failover.filePrefix === filePrefixFor(context.failover.haAttempts),
    'filePrefix matches haAttempts',
    where,
  );
  if (state === 'quit') must(context.quitReason !== null, 'a quit has a reason', where);
  for (const output of outputs) {
    if (output.type === 'quit') must(Boolean(output.reason), 'a quit event has a reason', where);
  }
  if (FINAL.has(lifecycleState(before)))
    must(outputs.length === 0, 'nothing from a final state', where);
  if (FINAL.has(state)) must(effects.length === 0, 'no effect on entering a final state', where);
  if (state === 'stopped') must(context.quitReason === 'stopped', 'stopped says stopped', where);
  if (state === 'failed') {
    must(
      context.quitReason === 'configuration' || context.quitReason === 'restartBudgetExhausted',
      'failed says why',
      where,
    );
  }

  const stopAccepted = hostStopped || state === 'stopping' || state === 'stopped';
  if (stopAccepted) {
    must(
      state === 'stopping' || state === 'stopped' || state === 'failed',
      'a host stop is never undone',
      where,
    );
    must(!outputs.some((o) => o.type === 'acquireAndStart'), 'no restart after a host stop', where);
  }

  // Rule 11: a start is sent only when the chart agreed to a `startSent`, and while one may run
  // nothing is started again with its uid.
  const startOut = JSON.stringify(before.value).match(/"attempt":"(sent|settling)"/) !== null;
  for (const output of outputs) {
    if (output.type === 'start') {
      must(event.type === 'startSent', 'a start only answers a startSent', where);
      must(JSON.stringify(before.value).includes('"acquiring"'), 'a start only once', where);
    }
    if (output.type === 'acquireAndStart' && startOut)
      must(output.uid !== before.context.attempt?.uid, 'no second start with its uid', where);
  }

  // A state value never contradicts what was sent: `stopping.requested` is entered with a stop.
  const requested = (value: unknown) => JSON.stringify(value) === '{"stopping":"requested"}';
  if (requested(after.value) && !requested(before.value))
    must(
      outputs.some((o) => o.type === 'stop'),
      'stopping.requested is entered with a stop sent',
      where,
    );

  const wake = nextWake(context.deadlines);
  if (WAITING.has(state)) must(wake !== null, 'a waiting state has a deadline', where);
  const lastWake = outputs.filter((o) => o.type === 'wakeAt').at(-1);
  if (lastWake?.type === 'wakeAt')
    must(lastWake.at === wake, 'wakeAt names the next deadline', where);
  if (wake !== null)
    must(wake >= event.at || event.type !== 'tick', 'no deadline left in the past', where);
  return stopAccepted;
}
