export type { Clock, ClockTimer } from './clock.js';
export type { ScaledClockOptions } from './system-clock.js';
export { scaledClock, systemClock } from './system-clock.js';
export { VirtualClock } from './virtual-clock.js';
