// Time for the shell (the supervisor, the simulator, the demo): the core never reads a clock, but
// whatever feeds it does, and tests must be able to step that time by hand.

/** A timer armed on a `Clock`; pass it back to `clearTimeout`. */
export interface ClockTimer {
  /** When it fires, in the clock's ms. */
  readonly at: number;
}

/**
 * A source of time and timers, in ms since the Unix epoch (simulated ms for a scaled or virtual
 * clock). Everything in recwatch that needs time takes one, so the same code runs on real time,
 * on a sped-up simulation, and on a virtual clock a test advances.
 */
export interface Clock {
  /** The current time, ms. */
  now(): number;
  /** Calls `fire` once, `delayMs` (clock ms, ≥ 0) from now. */
  setTimeout(fire: () => void, delayMs: number): ClockTimer;
  /** Disarms a timer; a timer already fired or cleared is ignored. */
  clearTimeout(timer: ClockTimer): void;
}
