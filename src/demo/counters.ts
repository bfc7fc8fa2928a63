// What the demo's live view counts: the supervisor's domain events, and what the core decided
// about each input, read back from the SQLite log (the supervisor keeps decisions to itself).
import type { DomainEvent } from '../../machines/index.js';
import { createCore, type DecisionKind, ManifestBook, Replay } from '../core/index.js';
import type { EventLog } from '../log/index.js';

/** Counts of one demo run so far. */
export interface DemoCounts {
  failovers: number;
  restarts: number;
  /** Quits by `quitReason`. */
  quits: Record<string, number>;
  /** Requests to the webhook, duplicates included. */
  webhookRequests: number;
  /** Notifications in the log (a copy of one already logged is acknowledged, not stored). */
  notificationsLogged: number;
  /** Inputs in the log. */
  received: number;
  /** What the core decided about them, by decision. */
  decisions: Partial<Record<DecisionKind, number>>;
  /** Query answers logged, and answers that were 429. */
  queries: number;
  rateLimited: number;
}

/** An empty count. */
export function emptyCounts(): DemoCounts {
  return {
    failovers: 0,
    restarts: 0,
    quits: {},
    webhookRequests: 0,
    notificationsLogged: 0,
    received: 0,
    decisions: {},
    queries: 0,
    rateLimited: 0,
  };
}

/** Adds a domain event to the counts. */
export function countEvent(counts: DemoCounts, event: DomainEvent): void {
  if (event.type === 'failover') counts.failovers += 1;
  else if (event.type === 'restarting') counts.restarts += 1;
  else if (event.type === 'quit')
    counts.quits[event.reason] = (counts.quits[event.reason] ?? 0) + 1;
}

const PAGE = 2_000;

/**
 * Follows a log from its start: each `catchUp` reads what was appended since the last one and
 * steps it through a core of its own (the same inputs give the same decisions as the supervisor's).
 */
export class DecisionTap {
  private readonly fold: Replay;
  /** Every recording's manifest, folded from the same steps. */
  readonly manifests = new ManifestBook();
  private next = 1;
  private reading: Promise<void> | null = null;

  /** Replays the log with the options it recorded (rule 12), as the supervisor decided. */
  constructor(
    private readonly log: EventLog,
    private readonly counts: DemoCounts,
  ) {
    this.fold = new Replay(createCore());
  }

  /** Reads and counts everything appended so far; concurrent calls share one read. */
  catchUp(): Promise<void> {
    this.reading ??= this.read().finally(() => {
      this.reading = null;
    });
    return this.reading;
  }

  private async read(): Promise<void> {
    for (;;) {
      const entries = await this.log.readAll({ fromPosition: this.next, limit: PAGE });
      if (entries.length === 0) return;
      for (const entry of entries) {
        this.next = entry.position + 1;
        this.counts.received += 1;
        const { item } = entry;
        if (item.kind === 'reject') this.counts.notificationsLogged += 1;
        if (item.kind === 'input') {
          const record = item.record;
          if (record.type === 'query') this.counts.queries += 1;
          if (record.type === 'notification') this.counts.notificationsLogged += 1;
          if ('httpStatus' in record && record.httpStatus === 429) this.counts.rateLimited += 1;
        }
        const outputs = this.fold.line(item);
        this.manifests.step(item, outputs);
        for (const output of outputs) {
          if (output.kind !== 'decision') continue;
          const decisions = this.counts.decisions;
          decisions[output.decision] = (decisions[output.decision] ?? 0) + 1;
        }
      }
    }
  }
}

/** Copies dropped: requests whose body was already in the log, and copies the core set aside. */
export function duplicatesOf(counts: DemoCounts): number {
  const unstored = Math.max(0, counts.webhookRequests - counts.notificationsLogged);
  return unstored + (counts.decisions.duplicate ?? 0);
}
