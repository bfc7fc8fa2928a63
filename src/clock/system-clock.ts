import { InvalidArgumentError } from '../errors/index.js';
import type { Clock, ClockTimer } from './clock.js';

interface SystemTimer extends ClockTimer {
  readonly handle: NodeJS.Timeout;
}

/** Options of `scaledClock`. */
export interface ScaledClockOptions {
  /** Clock ms per real ms, > 0: 60 runs an hour in a minute. Default 1. */
  readonly speed?: number;
  /** The clock's time when it is made, ms. Default `Date.now()`. */
  readonly start?: number;
}

/**
 * Real time, optionally sped up: the clock reads `start + speed × (real ms elapsed)` and its timers
 * fire after `delayMs / speed` real ms. Timers are unref'd, so they never keep a process alive alone.
 * @throws InvalidArgumentError for a speed that is not a finite number > 0.
 * @example const clock = scaledClock({ speed: 60 }); // an hour of clock time per real minute
 */
export function scaledClock(options: ScaledClockOptions = {}): Clock {
  const speed = options.speed ?? 1;
  if (!Number.isFinite(speed) || speed <= 0) {
    throw new InvalidArgumentError(`speed must be a finite number > 0, not ${speed}`);
  }
  const realStart = performance.now();
  const start = options.start ?? Date.now();
  const now = () => Math.floor(start + (performance.now() - realStart) * speed);
  return {
    now,
    setTimeout(fire, delayMs) {
      const delay = Math.max(0, delayMs);
      const handle = setTimeout(fire, delay / speed);
      handle.unref();
      return { at: now() + delay, handle } satisfies SystemTimer;
    },
    clearTimeout(timer) {
      clearTimeout((timer as SystemTimer).handle);
    },
  };
}

/**
 * The wall clock: `Date.now()` and Node's timers (unref'd).
 * @example const supervisor = await createSupervisor({ ...options, clock: systemClock() });
 */
export function systemClock(): Clock {
  return scaledClock();
}
