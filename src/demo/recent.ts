// The recordings that changed most recently, by name, for the demo's live view.
import type { DomainEvent } from '../../machines/index.js';

/** One change: when (simulated ms since the run's start), which recording, what happened. */
export interface RecentChange {
  readonly elapsedMs: number;
  readonly recording: string;
  readonly text: string;
}

/** What a domain event did to its recording, in a few words; null for events that change nothing visible. */
export function changeText(event: DomainEvent): string | null {
  switch (event.type) {
    case 'started':
      return 'recording';
    case 'failover':
      return `failing over to ${event.filePrefix || 'a new recorder'}`;
    case 'resumed':
      return 'recording again after the failover';
    case 'quit':
      return `quit (${event.reason})`;
    case 'restarting':
      return `restarting (restart ${event.restarts})`;
    case 'restarted':
      return 'restarted: new sid, starting';
    case 'stopped':
      return 'stopped by the host';
    case 'failed':
      return `failed (${event.reason})`;
    default:
      return null;
  }
}

/** The latest changes, newest first, at most `size`; a recording appears once, with its latest. */
export class RecentChanges {
  private changes: RecentChange[] = [];

  constructor(private readonly size = 5) {}

  /** Notes an event at `elapsedMs`. */
  note(event: DomainEvent, elapsedMs: number): void {
    const text = changeText(event);
    if (text === null) return;
    const others = this.changes.filter((c) => c.recording !== event.recording);
    this.changes = [{ elapsedMs, recording: event.recording, text }, ...others].slice(0, this.size);
  }

  /** Newest first. */
  list(): readonly RecentChange[] {
    return this.changes;
  }
}
