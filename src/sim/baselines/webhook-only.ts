// Baseline 1, webhook-only: believes the notifications and nothing else. The first 11 (session
// exit), 31 (uploaded) or 32 (backuped) for a channel whose recording it believes live ends it,
// and it starts the recording again at once. No query, no dedupe, no check of the sid: the
// channel name is the app's key, as in many apps.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Baseline, type Tracked } from './baseline.js';

const QUIT_EVENTS = new Set([11, 31, 32]);

/** Baseline 1 (docs/truth-under-faults.md): acts on the first 11/31/32 it sees, by channel. */
export class WebhookOnlyBaseline extends Baseline {
  readonly name = 'webhookOnly';

  readonly webhook = (request: IncomingMessage, response: ServerResponse): void => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      this.notified(Buffer.concat(chunks).toString('utf8'));
      response.writeHead(200);
      response.end();
    });
  };

  protected started(_row: Tracked): void {
    // Nothing to do: it waits for notifications.
  }

  private notified(raw: string): void {
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return;
    }
    const { eventType, payload } = (body ?? {}) as { eventType?: unknown; payload?: unknown };
    if (typeof eventType !== 'number' || !QUIT_EVENTS.has(eventType)) return;
    const cname = (payload as { cname?: unknown } | undefined)?.cname;
    for (const row of this.tracked.values()) {
      if (row.plan.cname === cname && row.belief === 'live') this.ended(row);
    }
  }
}
