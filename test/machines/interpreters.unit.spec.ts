// The two interpreters of one definition: the compiled fast path and XState's `transition()`
// give the same snapshots and outputs (the model-based test checks every edge; this is a
// readable scenario), and `useInterpreter` is what chooses between them.
import { afterEach, describe, expect, inject, it } from 'vitest';
import {
  createRecording,
  type Interpreter,
  type RecordingEvent,
  type RecordingStep,
  stepRecording,
  useInterpreter,
} from '../../machines/index.js';
import { alive, notify, queryFails, start, started, stop, stopResult, tick } from './drive.js';

const scenario: RecordingEvent[] = [
  start(0),
  started(1),
  tick(6),
  alive(6, 5, 'S1', ['S1_room1.m3u8']),
  notify(20, 12, { newUid: '2002' }),
  notify(30, 40, { uid: '2002' }),
  queryFails(40, 'serverError'),
  stop(50),
  stopResult(51, 'ok'),
];

function run(interpreter: Interpreter): RecordingStep[] {
  useInterpreter(interpreter);
  let snapshot = createRecording({ recording: 'r1' });
  return scenario.map((event) => {
    const step = stepRecording(snapshot, event);
    snapshot = step.snapshot;
    return step;
  });
}

describe('the interpreters', () => {
  afterEach(() => useInterpreter(inject('interpreter') ?? 'compiled'));

  it('give the same snapshots and outputs, step by step', () => {
    const compiled = run('compiled');
    const xstate = run('xstate');
    expect(xstate).toEqual(compiled);
    expect(compiled.at(-1)?.snapshot.value).toBe('stopped');
  });

  it('are chosen by useInterpreter: the compiled path shares its state values, XState makes new ones', () => {
    const valuesOf = (interpreter: Interpreter) => {
      useInterpreter(interpreter);
      const first = stepRecording(createRecording({ recording: 'r1' }), start(0));
      const second = stepRecording(createRecording({ recording: 'r2' }), start(0));
      return [first.snapshot.value, second.snapshot.value];
    };
    const [a, b] = valuesOf('compiled');
    expect(a).toBe(b);
    const [c, d] = valuesOf('xstate');
    expect(c).toEqual(d);
    expect(c).not.toBe(d);
  });
});
