import { InvalidArgumentError } from '../errors/index.js';
import type { Clock, ClockTimer } from './clock.js';

interface VirtualTimer extends ClockTimer {
  readonly order: number;
  readonly fire: () => void;
  cleared: boolean;
}

/**
 * A clock that moves only when told to, for tests and simulations that must be deterministic:
 * `advanceBy`/`advanceTo` fire every timer that falls due, in time order (ties in the order they
 * were armed), with `now()` reading each timer's own time while it fires. A timer armed while
 * advancing fires in the same advance when it falls within it.
 * @example
 * const clock = new VirtualClock(0);
 * clock.setTimeout(() => console.log(clock.now()), 5_000);
 * clock.advanceBy(10_000); // logs 5000; clock.now() is 10000
 */
export class VirtualClock implements Clock {
  private current: number;
  // A binary min-heap on (at, order); cleared timers stay in it, flagged, until they surface.
  private readonly heap: VirtualTimer[] = [];
  private armedCount = 0;
  private live = 0;

  /** @param start the clock's first time, ms (default 0). */
  constructor(start = 0) {
    assertTime(start, 'start');
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fire: () => void, delayMs: number): ClockTimer {
    const timer: VirtualTimer = {
      at: this.current + Math.max(0, Number.isFinite(delayMs) ? delayMs : 0),
      order: this.armedCount++,
      fire,
      cleared: false,
    };
    this.push(timer);
    this.live++;
    return timer;
  }

  clearTimeout(timer: ClockTimer): void {
    const armed = timer as VirtualTimer;
    if (armed.cleared || !('cleared' in armed)) return;
    armed.cleared = true;
    this.live--;
  }

  /** How many timers are armed. */
  get pending(): number {
    return this.live;
  }

  /** When the next timer fires, or undefined when none is armed. */
  nextAt(): number | undefined {
    return this.next()?.at;
  }

  /** Moves time forward by `ms` (≥ 0), firing what falls due. */
  advanceBy(ms: number): void {
    assertTime(ms, 'ms');
    this.advanceTo(this.current + ms);
  }

  /**
   * Moves time forward to `time`, firing what falls due on the way.
   * @throws InvalidArgumentError when `time` is before now: a clock never goes back.
   */
  advanceTo(time: number): void {
    assertTime(time, 'time');
    if (time < this.current) {
      throw new InvalidArgumentError(
        `a virtual clock never goes back (now ${this.current}, asked ${time})`,
      );
    }
    for (let timer = this.next(); timer !== undefined && timer.at <= time; timer = this.next()) {
      this.clearTimeout(timer);
      this.current = Math.max(this.current, timer.at);
      timer.fire();
    }
    this.current = time;
  }

  /**
   * Moves time forward by `ms` one timer at a time, awaiting `settle` before the first, after
   * each, and at the end: for a virtual clock that drives real I/O (a loopback server, a log),
   * so whatever a timer set off has answered before time moves on.
   * @example await clock.advanceSettling(60_000, () => supervisor.settle());
   */
  async advanceSettling(ms: number, settle: () => Promise<void>): Promise<void> {
    assertTime(ms, 'ms');
    const target = this.current + ms;
    await settle();
    for (let next = this.nextAt(); next !== undefined && next <= target; next = this.nextAt()) {
      this.advanceTo(Math.max(next, this.current));
      await settle();
    }
    this.advanceTo(target);
    await settle();
  }

  private next(): VirtualTimer | undefined {
    while (this.heap.length > 0 && this.heap[0]!.cleared) this.pop();
    return this.heap[0];
  }

  private push(timer: VirtualTimer): void {
    const heap = this.heap;
    heap.push(timer);
    let index = heap.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!before(heap[index]!, heap[parent]!)) break;
      [heap[index], heap[parent]] = [heap[parent]!, heap[index]!];
      index = parent;
    }
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop()!;
    if (heap.length === 0) return;
    heap[0] = last;
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      const right = left + 1;
      let least = index;
      if (left < heap.length && before(heap[left]!, heap[least]!)) least = left;
      if (right < heap.length && before(heap[right]!, heap[least]!)) least = right;
      if (least === index) return;
      [heap[index], heap[least]] = [heap[least]!, heap[index]!];
      index = least;
    }
  }
}

function before(a: VirtualTimer, b: VirtualTimer): boolean {
  return a.at < b.at || (a.at === b.at && a.order < b.order);
}

function assertTime(value: number, name: string): void {
  if (!Number.isFinite(value) || value < 0) {
    throw new InvalidArgumentError(`${name} must be a finite number of ms >= 0, not ${value}`);
  }
}
