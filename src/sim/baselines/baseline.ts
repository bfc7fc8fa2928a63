// What the three baselines share: a host's table of recordings, start with a few retries, stop,
// and timers on the clock. Each baseline adds only how it learns that a recording ended.
import type { ClockTimer } from '../../clock/index.js';
import type { Belief, FleetObserver, ObserverContext, PlannedRecording } from './observer.js';
import { acquireAndStart, type RestSession, stop } from './rest.js';

/** One recording as a baseline keeps it (one row of a typical app's table). */
export interface Tracked {
  readonly plan: PlannedRecording;
  session: RestSession | null;
  belief: Belief;
  /** The host still wants it recorded. */
  wanted: boolean;
  /** Bumped at every start: a timer of an older session does nothing. */
  generation: number;
  timer: ClockTimer | null;
}

// A start that fails is tried again this many times, this long apart (ms): what apps commonly do.
const START_RETRIES_MS = [5_000, 5_000, 5_000];

/** The shared part of a baseline; subclasses say what they watch once a session has started. */
export abstract class Baseline implements FleetObserver {
  abstract readonly name: string;
  protected readonly tracked = new Map<string, Tracked>();
  private readonly busy = new Set<Promise<unknown>>();
  private closed = false;

  constructor(protected readonly context: ObserverContext) {}

  /** Called once a session has started (the recording is believed live). */
  protected abstract started(row: Tracked): void;

  async start(plan: PlannedRecording): Promise<void> {
    const row: Tracked = {
      plan,
      session: null,
      belief: 'live',
      wanted: true,
      generation: 0,
      timer: null,
    };
    this.tracked.set(plan.recording, row);
    await this.launch(row, 0);
  }

  async stop(recording: string): Promise<void> {
    const row = this.tracked.get(recording);
    if (row === undefined) return;
    row.wanted = false;
    this.clear(row);
    const session = row.session;
    if (session !== null) await this.io(stop(this.context, session));
    row.belief = 'stopped';
  }

  belief(recording: string): Belief {
    return this.tracked.get(recording)?.belief ?? 'ended';
  }

  async settle(): Promise<void> {
    for (let quiet = 0; quiet < 3; ) {
      if (this.busy.size > 0) {
        quiet = 0;
        await Promise.allSettled([...this.busy]);
      } else {
        quiet += 1;
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const row of this.tracked.values()) this.clear(row);
    await this.settle();
  }

  /** The recording ended on its own: believed so, and started again at once if still wanted. */
  protected ended(row: Tracked): void {
    this.clear(row);
    row.belief = row.wanted ? 'ended' : 'stopped';
    if (!row.wanted || this.closed) return;
    this.context.onRestart(row.plan.recording, this.context.clock.now());
    void this.launch(row, 0);
  }

  /** Runs `work` after `ms` on the clock, unless the session changed or the host stopped it. */
  protected after(row: Tracked, ms: number, work: () => Promise<void>): void {
    this.clear(row);
    const generation = row.generation;
    row.timer = this.context.clock.setTimeout(() => {
      row.timer = null;
      if (this.closed || !row.wanted || row.generation !== generation) return;
      void this.io(work());
    }, ms);
  }

  /** Counts `work` as busy until it settles. */
  protected io<T>(work: Promise<T>): Promise<T> {
    this.busy.add(work);
    const done = () => this.busy.delete(work);
    work.then(done, done);
    return work;
  }

  private async launch(row: Tracked, attempt: number): Promise<void> {
    row.generation += 1;
    row.session = null;
    const { cname, uid, mode } = row.plan;
    const answer = await this.io(acquireAndStart(this.context, cname, uid, mode));
    if (this.closed) return;
    if ('sid' in answer) {
      row.session = answer;
      if (!row.wanted) {
        // The host stopped it while it was starting: stop what just started.
        await this.io(stop(this.context, answer));
        row.belief = 'stopped';
        return;
      }
      row.belief = 'live';
      this.started(row);
      return;
    }
    const wait = START_RETRIES_MS[attempt];
    if (wait === undefined || !row.wanted) {
      row.belief = row.wanted ? 'ended' : 'stopped';
      return;
    }
    row.belief = 'ended';
    const generation = row.generation;
    row.timer = this.context.clock.setTimeout(() => {
      row.timer = null;
      if (this.closed || !row.wanted || row.generation !== generation) return;
      void this.io(this.launch(row, attempt + 1));
    }, wait);
  }

  private clear(row: Tracked): void {
    if (row.timer !== null) this.context.clock.clearTimeout(row.timer);
    row.timer = null;
  }
}
