import { describe, expect, it } from 'vitest';
import { scaledClock } from '../../src/clock/index.js';
import { InvalidArgumentError } from '../../src/errors/index.js';

describe('scaledClock', () => {
  it('starts at the given time and never runs backwards', () => {
    const clock = scaledClock({ speed: 1000, start: 5_000 });
    const first = clock.now();
    const second = clock.now();
    expect(first).toBeGreaterThanOrEqual(5_000);
    expect(second).toBeGreaterThanOrEqual(first);
  });

  it('reports when a timer fires in clock time, and can clear it', () => {
    const clock = scaledClock({ speed: 60, start: 0 });
    const timer = clock.setTimeout(() => {
      throw new Error('a cleared timer fired');
    }, 60_000);
    expect(timer.at).toBeGreaterThanOrEqual(60_000);
    clock.clearTimeout(timer);
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('refuses speed %s', (speed) => {
    expect(() => scaledClock({ speed })).toThrow(InvalidArgumentError);
  });
});
