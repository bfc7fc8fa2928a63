import type { Signal } from '../signals/index.js';

/** A short, readable label of an input for timelines and decisions. */
export function labelOf(signal: Signal): string {
  switch (signal.type) {
    case 'start':
      return `start ${signal.recording} (uid ${signal.uid}, ${signal.mode})`;
    case 'started':
      return `started ${signal.recording} sid ${signal.sid}`;
    case 'startFailed':
      return `startFailed ${signal.recording} ${signal.outcome.httpStatus ?? 'no response'}`;
    case 'query': {
      const { outcome } = signal;
      const said =
        outcome.kind === 'alive'
          ? `status ${outcome.status}`
          : (outcome.httpStatus ?? 'no response');
      return `query ${signal.recording} ${signal.sid}: ${outcome.kind} ${said}`;
    }
    case 'stopResult':
      return `stopResult ${signal.recording} ${signal.outcome.httpStatus ?? 'no response'}`;
    case 'notification': {
      const n = signal.notification;
      return `notification ${n.eventType} ${n.eventName} ${n.sid}#${n.sequence} uid ${n.uid}`;
    }
    case 'tick':
      return 'tick';
    case 'stop':
      return `stop ${signal.recording}`;
    case 'startSent':
      return `startSent ${signal.recording} (uid ${signal.uid})`;
    case 'resumed':
      return signal.recording === undefined ? 'resumed' : `resumed ${signal.recording}`;
    case 'options':
      return 'options';
  }
}

/** A label for an input that could not be read. */
export function labelOfRaw(raw: unknown): string {
  try {
    if (raw !== null && typeof raw === 'object' && 'type' in raw && typeof raw.type === 'string') {
      return `${raw.type} (unreadable)`;
    }
  } catch {
    // A throwing getter or a proxy's trap: the value has no type anyone can read.
  }
  return 'unreadable input';
}
