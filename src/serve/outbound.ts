// Domain events posted to the host's webhook, signed by the Standard Webhooks spec
// (webhook-id, webhook-timestamp, webhook-signature; the `standardwebhooks` package signs), one
// at a time in log order, retried with back-off until the host answers 2xx: at least once. The
// position delivered is kept in a small file beside the log, so a restarted service resumes from
// the log where the last one stopped.
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import type { Observable, Subscription } from 'rxjs';
import { Webhook } from 'standardwebhooks';
import { InvalidArgumentError } from '../errors/index.js';
import type { PositionedEvent } from './event-feed.js';

/** Where the delivery cursor (the last log position fully delivered) is kept. */
export interface DeliveryCursor {
  /** The position, or undefined when none was ever kept. */
  read(): number | undefined;
  /** Keeps it durably before resolving. */
  write(position: number): void;
}

/**
 * A cursor in a file: `{"position": n}`, replaced atomically (written beside, synced, renamed).
 * @example fileCursor('recwatch.db.webhooks-cursor')
 */
export function fileCursor(file: string): DeliveryCursor {
  return {
    read() {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        if ((error as { code?: string }).code === 'ENOENT') return undefined;
        throw error;
      }
      const position = (JSON.parse(text) as { position?: unknown }).position;
      if (!Number.isSafeInteger(position) || (position as number) < 0) {
        throw new Error(`${file}: not a delivery cursor`);
      }
      return position as number;
    },
    write(position) {
      const temporary = `${file}.tmp`;
      const fd = openSync(temporary, 'w');
      try {
        writeSync(fd, `${JSON.stringify({ position })}\n`);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(temporary, file);
    },
  };
}

/** A cursor in memory (a log in memory is lost at exit too). */
export function memoryCursor(): DeliveryCursor {
  let kept: number | undefined;
  return {
    read: () => kept,
    write: (position) => {
      kept = position;
    },
  };
}

/** `whsec_` and standard base64 (padded): what `standardwebhooks` signs with. */
export const WEBHOOK_SECRET =
  /^whsec_(?=.)(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Options of `startOutboundWebhooks`. */
export interface OutboundOptions {
  readonly url: string;
  /** Standard Webhooks secret: `whsec_` followed by base64. */
  readonly secret: string;
  /** One attempt's timeout, ms. */
  readonly timeoutMs: number;
  /** Waits between attempts, ms; the last repeats until the host answers 2xx. */
  readonly retryDelaysMs: readonly number[];
  readonly cursor: DeliveryCursor;
  /** The events after a position, then live (`eventFeed`). */
  readonly feed: (after: number) => Observable<PositionedEvent>;
  /** The supervisor's current log position: where a first run starts. */
  readonly startPosition: () => number;
  /** Told when the cursor could not be kept (the deliveries go on). */
  readonly onCursorError?: (error: unknown) => void;
  /** Told of every attempt. */
  readonly onAttempt?: (
    outcome: 'delivered' | 'failed',
    event: PositionedEvent,
    why?: string,
  ) => void;
}

/** The deliveries under way. */
export interface OutboundWebhooks {
  /** The last position fully delivered. */
  readonly delivered: number;
  /** Stops: an attempt under way is abandoned (it is sent again at the next start). */
  close(): Promise<void>;
}

/** The body posted for one event (Standard Webhooks' recommended shape). */
export interface OutboundBody {
  /** `recording.<event type>`, e.g. `recording.started`. */
  readonly type: string;
  /** When the event was sent (ISO 8601). */
  readonly timestamp: string;
  readonly data: Record<string, unknown> & { readonly position: number; readonly index: number };
}

/**
 * Starts delivering: from the cursor (or, on a first run, from the current position, which is
 * kept at once), every event in log order. The `webhook-id` of an event is the same on every
 * attempt and after a restart (`evt_<position>_<index>`), so the host can drop repeats.
 * @throws InvalidArgumentError when `secret` is not `whsec_` followed by base64 (the value is
 *   never quoted)
 * @throws when the cursor file exists but cannot be read
 */
export function startOutboundWebhooks(options: OutboundOptions): OutboundWebhooks {
  if (typeof options.secret !== 'string' || !WEBHOOK_SECRET.test(options.secret)) {
    throw new InvalidArgumentError(
      'secret: not whsec_ followed by base64 (its value is not shown)',
    );
  }
  const signer = new Webhook(options.secret);
  let delivered = options.cursor.read() ?? -1;
  if (delivered < 0) {
    delivered = options.startPosition();
    options.cursor.write(delivered);
  }
  const queue: PositionedEvent[] = [];
  let closed = false;
  let wake: (() => void) | undefined;
  const abort = new AbortController();
  const subscription: Subscription = options.feed(delivered).subscribe({
    next(event) {
      queue.push(event);
      wake?.();
    },
  });

  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      abort.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      });
    });

  async function attempt(event: PositionedEvent): Promise<string | undefined> {
    const { kind: _kind, ...fields } = event.event;
    const now = new Date();
    const body: OutboundBody = {
      type: `recording.${event.event.type}`,
      timestamp: now.toISOString(),
      data: { ...fields, position: event.position, index: event.index },
    };
    const payload = JSON.stringify(body);
    const id = `evt_${event.position}_${event.index}`;
    const signal = AbortSignal.any([abort.signal, AbortSignal.timeout(options.timeoutMs)]);
    try {
      const response = await fetch(options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'webhook-id': id,
          'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
          'webhook-signature': signer.sign(id, now, payload),
        },
        body: payload,
        signal,
      });
      await response.body?.cancel().catch(() => {});
      return response.ok ? undefined : `HTTP ${response.status}`;
    } catch (error) {
      return error instanceof Error ? error.name : 'failed';
    }
  }

  const worker = (async () => {
    while (!closed) {
      const event = queue.shift();
      if (event === undefined) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          abort.signal.addEventListener('abort', () => resolve());
        });
        wake = undefined;
        continue;
      }
      for (let tries = 0; !closed; tries += 1) {
        const failure = await attempt(event);
        if (closed) return;
        options.onAttempt?.(failure === undefined ? 'delivered' : 'failed', event, failure);
        if (failure === undefined) break;
        const delays = options.retryDelaysMs;
        await wait(delays[Math.min(tries, delays.length - 1)] ?? 1_000);
      }
      if (closed) return;
      if (event.last) {
        delivered = event.position;
        try {
          options.cursor.write(delivered);
        } catch (error) {
          // The cursor lags: after a restart these events are sent again (at least once).
          options.onCursorError?.(error);
        }
      }
    }
  })();

  return {
    get delivered() {
      return delivered;
    },
    async close() {
      closed = true;
      subscription.unsubscribe();
      abort.abort();
      await worker;
    },
  };
}
