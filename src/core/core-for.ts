// A core bound to its options once, the way XState's `setup()` binds a machine's
// implementations: every function of it reads the same options, so none can be forgotten.

import { InvalidArgumentError } from '../errors/index.js';
import type { TraceRecord } from '../signals/index.js';
import { type CoreOptions, type ResolvedCoreOptions, readRecordedOptions } from './options.js';
import { type ReplayOptions, replayUntrusted } from './replay.js';
import { type CoreState, createCore, nextWakeOf } from './state.js';
import { type CoreStep, type ReceivedLine, step, stepLine, stepUntrusted } from './step.js';

/** The core's functions, bound to one choice of options (see `coreFor`). */
export interface BoundCore {
  /** The override every step reads, or null: each step reads the state's options (rule 12). */
  readonly override: ResolvedCoreOptions | null;
  /** An empty core, whose options in force are the bound ones (or the defaults). */
  create(): CoreState;
  step(state: CoreState, record: TraceRecord): CoreStep;
  stepUntrusted(state: CoreState, raw: unknown): CoreStep;
  stepLine(state: CoreState, line: ReceivedLine): CoreStep;
  replay(inputs: Iterable<unknown>, options?: Omit<ReplayOptions, 'options'>): { state: CoreState };
  /** When the core next needs a tick (ms), by the options its steps read. */
  nextWake(state: CoreState): number | null;
}

/**
 * The core bound to `options`: given, they override whatever a log's `options` records say (a
 * host's deliberate choice, as `recwatch replay --options` makes); left out, every step reads
 * the options in force in its state, which `options` records set (rule 12), the defaults before.
 * @example
 * const core = coreFor({ recording: { pollIntervalMs: 90_000 } });
 * let state = core.create();
 * ({ state } = core.step(state, { at: 0, type: 'start', recording: 'r1', cname: 'c', uid: '1', mode: 'mix' }));
 * core.nextWake(state); // 90000: the start deadline, 90 s after the start
 * @throws InvalidArgumentError for options of the wrong shape (the field is named).
 */
export function coreFor(options?: Partial<CoreOptions>): BoundCore {
  const override = options === undefined ? undefined : checkedOptions(options);
  return {
    override: override ?? null,
    create: () => createCore(override),
    step: (state, record) => step(state, record, override),
    stepUntrusted: (state, raw) => stepUntrusted(state, raw, override),
    stepLine: (state, line) => stepLine(state, line, override),
    replay: (inputs, more = {}) =>
      replayUntrusted(inputs, { ...more, ...(override !== undefined && { options: override }) }),
    nextWake: (state) => nextWakeOf(state, override),
  };
}

/** The options resolved over the defaults, read as an `options` record is (rule 12). */
function checkedOptions(options: Partial<CoreOptions>): ResolvedCoreOptions {
  const read = readRecordedOptions(options);
  if (!read.ok) throw new InvalidArgumentError(`coreFor: ${read.reason}`);
  return read.value;
}
