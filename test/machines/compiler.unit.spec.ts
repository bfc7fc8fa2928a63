// The compiled fast path reads the machine definition: it compiles XState's `and`/`or`/`not`
// over named guards, and refuses, with a typed error, every construct it would not run as XState.

import { describe, expect, it } from 'vitest';
import { and, not, or, setup } from 'xstate';
import {
  MachineCompileError,
  restoreRecording,
  UnknownStateValueError,
} from '../../machines/index.js';
import { compileMachine } from '../../machines/recording/compiled.js';
import * as guards from '../../machines/recording/guards.js';
import { DEFAULT_RECORDING_OPTIONS } from '../../machines/recording/options.js';
import type { RecordingContext, RecordingEvent } from '../../machines/recording/types.js';
import { queryFails, recordingAlive, stopResult } from './drive.js';

const guardNames = Object.fromEntries(Object.keys(guards).map((name) => [name, () => true]));
const base = setup({
  types: { context: {} as RecordingContext, events: {} as RecordingEvent },
  guards: guardNames,
});

/** A one-transition machine: `query` from `a` to `b` under `guard`. */
const guardedBy = (guard: unknown) =>
  base.createMachine({
    context: {} as RecordingContext,
    initial: 'a',
    states: { a: { on: { query: { target: 'b', guard: guard as 'queryNotFound' } } }, b: {} },
  });

describe('the compiler', () => {
  it('compiles and, or and not over named guards to what they say', () => {
    const { leaves, initial } = compileMachine(
      guardedBy(or(['queryShowsQuit', and(['queryNotFound', not('failoverWindowOpen')])])),
    );
    expect(leaves.size).toBe(2);
    const guard = initial.on.get('query')?.[0]?.guard;
    const { context } = recordingAlive().snapshot;
    const o = DEFAULT_RECORDING_OPTIONS;
    expect(guard?.(context, queryFails(100, 'notFound'), o)).toBe(true);
    expect(guard?.(context, queryFails(100, 'serverError'), o)).toBe(false);
    const inFailover = { ...context, deadlines: { ...context.deadlines, failoverBy: Infinity } };
    expect(guard?.(inFailover, queryFails(100, 'notFound'), o)).toBe(false);
    expect(guard?.(inFailover, stopResult(100, 'ok'), o)).toBe(false);
  });

  it('refuses an inline guard with a MachineCompileError naming where it is', () => {
    const compile = () => compileMachine(guardedBy(() => true));
    expect(compile).toThrow(MachineCompileError);
    expect(compile).toThrow(/inline or parameterized guard at \(machine\)\.a:query#0/);
  });

  it('refuses a guard name the lifecycle does not define', () => {
    expect(() => compileMachine(guardedBy(and(['queryNotFound', 'noSuchGuard'])))).toThrow(
      /the guard noSuchGuard/,
    );
  });

  it('refuses parallel states and delays', () => {
    const parallel = base.createMachine({
      context: {} as RecordingContext,
      type: 'parallel',
      states: { a: {}, b: {} },
    });
    expect(() => compileMachine(parallel)).toThrow(MachineCompileError);
    const delayed = base.createMachine({
      context: {} as RecordingContext,
      initial: 'a',
      states: { a: { after: { 1000: 'b' } }, b: {} },
    });
    expect(() => compileMachine(delayed)).toThrow(MachineCompileError);
  });

  it('refuses to restore a state value the machine does not have, with a typed error', () => {
    const { context } = recordingAlive().snapshot;
    expect(() => restoreRecording({ value: 'paused', context })).toThrow(UnknownStateValueError);
  });
});
