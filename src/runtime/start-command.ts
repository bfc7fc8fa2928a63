// A host's start command, checked before anything is appended: a mistake is a typed error.
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
