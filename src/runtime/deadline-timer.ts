// One timer for the earliest deadline of every recording (the core's wake queue), not one each.
import type { Clock, ClockTimer } from '../clock/index.js';

/**
 * Keeps one clock timer armed for a time; `arm` again moves it, `arm(null)` disarms it. It fires
 * `onDue` once when the time comes (at once for a time already past).
 * @example
 * const timer = new DeadlineTimer(clock, () => tick());
 * timer.arm(nextWakeOf(journal.state));
 */
export class DeadlineTimer {
  private timer: ClockTimer | null = null;
  private armedFor: number | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly onDue: () => void,
  ) {}

  /** The time armed for, or null. */
  get armed(): number | null {
    return this.armedFor;
  }

  arm(at: number | null): void {
    if (at === this.armedFor && this.timer !== null) return;
    this.disarm();
    if (at === null) return;
    this.armedFor = at;
    this.timer = this.clock.setTimeout(
      () => {
        this.timer = null;
        this.armedFor = null;
        this.onDue();
      },
      Math.max(0, at - this.clock.now()),
    );
  }

  disarm(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.armedFor = null;
  }
}
