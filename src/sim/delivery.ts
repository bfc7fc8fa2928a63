// Posting notifications to the webhook the way Agora's notification service does: signed, retried
// at growing intervals, and (by profile) lost, duplicated, delayed, reordered or sent twice.
import type { Clock } from '../clock/index.js';
import { type NotificationDraft, notificationBody } from './notifications.js';
import { type PostAgents, post, postAgents } from './post.js';
import type { Prng } from './prng.js';
import type { DeliveryFaults } from './profiles.js';
import { signatureHeaders } from './signature.js';

/** What was done to a notification on its way. */
export type DeliveryFault =
  | 'none'
  | 'lost'
  | 'duplicated'
  | 'delayed'
  | 'reordered'
  | 'redundant'
  | 'beforeStartResponse'
  | 'lateOldSid'
  | 'unsubscribed';

/** How one attempt ended: the receiver's HTTP status, or why there was none. */
export type DeliveryOutcome =
  | { readonly kind: 'answered'; readonly httpStatus: number }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'failed'; readonly reason: string }
  | { readonly kind: 'notSent'; readonly reason: 'lost' | 'noWebhook' | 'unsubscribed' };

/** One delivery attempt (or a notification that was never sent), as `deliveries()` lists it. */
export interface DeliveryRecord {
  /** Position in the list, from 0. */
  readonly n: number;
  /** When it was sent (or dropped), clock ms. */
  readonly at: number;
  readonly noticeId: string;
  readonly eventType: number;
  readonly sid: string;
  readonly sequence: number;
  /** 1 for the first attempt, 2..4 for the retries. */
  readonly attempt: number;
  /** 0 for the original, 1.. for duplicates and redundant copies. */
  readonly copy: number;
  readonly fault: DeliveryFault;
  /** The raw body as sent, or as it would have been without a webhook (empty when lost). */
  readonly body: string;
  /** Undefined while the attempt is in flight. */
  outcome?: DeliveryOutcome;
}

/** Options of `Delivery`. */
export interface DeliveryOptions {
  readonly clock: Clock;
  readonly prng: Prng;
  readonly faults: DeliveryFaults;
  readonly webhookUrl: string | undefined;
  readonly secret: string;
  /** Waits before retries 1..n, ms (Agora: up to 3 retries, growing intervals). */
  readonly retryDelaysMs: readonly number[];
  /** An answer other than 200 within this time (clock ms) is a failed attempt. Agora: 10 s. */
  readonly ackTimeoutMs: number;
}

/** How to send one notification. */
export interface SendOptions {
  /** Send now, whatever the delay faults drew (a notification that must beat a response). */
  readonly immediate?: boolean;
  /** The fault to record when no other applies (`beforeStartResponse`, `lateOldSid`). */
  readonly reason?: DeliveryFault;
  /** The stream its faults are drawn from (the session's, so a seed's sessions meet the same faults); default the sender's own. */
  readonly prng?: Prng;
  /** Lost whatever the draws say (a quit whose exit notifications are lost). */
  readonly lost?: boolean;
}

interface Job {
  readonly draft: NotificationDraft;
  readonly copy: number;
  readonly attempt: number;
  readonly fault: DeliveryFault;
  readonly done?: () => void;
}

/**
 * The notification sender. Attempts go out one at a time in the order they fall due, so the
 * receiver sees them in a reproducible order; faults are drawn when a notification is sent, in a
 * fixed number of draws, so a seed replays the same run.
 */
export class Delivery {
  private readonly records: DeliveryRecord[] = [];
  private readonly ready: Job[] = [];
  private readonly timers = new Set<ReturnType<Clock['setTimeout']>>();
  private sending = false;
  private closed = false;
  private idleWaiters: (() => void)[] = [];
  private readonly agents: PostAgents = postAgents();

  constructor(private readonly options: DeliveryOptions) {}

  /**
   * Sends a notification, applying the profile's faults. Resolves when its first copy's first
   * attempt has ended (or at once when it is dropped or delayed).
   */
  send(draft: NotificationDraft, sendOptions: SendOptions = {}): Promise<void> {
    const { faults } = this.options;
    const prng = sendOptions.prng ?? this.options.prng;
    // Always the same draws, in the same order, whatever applies.
    const lost = prng.chance(faults.lost);
    const duplicated = prng.chance(faults.duplicated);
    const delayed = prng.chance(faults.delayed);
    const delay = Math.round(prng.between(faults.delayMs[0], faults.delayMs[1]));
    const reordered = prng.chance(faults.reordered);
    const hold = prng.int(1_000, 4_000);
    const duplicateAfter = prng.int(500, 3_000);
    const reason = sendOptions.reason ?? 'none';
    if (lost || sendOptions.lost === true) {
      this.record(draft, 1, 0, 'lost', '', { kind: 'notSent', reason: 'lost' });
      return Promise.resolve();
    }
    let wait = 0;
    let fault: DeliveryFault = reason;
    if (!sendOptions.immediate && delayed) [wait, fault] = [delay, 'delayed'];
    else if (!sendOptions.immediate && reordered) [wait, fault] = [hold, 'reordered'];
    const first = new Promise<void>((resolve) => {
      this.schedule({ draft, copy: 0, attempt: 1, fault, done: resolve }, wait);
    });
    let copy = 1;
    if (faults.redundant)
      this.schedule({ draft, copy: copy++, attempt: 1, fault: 'redundant' }, wait);
    if (duplicated) {
      this.schedule(
        { draft, copy: copy++, attempt: 1, fault: 'duplicated' },
        wait + duplicateAfter,
      );
    }
    return wait === 0 ? first : Promise.resolve();
  }

