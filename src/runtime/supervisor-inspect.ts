// What the supervisor shows of its journal's steps: a stream of them for inspectors (recwatch's
// own page subscribes to it), and XState inspection events for a host's observer (Stately's).
import { type Observable, Subject } from 'rxjs';
import type { CoreState } from '../core/index.js';
import { createInspectionBridge, type InspectionObserver } from './inspection-bridge.js';
import type { JournalStep } from './journal.js';
import { nameOf } from './log-lines.js';
import type { Logger } from './supervisor-options.js';

/**
 * The supervisor's side of inspection: the journal tells it every step (`step`, given to the
 * journal as its `onStep`); it passes them on to `steps$` and to the host's observer.
 */
export class SupervisorInspection {
  private readonly steps = new Subject<JournalStep>();
  /** Every step the journal takes, in log order, until the supervisor closes. */
  readonly steps$: Observable<JournalStep> = this.steps.asObservable();
  private readonly bridge: ReturnType<typeof createInspectionBridge> | undefined;
  private failed = false;

  /**
   * @param inspect the host's XState inspection observer, if any.
   */
  constructor(
    inspect: InspectionObserver | undefined,
    private readonly logger: Logger,
  ) {
    this.bridge = inspect === undefined ? undefined : createInspectionBridge(inspect);
  }

  /** Registers every recording the state holds (after a resume), so an inspector shows them all. */
  announce(state: CoreState): void {
    this.guard(() => this.bridge?.announce(state));
  }

  /** Passes one journal step on; an observer that throws never reaches the journal. */
  step(step: JournalStep, before: CoreState): void {
    this.guard(() => this.bridge?.follow(before, step.item, step));
    this.steps.next(step);
  }

  /** Passes one journal step on, when no observer needs the state before it. */
  stepped(step: JournalStep): void {
    this.steps.next(step);
  }

  /** Ends `steps$` (the live page closes with it). */
  close(): void {
    this.steps.complete();
  }

  private guard(work: () => void): void {
    try {
      work();
    } catch (error) {
      // Said once: an observer that throws on every step would flood the host's log.
      if (this.failed) return;
      this.failed = true;
      this.logger.error?.(`recwatch: the inspect observer threw ${nameOf(error)}`);
    }
  }
}
