import type pg from 'pg';
import { Observable } from 'rxjs';
import { type Clock, type ClockTimer, systemClock } from '../clock/index.js';
import { checkCount } from './checks.js';
import { LogClosedError } from './errors.js';
import type { EventLog, LogEntry } from './types.js';

/** Options of a PostgreSQL log's `watch`. */
export interface WatchOptions {
  /** First position to deliver; default 1 (the whole log, then what comes). */
  readonly fromPosition?: number;
  /**
   * How often to look for new entries when no notification came, ms: the bound on delay when a
   * notification is lost (the listening connection dropped). Default 1000.
   */
  readonly pollIntervalMs?: number;
  /** Entries read per query; default 1000. */
  readonly pageSize?: number;
  /** The clock the polling runs on; default the system clock. */
  readonly clock?: Clock;
  /** Set false to poll only, without `LISTEN` (for a connection pooler that cannot listen). */
  readonly listen?: boolean;
  /** A read that failed (retried at the next poll), for the host's logs. */
  readonly onError?: (error: unknown) => void;
}

/** What `watchLog` needs from the log that owns it. */
export interface WatchSource {
  readonly pool: pg.Pool;
  readonly channel: string;
  readonly options: WatchOptions;
  /** Registers a stop for when the log closes; returns its removal. */
  readonly onClose: (stop: () => void) => () => void;
}

/**
 * Every entry of `log` from a position on, in order, each once, as they are committed: reads are
 * woken by `LISTEN` on the log's channel and by a poll timer (the fallback), and a listening
 * connection that drops is replaced at the next poll. A read that fails is retried at the next
 * poll; the feed completes when the log closes or the subscriber unsubscribes.
 * @example
 * log.watch({ fromPosition: 42 }).subscribe((entry) => owner.consider(entry));
 */
export function watchLog(log: EventLog, source: WatchSource): Observable<LogEntry> {
  const { options } = source;
  const pollMs = options.pollIntervalMs ?? 1000;
  const pageSize = options.pageSize ?? 1000;
  const start = options.fromPosition ?? 1;
  checkCount('pollIntervalMs', pollMs, 1);
  checkCount('pageSize', pageSize, 1);
  checkCount('fromPosition', start, 1);
  const clock = options.clock ?? systemClock();
  return new Observable<LogEntry>((subscriber) => {
    let cursor = start;
    let stopped = false;
    let reading = false;
    let again = false;
    let timer: ClockTimer | null = null;
    let listener: pg.PoolClient | null = null;
    let connecting = false;

    const read = async () => {
      if (reading) {
        again = true;
        return;
      }
      reading = true;
      try {
        do {
          again = false;
          const page = await log.readAll({ fromPosition: cursor, limit: pageSize });
          for (const entry of page) {
            if (stopped) return;
            cursor = entry.position + 1;
            subscriber.next(entry);
          }
          if (page.length === pageSize) again = true;
        } while (again && !stopped);
      } catch (error) {
        if (error instanceof LogClosedError) stop();
        // Anything else is retried at the next poll.
        else options.onError?.(error);
      } finally {
        reading = false;
      }
    };

    const listen = async () => {
      if (options.listen === false || listener !== null || connecting || stopped) return;
      connecting = true;
      let client: pg.PoolClient | undefined;
      try {
        client = await source.pool.connect();
        client.on('notification', (message) => {
          if (message.channel === source.channel) void read();
        });
        client.on('error', () => drop(client));
        await client.query(`LISTEN "${source.channel}"`);
        if (stopped) throw new Error('stopped while connecting');
        listener = client;
        // Entries committed before LISTEN took effect are not announced: read once now.
        void read();
      } catch {
        drop(client);
      } finally {
        connecting = false;
      }
    };

    const released = new WeakSet<pg.PoolClient>();
    const drop = (client: pg.PoolClient | undefined) => {
      if (client === undefined || released.has(client)) return;
      released.add(client);
      if (listener === client) listener = null;
      // Released destroyed: a connection that listened is never reused for queries.
      client.release(true);
    };

    const poll = () => {
      timer = clock.setTimeout(() => {
        timer = null;
        if (stopped) return;
        void read();
        void listen();
        poll();
      }, pollMs);
    };

    const stop = () => {
      if (stopped) return;
      stopped = true;
      if (timer !== null) clock.clearTimeout(timer);
      drop(listener ?? undefined);
      removeStop();
      subscriber.complete();
    };
    const removeStop = source.onClose(stop);

    void read();
    void listen();
    poll();
    return () => {
      if (stopped) return;
      stopped = true;
      if (timer !== null) clock.clearTimeout(timer);
      drop(listener ?? undefined);
      removeStop();
    };
  });
}
