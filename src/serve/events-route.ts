// GET /v1/events: domain events as server-sent events. The `id` of an event is its log position,
// set on the last event of each step, so a client that reconnects with `Last-Event-ID` (what
// EventSource sends by itself) gets every event after it, replayed from the log: none missed.
import type { Context } from 'hono';
import { type SSEStreamingApi, streamSSE } from 'hono/streaming';
import type { Observable } from 'rxjs';
import type { PositionedEvent } from './event-feed.js';
import { ProblemError } from './problem.js';

/** What the events route needs. */
export interface EventStreamOptions {
  /** The events after a position, then live. */
  readonly feed: (after: number) => Observable<PositionedEvent>;
  /** The current log position: a client without Last-Event-ID starts from here. */
  readonly position: () => number;
  /** A comment line every this many ms keeps proxies from closing an idle stream. Default 15 s. */
  readonly keepAliveMs?: number;
  /** Told when a stream opens and closes (for the gauge, and to end streams on drain). */
  readonly opened: (close: () => void) => () => void;
}

/**
 * Where a client resumes: `Last-Event-ID`, else `?after=`, else now.
 * @throws ProblemError (400) when either is not a whole number >= 0, or is past the end of the
 *   log (a position this log never had: its events would be silently skipped)
 */
export function resumePoint(context: Context, now: number): number {
  const given = context.req.header('last-event-id') ?? context.req.query('after');
  if (given === undefined || given === '') return now;
  if (!/^\d{1,15}$/.test(given)) {
    throw new ProblemError('bad-request', 'Last-Event-ID (or after) must be a log position');
  }
  const after = Number(given);
  if (after > now) {
    throw new ProblemError(
      'bad-request',
      `Last-Event-ID (or after) is past the end of the log (${now}): reconnect without it`,
    );
  }
  return after;
}

/** Answers one events request with a stream that lasts until the client or the server ends it. */
export function eventStream(context: Context, options: EventStreamOptions): Response {
  const after = resumePoint(context, options.position());
  return streamSSE(context, async (stream: SSEStreamingApi) => {
    let chain = Promise.resolve();
    let finish: () => void = () => {};
    const done = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const write = (message: Parameters<SSEStreamingApi['writeSSE']>[0]) => {
      chain = chain.then(() => stream.writeSSE(message)).catch(finish);
    };
    write({ event: 'ready', data: JSON.stringify({ after }), retry: 1_000 });
    const subscription = options.feed(after).subscribe({
      next(event) {
        const { kind: _kind, ...fields } = event.event;
        write({
          event: event.event.type,
          data: JSON.stringify({ ...fields, position: event.position, index: event.index }),
          ...(event.last && { id: String(event.position) }),
        });
      },
      error: () => finish(),
      complete: () => finish(),
    });
    const keepAlive = setInterval(() => {
      chain = chain
        .then(() => stream.write(': keep-alive\n\n'))
        .then(
          () => {},
          () => finish(),
        );
    }, options.keepAliveMs ?? 15_000);
    const closed = options.opened(finish);
    stream.onAbort(finish);
    await done;
    clearInterval(keepAlive);
    subscription.unsubscribe();
    closed();
    await chain;
  });
}
