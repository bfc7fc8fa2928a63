// One queue for every REST call of an app id: it holds the QPS budget on the clock, sends the most
// urgent call first, spreads routine queries with jitter, and slows down for everyone on a 429.
// A small token window on our own Clock rather than p-queue or bottleneck: both time their
// intervals with the global timers, so a virtual clock could not drive them and tests would sleep.
import type { Clock, ClockTimer } from '../clock/index.js';
import { SupervisorClosedError } from '../errors/index.js';
import { MinHeap } from './min-heap.js';

/**
 * Which call goes first when several wait: a stop, then a start (its `start` call before new
 * `acquire`s, since a resource id should be used within seconds), then queries.
 */
export type CallPriority = 'stop' | 'start' | 'acquire' | 'urgentQuery' | 'routineQuery';

const RANK: Readonly<Record<CallPriority, number>> = {
  stop: 0,
  start: 1,
  acquire: 2,
  urgentQuery: 3,
  routineQuery: 4,
};

/** Options of `RestScheduler`. */
export interface RestSchedulerOptions {
  readonly clock: Clock;
  /** Calls per second for the whole app id, > 0. */
  readonly qps: number;
  /** Routine queries wait a random 0..jitterMs first, so recordings do not query in lock-step. */
  readonly jitterMs: number;
  /** A number in [0, 1) per draw; seeded, so a virtual-clock run is repeatable. */
  readonly random: () => number;
  /** Pauses after consecutive 429s (ms); the last repeats. Default 1, 2, 4, 8 s. */
  readonly rateLimitPausesMs?: readonly number[];
}

interface Waiting {
  readonly rank: number;
  readonly order: number;
  readonly notBefore: number;
  readonly send: () => void;
  readonly cancel: (error: Error) => void;
}

/**
 * The app id's call queue. `schedule` resolves with the call's result once it has been sent (when
 * the budget allows) and answered; `rateLimited` reports a 429 so the whole queue pauses.
 * @example
 * const scheduler = new RestScheduler({ clock, qps: 10, jitterMs: 2_000, random: seededRandom(1) });
 * const answer = await scheduler.schedule('routineQuery', () => agora.query(session));
 */
export class RestScheduler {
  // Calls that may go now, most urgent first; and calls whose jitter has not run out, soonest first.
  private readonly ready = new MinHeap<Waiting>(
    (a, b) => a.rank < b.rank || (a.rank === b.rank && a.order < b.order),
  );
  private readonly later = new MinHeap<Waiting>(
    (a, b) => a.notBefore < b.notBefore || (a.notBefore === b.notBefore && a.order < b.order),
  );
  // When each of the last `qps` calls went out: a call may go when the oldest is a second old.
  private readonly sent: number[] = [];
  private readonly pauses: readonly number[];
  private pausedUntil = 0;
  private strikes = 0;
  private order = 0;
  private timer: ClockTimer | null = null;
  private closed = false;

  constructor(private readonly options: RestSchedulerOptions) {
    this.pauses = options.rateLimitPausesMs ?? [1_000, 2_000, 4_000, 8_000];
  }

  /** Calls waiting for the budget. */
  get queued(): number {
    return this.ready.size + this.later.size;
  }

  /** Calls sent in the last second (the budget in use: at most `qps`). */
  get sentLastSecond(): number {
    const since = this.options.clock.now() - 1_000;
    let count = 0;
    for (const at of this.sent) if (at > since) count += 1;
    return count;
  }

  /** The budget, calls per second. */
  get qps(): number {
    return this.options.qps;
  }

  /**
   * Sends `call` when its turn comes. Rejects with `SupervisorClosedError` if the queue is closed
   * before it is sent.
   */
  schedule<T>(priority: CallPriority, call: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new SupervisorClosedError());
    const now = this.options.clock.now();
    const jitter =
      priority === 'routineQuery' ? Math.floor(this.options.random() * this.options.jitterMs) : 0;
    return new Promise<T>((resolve, reject) => {
      const entry: Waiting = {
        rank: RANK[priority],
        order: this.order++,
        notBefore: now + jitter,
        send: () => call().then(resolve, reject),
        cancel: reject,
      };
      (entry.notBefore > now ? this.later : this.ready).push(entry);
      this.pump();
    });
  }

  /** A call got 429: the whole queue pauses, longer on each 429 in a row. */
  rateLimited(): void {
    const pause = this.pauses[Math.min(this.strikes, this.pauses.length - 1)] ?? 1_000;
    this.strikes += 1;
    this.pausedUntil = Math.max(this.pausedUntil, this.options.clock.now() + pause);
    this.pump();
  }

  /** A call got an answer that was not a 429: the pauses start small again. */
  answered(): void {
    this.strikes = 0;
  }

  /** Refuses new calls and rejects those still waiting. */
  close(): void {
    this.closed = true;
    if (this.timer !== null) this.options.clock.clearTimeout(this.timer);
    this.timer = null;
    const waiting = [...this.ready.drain(), ...this.later.drain()].sort(
      (a, b) => a.order - b.order,
    );
    for (const entry of waiting) entry.cancel(new SupervisorClosedError());
  }

  private pump(): void {
    if (this.closed) return;
    const { clock, qps } = this.options;
    for (;;) {
      const now = clock.now();
      // Calls whose jitter has run out join the ones that may go.
      for (
        let next = this.later.peek();
        next !== undefined && next.notBefore <= now;
        next = this.later.peek()
      ) {
        this.ready.push(this.later.pop() as Waiting);
      }
      const budgetAt = this.sent.length < qps ? now : (this.sent[0] as number) + 1_000;
      const first = this.ready.peek();
      const soonest = this.later.peek();
      if (first === undefined && soonest === undefined) {
        this.arm(null);
        return;
      }
      const due = first === undefined ? (soonest as Waiting).notBefore : now;
      const at = Math.max(this.pausedUntil, budgetAt, due);
      if (first === undefined || at > now) {
        this.arm(at);
        return;
      }
      this.ready.pop();
      this.sent.push(now);
      if (this.sent.length > qps) this.sent.shift();
      first.send();
    }
  }

  private arm(at: number | null): void {
    if (this.timer !== null && this.timer.at === at) return;
    if (this.timer !== null) this.options.clock.clearTimeout(this.timer);
    this.timer = null;
    if (at === null) return;
    const clock = this.options.clock;
    this.timer = clock.setTimeout(() => {
      this.timer = null;
      this.pump();
    }, at - clock.now());
  }
}

/**
 * A seeded PRNG (mulberry32): numbers in [0, 1), the same sequence for the same seed.
 * @example const random = seededRandom(42); random(); // 0.6011...
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
