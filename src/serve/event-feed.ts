// Domain events with their log position, from any position on: what the event stream and the
// outbound webhooks both send. Past events come from the log (replayed through the core, which
// gives the outputs the live run gave), or from the recent ones kept in memory; then live ones
// follow with no gap and no repeat, since the live subscription starts before the replay.
import { Observable, type Subscription } from 'rxjs';
import type { DomainEvent } from '../../machines/index.js';
import type { CoreOptions, CoreOutput } from '../core/index.js';
import type { EventLog } from '../log/index.js';
import { type JournalStep, rebuildFromLog, type Supervisor } from '../runtime/index.js';

/** One domain event and where it stands in the log. */
export interface PositionedEvent {
  /** The log position of the input whose step gave it. */
  readonly position: number;
  /** Its index among the events of that step (0-based). */
  readonly index: number;
  /** Whether it is the last event of its step: only then is `position` a resume point. */
  readonly last: boolean;
  readonly event: DomainEvent;
}

/** What a feed reads: the supervisor (live steps, state) and its log (the past). */
export interface FeedSource {
  readonly supervisor: Pick<Supervisor, 'steps$' | 'state'>;
  /** The supervisor's log, to replay what is older than the recent events kept. */
  readonly log?: EventLog;
  /** The supervisor's core options: a replay must step with the same ones. */
  readonly core?: Partial<CoreOptions>;
}

/** The domain events of one step, positioned. */
export function eventsOfStep(position: number, outputs: readonly CoreOutput[]): PositionedEvent[] {
  const events = outputs.filter((output): output is DomainEvent => output.kind === 'event');
  return events.map((event, index) => ({
    position,
    index,
    last: index === events.length - 1,
    event,
  }));
}

/**
 * Keeps the events of recent steps (at most `limit` steps with events), so a client that
 * reconnects soon is answered from memory rather than by a replay of the log.
 */
export class RecentEvents {
  private readonly steps: PositionedEvent[][] = [];
  /** Everything after this position is kept (the position at start, or of the last dropped). */
  private coveredAfter: number;
  private readonly subscription: Subscription;

  constructor(
    supervisor: Pick<Supervisor, 'steps$' | 'state'>,
    private readonly limit = 10_000,
  ) {
    this.coveredAfter = supervisor.state.position;
    this.subscription = supervisor.steps$.subscribe((step) => this.add(step));
  }

  private add(step: JournalStep): void {
    const events = eventsOfStep(step.position ?? step.state.position, step.outputs);
    if (events.length === 0) return;
    this.steps.push(events);
    if (this.steps.length > this.limit) {
      const dropped = this.steps.shift();
      if (dropped !== undefined) this.coveredAfter = dropped[0]?.position ?? this.coveredAfter;
    }
  }

  /** The events after `position`, or undefined when some of them are no longer kept. */
  after(position: number): PositionedEvent[] | undefined {
    if (position < this.coveredAfter) return undefined;
    return this.steps.flat().filter((e) => e.position > position);
  }

  /** Stops following the supervisor. */
  close(): void {
    this.subscription.unsubscribe();
  }
}

/**
 * Every domain event after log position `after`, then the live ones, each once and in log order.
 * Errors when the past is needed and there is no log to replay.
 * @example eventFeed(source, recent, 0).subscribe((e) => console.log(e.position, e.event.type))
 */
export function eventFeed(
  source: FeedSource,
  recent: RecentEvents | undefined,
  after: number,
): Observable<PositionedEvent> {
  return new Observable<PositionedEvent>((subscriber) => {
    let sent = after;
    let replaying = true;
    const waiting: PositionedEvent[] = [];
    const send = (events: readonly PositionedEvent[]) => {
      for (const event of events) {
        // A position is sent whole: its events come together, and `sent` moves after the last.
        if (event.position <= sent) continue;
        subscriber.next(event);
        if (event.last) sent = event.position;
      }
    };
    const live = source.supervisor.steps$.subscribe({
      next: (step) => {
        const events = eventsOfStep(step.position ?? step.state.position, step.outputs);
        if (replaying) waiting.push(...events);
        else send(events);
      },
      complete: () => subscriber.complete(),
    });
    past(source, recent, after).then(
      (events) => {
        send(events);
        replaying = false;
        send(waiting.splice(0));
      },
      (error: unknown) => subscriber.error(error),
    );
    return () => live.unsubscribe();
  });
}

async function past(
  source: FeedSource,
  recent: RecentEvents | undefined,
  after: number,
): Promise<PositionedEvent[]> {
  if (after >= source.supervisor.state.position) return [];
  const kept = recent?.after(after);
  if (kept !== undefined) return kept;
  if (source.log === undefined) {
    throw new Error('events before this server started need the log (createServer { log })');
  }
  const byPosition = new Map<number, CoreOutput[]>();
  await rebuildFromLog(source.log, {
    useSnapshot: false,
    ...(source.core !== undefined && { options: source.core }),
    onOutput: (output, entry) => {
      if (entry.position <= after || output.kind !== 'event') return;
      const list = byPosition.get(entry.position) ?? [];
      list.push(output);
      byPosition.set(entry.position, list);
    },
  });
  return [...byPosition].flatMap(([position, outputs]) => eventsOfStep(position, outputs));
}
