import { filter, type MonoTypeOperatorFunction } from 'rxjs';
import type { Signal } from '../../signals/index.js';
import {
  createDedupe,
  DEFAULT_DEDUPE_OPTIONS,
  type DedupeOptions,
  dedupe,
  expireDedupe,
  finishSid,
} from '../dedupe.js';

export interface DedupeSignalsOptions extends Partial<Pick<DedupeOptions, 'maxKeys'>> {
  /** Told of every duplicate dropped, so none disappears unseen. */
  readonly onDuplicate?: (signal: Signal) => void;
}

/**
 * Drops second copies of notifications (same sid, recorder uid, eventType and sequence, or same
 * non-empty noticeId); everything else passes. A sid counts as finished at its session_exit (11)
 * and is forgotten `retainFinishedMs` later (earlier past `maxKeys`); each subscription has its
 * own memory.
 * @example
 * signals$.pipe(dedupeSignals({ onDuplicate: (s) => log.debug('duplicate', s) }))
 */
export function dedupeSignals(
  options: DedupeSignalsOptions = {},
): MonoTypeOperatorFunction<Signal> {
  return (source) => {
    let state = createDedupe();
    const settings: DedupeOptions = {
      ...DEFAULT_DEDUPE_OPTIONS,
      ...(options.maxKeys !== undefined && { maxKeys: options.maxKeys }),
    };
    return source.pipe(
      filter((signal) => {
        if (signal.type !== 'notification') return true;
        const { notification, at } = signal;
        const result = dedupe(expireDedupe(state, at, settings), notification, at, settings);
        // The core learns a sid is done from its machine; alone, the operator has Agora's word.
        state =
          notification.eventType === 11
            ? finishSid(result.state, notification.sid, at)
            : result.state;
        if (result.duplicate) options.onDuplicate?.(signal);
        return !result.duplicate;
      }),
    );
  };
}
