import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock/index.js';
import { InvalidArgumentError } from '../../src/errors/index.js';

describe('VirtualClock', () => {
  it('fires due timers in time order, reading each timer its own time', () => {
    const clock = new VirtualClock(1_000);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push(`b@${clock.now()}`), 500);
    clock.setTimeout(() => fired.push(`a@${clock.now()}`), 200);
    clock.setTimeout(() => fired.push(`c@${clock.now()}`), 5_000);
    clock.advanceBy(1_000);
    expect(fired).toEqual(['a@1200', 'b@1500']);
    expect(clock.now()).toBe(2_000);
    expect(clock.pending).toBe(1);
    expect(clock.nextAt()).toBe(6_000);
  });

  it('fires timers due at one time in the order they were armed', () => {
    const clock = new VirtualClock();
    const fired: number[] = [];
    for (const n of [1, 2, 3]) clock.setTimeout(() => fired.push(n), 10);
    clock.advanceTo(10);
    expect(fired).toEqual([1, 2, 3]);
  });

  it('fires a timer armed while advancing when it falls within the advance', () => {
    const clock = new VirtualClock();
    const fired: number[] = [];
    clock.setTimeout(() => {
      fired.push(clock.now());
      clock.setTimeout(() => fired.push(clock.now()), 100);
    }, 100);
    clock.advanceBy(250);
    expect(fired).toEqual([100, 200]);
  });

  it('never fires a cleared timer', () => {
    const clock = new VirtualClock();
    let fired = false;
    const timer = clock.setTimeout(() => {
      fired = true;
    }, 10);
    clock.clearTimeout(timer);
    clock.advanceBy(100);
    expect(fired).toBe(false);
    expect(clock.pending).toBe(0);
  });

  it('refuses to go back or to take a time that is not finite', () => {
    const clock = new VirtualClock(100);
    expect(() => clock.advanceTo(50)).toThrow(InvalidArgumentError);
    expect(() => clock.advanceBy(Number.NaN)).toThrow(InvalidArgumentError);
    expect(() => new VirtualClock(-1)).toThrow(InvalidArgumentError);
    expect(clock.now()).toBe(100);
  });
});

describe('VirtualClock under many timers', () => {
  it('fires thousands of timers armed in random order in time order, skipping cleared ones', () => {
    const clock = new VirtualClock();
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    const fired: number[] = [];
    const timers = Array.from({ length: 5_000 }, () => {
      const delay = Math.floor(random() * 100_000);
      return clock.setTimeout(() => fired.push(clock.now()), delay);
    });
    const cleared = timers.filter((_, index) => index % 3 === 0);
    for (const timer of cleared) clock.clearTimeout(timer);
    clock.advanceBy(100_000);
    expect(fired).toHaveLength(5_000 - cleared.length);
    expect(fired).toEqual([...fired].sort((a, b) => a - b));
    expect(clock.pending).toBe(0);
  });
});

describe('VirtualClock.advanceSettling', () => {
  it("lets each timer's work settle before time moves on, then stops at the target", async () => {
    const clock = new VirtualClock(0);
    const seen: string[] = [];
    let pending: Promise<void> = Promise.resolve();
    // A timer whose work finishes asynchronously, and arms the next timer only then.
    const arm = (delay: number) =>
      clock.setTimeout(() => {
        pending = Promise.resolve().then(() => {
          seen.push(`work@${clock.now()}`);
          if (clock.now() < 300) arm(100);
        });
      }, delay);
    arm(100);
    await clock.advanceSettling(1_000, async () => {
      await pending;
      seen.push(`settled@${clock.now()}`);
    });
    expect(seen).toEqual([
      'settled@0',
      'work@100',
      'settled@100',
      'work@200',
      'settled@200',
      'work@300',
      'settled@300',
      'settled@1000',
    ]);
    expect(clock.now()).toBe(1_000);
  });
});
