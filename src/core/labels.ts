import type { Notification, Signal } from '../signals/index.js';

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
      return `${headOf(n)}${n.sid}#${n.sequence} uid ${n.uid}`;
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

// The head of a notification's label (`notification 33 uploading_progress `), made once per
// known event type (its name is the type's): every notification has a label, most of a few types.
const HEADS = new Map<number, { readonly name: string; readonly head: string }>();

function headOf(n: Notification): string {
  const { eventType, eventName } = n;
  const known = HEADS.get(eventType);
  // (A signal built by hand may name its type otherwise: its head is made for it.)
  if (known !== undefined && known.name === eventName) return known.head;
  const head = `notification ${eventType} ${eventName} `;
  if (known === undefined && n.known) HEADS.set(eventType, { name: eventName, head });
  return head;
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
