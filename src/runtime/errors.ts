import { RecwatchError } from '../errors/index.js';

/** The journal was closed: nothing more is received or snapshotted through it. */
export class JournalClosedError extends RecwatchError {
  override readonly name = 'JournalClosedError';
  readonly code = 'JOURNAL_CLOSED';

  constructor() {
    super('the journal is closed');
  }
}
