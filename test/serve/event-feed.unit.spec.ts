import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { CoreState } from '../../src/core/index.js';
import type { JournalStep } from '../../src/runtime/index.js';
import { eventFeed, type PositionedEvent, RecentEvents } from '../../src/serve/event-feed.js';

function fakeSupervisor() {
  const steps$ = new Subject<JournalStep>();
  let position = 0;
  return {
    steps$,
    get state() {
      return { position } as CoreState;
    },
    /** A step at the next position with `count` started events. */
    step(count: number, at = position + 1): JournalStep {
      position = Math.max(position, at);
      const outputs = Array.from({ length: count }, (_, i) => ({
        kind: 'event' as const,
        type: 'started' as const,
        recording: `r${i}`,
        sid: `S${at}`,
        uid: '1',
      }));
      return { item: { kind: 'input', record: {} }, outputs, state: { position: at } as CoreState };
    },
  };
}

const ids = (events: PositionedEvent[]) =>
  events.map((e) => `${e.position}.${e.index}${e.last ? '!' : ''}`);

describe('eventFeed', () => {
  it('sends each event once when a live step repeats one the replay already sent', async () => {
    const supervisor = fakeSupervisor();
    const recent = new RecentEvents(supervisor);
    supervisor.steps$.next(supervisor.step(1));
    const two = supervisor.step(2);
    supervisor.steps$.next(two);
    const got: PositionedEvent[] = [];
    const subscription = eventFeed({ supervisor }, recent, 0).subscribe((e) => got.push(e));
    // While the past is being read, the live subscription sees a step the past holds too.
    supervisor.steps$.next(two);
    await new Promise((resolve) => setTimeout(resolve, 0));
    supervisor.steps$.next(supervisor.step(1));
    expect(ids(got)).toEqual(['1.0!', '2.0', '2.1!', '3.0!']);
    subscription.unsubscribe();
    recent.close();
  });

  it('resumes after a position: nothing at or before it', async () => {
    const supervisor = fakeSupervisor();
    const recent = new RecentEvents(supervisor);
    for (const count of [1, 2, 1]) supervisor.steps$.next(supervisor.step(count));
    const got: PositionedEvent[] = [];
    const subscription = eventFeed({ supervisor }, recent, 2).subscribe((e) => got.push(e));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(ids(got)).toEqual(['3.0!']);
    subscription.unsubscribe();
    recent.close();
  });

  it('says so when the past is older than what is kept and there is no log', async () => {
    const supervisor = fakeSupervisor();
    supervisor.step(1);
    const recent = new RecentEvents(supervisor);
    const failed = await new Promise<unknown>((resolve) =>
      eventFeed({ supervisor }, recent, 0).subscribe({ error: resolve }),
    );
    expect(String(failed)).toContain('need the log');
    recent.close();
  });
});
