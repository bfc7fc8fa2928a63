// The inspector's source of steps: a trace or a log read once, or a live supervisor.
import type { CoreOptions, CoreState } from '../core/index.js';
import type { JournalStep } from '../runtime/journal.js';
import {
  type InspectorStep,
  type RecordedStep,
  type RecordingView,
  StepRecorder,
  viewOf,
} from './inspector-step.js';

/** What an inspector page shows: the steps so far, and the ones to come. */
export interface InspectorFeed {
  /** Names the source on the page: a file name, or what the host calls its supervisor. */
  readonly title: string;
  /** Whether new steps may still come (a live supervisor that has not closed). */
  readonly live: boolean;
  /** When a live feed's run ended (its last step's time, ms); absent or null otherwise. */
  readonly endedAt?: number | null;
  /**
   * The steps kept, in order, and every recording as it was before the first of them (empty
   * unless older steps were dropped to bound memory).
   */
  history(): {
    readonly base: Readonly<Record<string, RecordingView>>;
    readonly steps: readonly InspectorStep[];
  };
  /** Calls `listener` with each new step, in order, until the returned function is called. */
  subscribe(listener: (step: InspectorStep) => void): () => void;
}

/**
 * One step the journal took, as a live feed takes it: what was received (a `LogItem`: an input or
 * a reject), the outputs of that step, and the core's state after.
 */
export type { JournalStep };

/** Options of `createLiveFeed`. */
export interface LiveFeedOptions {
  /** The core's state before the first step the feed will see (`journal.state` at wiring time). */
  readonly state: CoreState;
  /** Shown on the page; default 'live'. */
  readonly title?: string;
  /** Steps kept for the page and the scrubber; older ones fold into the base. Default 10000. */
  readonly maxSteps?: number;
  /** Receives every step with the machine steps behind it (e.g. the Stately bridge). */
  readonly onStep?: (recorded: RecordedStep) => void;
  /**
   * @deprecated Not needed: the core's steps carry the machine events they delivered, and the
   * options in force are in its state (rule 12). Accepted and ignored.
   */
  readonly core?: Partial<CoreOptions>;
}

/** A feed the host pushes the journal's steps into. */
export interface LiveFeed extends InspectorFeed {
  /** Records one journal step and sends it to every page. Returns the inspector step. */
  push(step: JournalStep): InspectorStep;
  /** The run has ended (the supervisor closed): `live` turns false, `endedAt` says when. */
  end(): void;
}

/**
 * A live feed: the supervisor pushes each step of its journal (see docs/inspector.md).
 * @example
 * const feed = createLiveFeed({ state: supervisor.state });
 * supervisor.steps$.subscribe((step) => feed.push(step));
 */
export function createLiveFeed(options: LiveFeedOptions): LiveFeed {
  const recorder = new StepRecorder(options.state);
  const maxSteps = options.maxSteps ?? 10_000;
  if (!Number.isInteger(maxSteps) || maxSteps < 1) {
    throw new RangeError(`maxSteps must be a positive integer, not ${maxSteps}`);
  }
  const steps: InspectorStep[] = [];
  // Recordings known before the first step are on the page from the start.
  const base: Record<string, RecordingView> = {};
  for (const [id, entry] of options.state.recordings) base[id] = viewOf(entry.snapshot);
  const listeners = new Set<(step: InspectorStep) => void>();
  let endedAt: number | null = null;
  let ended = false;
  return {
    title: options.title ?? 'live',
    get live() {
      return !ended;
    },
    get endedAt() {
      return endedAt;
    },
    end() {
      if (ended) return;
      ended = true;
      endedAt = steps.at(-1)?.at ?? options.state.now;
    },
    history: () => ({ base: { ...base }, steps: [...steps] }),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    push(journalStep) {
      const recorded = recorder.record(journalStep.item, journalStep.outputs, journalStep.state);
      steps.push(recorded.step);
      // Bounded: the oldest step folds into the base, so the page still knows every recording.
      if (steps.length > maxSteps) {
        const dropped = steps.shift() as InspectorStep;
        for (const [id, change] of Object.entries(dropped.changed)) base[id] = change.after;
      }
      options.onStep?.(recorded);
      for (const listener of listeners) listener(recorded.step);
      return recorded.step;
    },
  };
}

/**
 * A feed of steps already taken (a trace or a log read to its end): nothing new ever comes.
 * @example const feed = staticFeed('trace.jsonl', steps);
 */
export function staticFeed(title: string, steps: readonly InspectorStep[]): InspectorFeed {
  return {
    title,
    live: false,
    history: () => ({ base: {}, steps }),
    subscribe: () => () => {},
  };
}

/**
 * Wires a stream of journal steps (an rxjs Observable, or anything with `subscribe`) into a
 * new live feed.
 * @example const { feed, stop } = feedFromSteps(supervisor.steps$, { state: journal.state });
 */
export function feedFromSteps(
  steps: {
    subscribe(observer: { next: (step: JournalStep) => void }): { unsubscribe(): void };
  },
  options: LiveFeedOptions,
): { readonly feed: LiveFeed; stop(): void } {
  const feed = createLiveFeed(options);
  const subscription = steps.subscribe({ next: (step) => feed.push(step) });
  return { feed, stop: () => subscription.unsubscribe() };
}