  /** Notes a notification of an event type the App ID did not subscribe to: never sent. */
  skip(draft: NotificationDraft): void {
    this.record(draft, 1, 0, 'unsubscribed', '', { kind: 'notSent', reason: 'unsubscribed' });
  }

  /** Every attempt so far, in the order sent. */
  list(): readonly DeliveryRecord[] {
    return this.records;
  }

  /** True while an attempt is in flight or waiting its turn. */
  get busy(): boolean {
    return this.sending || this.ready.length > 0;
  }

  /** Resolves when nothing is in flight or waiting its turn (timers on the clock may remain). */
  idle(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops sending: pending retries and delayed copies are dropped. */
  close(): void {
    this.closed = true;
    for (const timer of this.timers) this.options.clock.clearTimeout(timer);
    this.timers.clear();
    for (const job of this.ready.splice(0)) job.done?.();
    this.agents.http.destroy();
    this.agents.https.destroy();
    this.wakeIdle();
  }

  private schedule(job: Job, wait: number): void {
    if (this.closed) {
      job.done?.();
      return;
    }
    if (wait <= 0) {
      this.enqueue(job);
      return;
    }
    const timer = this.options.clock.setTimeout(() => {
      this.timers.delete(timer);
      this.enqueue(job);
    }, wait);
    this.timers.add(timer);
  }

  // Sent once the current task is done: a virtual clock advancing in one go must not fire the
  // ack timeout of an attempt that has had no chance to reach the receiver yet.
  private enqueue(job: Job): void {
    this.ready.push(job);
    queueMicrotask(() => this.pump());
  }

  private pump(): void {
    if (this.sending) return;
    const job = this.ready.shift();
    if (job === undefined) {
      this.wakeIdle();
      return;
    }
    this.sending = true;
    void this.attempt(job).finally(() => {
      this.sending = false;
      job.done?.();
      this.pump();
    });
  }

  private async attempt(job: Job): Promise<void> {
    const { clock, webhookUrl, secret } = this.options;
    if (this.closed) return;
    const body = notificationBody(job.draft, clock.now());
    if (webhookUrl === undefined) {
      this.record(job.draft, job.attempt, job.copy, job.fault, body, {
        kind: 'notSent',
        reason: 'noWebhook',
      });
      return;
    }
    const record = this.record(job.draft, job.attempt, job.copy, job.fault, body);
    const abort = new AbortController();
    const timeout = clock.setTimeout(() => abort.abort(), this.options.ackTimeoutMs);
    try {
      const httpStatus = await post(
        webhookUrl,
        body,
        { 'content-type': 'application/json', ...signatureHeaders(body, secret) },
        abort.signal,
        this.agents,
      );
      record.outcome = abort.signal.aborted
        ? { kind: 'timeout' }
        : { kind: 'answered', httpStatus };
    } catch (error) {
      record.outcome = abort.signal.aborted
        ? { kind: 'timeout' }
        : { kind: 'failed', reason: describe(error) };
    } finally {
      clock.clearTimeout(timeout);
    }
    const acknowledged = record.outcome.kind === 'answered' && record.outcome.httpStatus === 200;
    const retryDelay = this.options.retryDelaysMs[job.attempt - 1];
    if (!acknowledged && retryDelay !== undefined && !this.closed) {
      this.schedule({ ...job, attempt: job.attempt + 1, done: undefined }, retryDelay);
    }
  }

  private record(
    draft: NotificationDraft,
    attempt: number,
    copy: number,
    fault: DeliveryFault,
    body: string,
    outcome?: DeliveryOutcome,
  ): DeliveryRecord {
    const record: DeliveryRecord = {
      n: this.records.length,
      at: this.options.clock.now(),
      noticeId: draft.noticeId,
      eventType: draft.eventType,
      sid: draft.sid,
      sequence: draft.sequence,
      attempt,
      copy,
      fault,
      body,
      ...(outcome !== undefined && { outcome }),
    };
    this.records.push(record);
    return record;
  }

  private wakeIdle(): void {
    if (this.busy) return;
    for (const wake of this.idleWaiters.splice(0)) wake();
  }
}

// A connection error's cause says more than fetch's generic "fetch failed".
function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    if (cause instanceof Error && 'code' in cause) return String(cause.code);
    return error.message;
  }
  return String(error);
}
