// Settling a start that was sent before the host died and whose answer never reached the log.
// Agora's notifications name the sid with the channel and the recorder uid: a notification for
// the intent's cname and uid, on a sid no recording owns, is that start's session, adopted. With
// no such sign within the settle window, the start is taken as never made and sent again with
// the other uid, so a recorder that did start unseen and a new one never kick each other out.
import type { Clock, ClockTimer } from '../clock/index.js';
import type { CoreState } from '../core/index.js';
import { allEntries, type EventLog } from '../log/index.js';
import type { StartIntent } from './supervisor-intents.js';
import { recordingOf } from './supervisor-session.js';

/** What settling needs from the supervisor. */
export interface StartSettlementsOptions {
  readonly clock: Clock;
  readonly log: EventLog;
  readonly settleMs: number;
  readonly state: () => CoreState;
  /** The start did happen: `sid` is its session. */
  readonly adopt: (intent: StartIntent, sid: string) => void;
  /** No sign of it: start again with `uid`. */
  readonly restart: (intent: StartIntent, uid: string) => void;
}

/** The starts being settled, by recording. */
export class StartSettlements {
  private readonly watched = new Map<
    string,
    { intent: StartIntent; timer: ClockTimer | null; concluded: () => void }
  >();

  constructor(private readonly options: StartSettlementsOptions) {}

  /**
   * Looks for the start's notifications in the log, then waits `settleMs` for new ones. The scan
   * is what the returned promise waits for; `concluded` resolves once the start is settled.
   */
  watch(intent: StartIntent): { scanned: Promise<void>; concluded: Promise<void> } {
    let concluded: () => void = () => {};
    const settled = new Promise<void>((resolve) => {
      concluded = resolve;
    });
    this.watched.set(intent.recording, { intent, timer: null, concluded });
    return { scanned: this.scan(intent), concluded: settled };
  }

  private async scan(intent: StartIntent): Promise<void> {
    for await (const entry of allEntries(this.options.log, { fromPosition: intent.position + 1 })) {
      if (!this.watched.has(intent.recording)) return;
      const record = entry.item.kind === 'input' ? entry.item.record : null;
      if (record?.type === 'notification' && this.match(intent, record.body)) return;
    }
    const watched = this.watched.get(intent.recording);
    if (watched === undefined) return;
    watched.timer = this.options.clock.setTimeout(() => this.expire(intent), this.options.settleMs);
  }

  /** A webhook body just logged: it may name a watched start's sid. */
  notice(body: unknown): void {
    for (const { intent } of this.watched.values()) if (this.match(intent, body)) return;
  }

  /** The recording moved on (a new start was issued): stop watching it. */
  cancel(recording: string): void {
    const watched = this.watched.get(recording);
    if (watched?.timer != null) this.options.clock.clearTimeout(watched.timer);
    this.watched.delete(recording);
    watched?.concluded();
  }

  close(): void {
    for (const recording of [...this.watched.keys()]) this.cancel(recording);
  }

  private match(intent: StartIntent, body: unknown): boolean {
    const payload = payloadOf(body);
    if (payload === null || payload.cname !== intent.cname || payload.uid !== intent.uid)
      return false;
    if (this.options.state().sidOwners.get(payload.sid) !== undefined) return false;
    this.cancel(intent.recording);
    this.options.adopt(intent, payload.sid);
    return true;
  }

  private expire(intent: StartIntent): void {
    this.cancel(intent.recording);
    const context = recordingOf(this.options.state(), intent.recording)?.context;
    if (context?.attempt?.inFlight !== true || context.host === null) return;
    const { primaryUid, backupUid } = context.host;
    const other = intent.uid === primaryUid ? backupUid : primaryUid;
    this.options.restart(intent, other);
  }
}

function payloadOf(body: unknown): { cname: string; uid: string; sid: string } | null {
  if (body === null || typeof body !== 'object' || !('payload' in body)) return null;
  const payload = body.payload;
  if (payload === null || typeof payload !== 'object') return null;
  const { cname, uid, sid } = payload as Record<string, unknown>;
  if (typeof cname !== 'string' || typeof sid !== 'string' || sid === '') return null;
  if (typeof uid !== 'string' && typeof uid !== 'number') return null;
  return { cname, uid: String(uid), sid };
}
