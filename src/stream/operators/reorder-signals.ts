import {
  asyncScheduler,
  Observable,
  type OperatorFunction,
  type SchedulerLike,
  type Subscription,
} from 'rxjs';
import type { Signal } from '../../signals/index.js';
import { orderMatters } from '../order-matters.js';
import {
  advance,
  createReorder,
  DEFAULT_REORDER_OPTIONS,
  forgetSid,
  nextRelease,
  offer,
  type Released,
  type ReorderOptions,
} from '../reorder.js';

/** A signal let through by `reorderSignals`, with how it got through. */
export interface OrderedSignal {
  readonly signal: Signal;
  readonly gap: Released<Signal>['gap'];
  readonly late: boolean;
  readonly heldFor: number;
}

export interface ReorderSignalsOptions {
  /** How long a notification waits for a missing predecessor. Default 2000 ms. */
  readonly holdMs?: number;
  /** Where hold timers run; a `TestScheduler` in tests. Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
}

/**
 * Delivers each recorder's notifications of a sid in `sequence` order, holding only what the
 * order can change (see `orderMatters`): such a one whose predecessor is missing is held up to
 * `holdMs` (a timer releases it, gap noted); a late one passes at once, marked late. Other
 * signals pass straight through. On completion, whatever is still held is released in order.
 * @example
 * signals$.pipe(dedupeSignals(), reorderSignals({ holdMs: 2000 })).subscribe(({ signal, gap }) => ...)
 */
export function reorderSignals(
  options: ReorderSignalsOptions = {},
): OperatorFunction<Signal, OrderedSignal> {
  const scheduler = options.scheduler ?? asyncScheduler;
  return (source) =>
    new Observable<OrderedSignal>((subscriber) => {
      let state = createReorder<Signal>();
      const settings: ReorderOptions = { holdMs: options.holdMs ?? DEFAULT_REORDER_OPTIONS.holdMs };
      let timer: Subscription | null = null;
      let armedFor: number | null = null;
      let now = Number.NEGATIVE_INFINITY;

      const emit = (released: readonly Released<Signal>[]) => {
        for (const { item, gap, late, heldFor } of released)
          subscriber.next({ signal: item, gap, late, heldFor });
      };
      const arm = () => {
        const due = nextRelease(state);
        if (due === armedFor) return;
        timer?.unsubscribe();
        timer = null;
        armedFor = due;
        if (due === null) return;
        timer = scheduler.schedule(
          () => {
            armedFor = null;
            timer = null;
            now = Math.max(now, due);
            const result = advance(state, due, settings);
            state = result.state;
            emit(result.released);
            arm();
          },
          Math.max(0, due - now),
        );
      };

      const subscription = source.subscribe({
        next(signal) {
          now = Math.max(now, signal.at);
          const expired = advance(state, now, settings);
          state = expired.state;
          emit(expired.released);
          if (signal.type === 'notification') {
            const { notification } = signal;
            const matters = orderMatters(notification);
            const result = offer(state, notification, signal, signal.at, matters, settings);
            state = result.state;
            emit(result.released);
          } else {
            subscriber.next({ signal, gap: null, late: false, heldFor: 0 });
          }
          arm();
        },
        error(error: unknown) {
          subscriber.error(error);
        },
        complete() {
          for (const sid of [...state.sids.keys()]) {
            const result = forgetSid(state, sid, now, settings);
            state = result.state;
            emit(result.released);
          }
          subscriber.complete();
        },
      });
      return () => {
        timer?.unsubscribe();
        subscription.unsubscribe();
      };
    });
}
