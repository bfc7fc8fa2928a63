// What the supervisor writes in a host's log lines: events in a few words, errors by name (a
// host callback's message could hold what it was building, so it is never written).
import type { DomainEvent } from '../../machines/index.js';

/** A domain event in a few words, for a log line. */
export function describe(event: DomainEvent): string {
  switch (event.type) {
    case 'quit':
      return `quit (${event.reason}) sid ${event.sid ?? '-'}`;
    case 'failed':
      return `failed (${event.reason})`;
    case 'failover':
      return `failover ${event.haAttempts} sid ${event.sid} uid ${event.uid}`;
    case 'filesReported':
      return `files ${event.files.length} sid ${event.sid}`;
    case 'uncertain':
      return 'uncertain';
    case 'restarting':
      return `restarting (${event.restarts}) uid ${event.uid}`;
    default:
      return `${event.type} sid ${event.sid ?? '-'}`;
  }
}

/** An error's name (never its message, which could hold what a callback built). */
export function nameOf(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

/** An error's message: only for errors of the log or recwatch itself, never a host callback's. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
