// Reading host commands and describing events in log lines: the supervisor's words.
import type { DomainEvent } from '../../machines/index.js';
import { InvalidCommandError } from '../errors/index.js';
import { isModeName, KNOWN_MODES } from '../signals/index.js';
import type { StartCommand } from './supervisor-api.js';

/** Refuses a start command that cannot be used, naming the field. */
export function checkStart(command: StartCommand): void {
  if (command === null || typeof command !== 'object')
    throw new InvalidCommandError('start needs a command object');
  for (const field of ['recording', 'cname', 'uid'] as const) {
    const value: unknown = command[field];
    if (
      !(
        (typeof value === 'string' && value !== '') ||
        (field === 'uid' && typeof value === 'number')
      )
    ) {
      throw new InvalidCommandError(`start: ${field} must be a non-empty string`);
    }
  }
  // A mode recwatch does not know yet is kept (docs/lifecycle.md), but it must be a mode name.
  if (!isModeName(command.mode)) {
    throw new InvalidCommandError(
      `start: mode must be a mode name (${KNOWN_MODES.join(', ')}, or another Agora adds), not '${String(command.mode)}'`,
    );
  }
}

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
