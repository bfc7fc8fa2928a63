// Several supervisors on one shared log: which instance drives which recording. Ownership is a
// lease per recording, renewed by a heartbeat and taken over when it expires; each instance also
// holds a membership lease, so the live instances and their loads can be read from the leases.
import { randomBytes } from 'node:crypto';
import type { Observable } from 'rxjs';
import type { Clock, ClockTimer } from '../clock/index.js';
import { isRecwatchError } from '../errors/index.js';
import {
  type AppendOptions,
  type AppendResult,
  type EventLog,
  LeaseLostError,
  type LogEntry,
  type LogItem,
} from '../log/index.js';
import type { Lease, PostgresLeases } from '../log/postgres-leases.js';
import type { WatchOptions } from '../log/postgres-watch.js';
import { memberLease, planClaims, recordingLease, recordingOfLease } from './claim-plan.js';
import { messageOf } from './log-lines.js';
import type { Logger } from './supervisor-options.js';

/**
 * A log several instances share (`openPostgresLog` of `recwatch/postgres`): the `EventLog`
 * contract plus leases, fenced appends and a live feed of every instance's entries.
 */
export interface SharedLog extends EventLog {
  readonly leases: PostgresLeases;
  append(
    stream: string,
    items: readonly LogItem[],
    options: AppendOptions & { readonly fence?: Lease },
  ): Promise<AppendResult>;
  watch(options?: WatchOptions): Observable<LogEntry>;
}

/** True when `log` can be shared by several instances (it has leases and a live feed). */
export function isSharedLog(log: EventLog): log is SharedLog {
  const shared = log as Partial<SharedLog>;
  return typeof shared.leases?.acquire === 'function' && typeof shared.watch === 'function';
}

export { recordingLease } from './claim-plan.js';

/** What the ownership needs from its supervisor. */
export interface OwnershipOptions {
  readonly log: SharedLog;
  /** The instance's name (`host-a`); the holder is it plus a random suffix, unique per process. */
  readonly instance: string;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The recordings that need an owner now (those not ended), sorted. */
  readonly candidates: () => readonly string[];
  /** A recording was just taken: catch up and pick up its work (the resume of one recording). */
  readonly gained: (recording: string, lease: Lease) => void;
  /**
   * Brings the instance's view up to date with the log before it claims (an instance that was
   * paused must not claim what it last saw live but has since ended). Default: nothing to do.
   */
  readonly catchUp?: () => Promise<void>;
  /** Between heartbeats, ms; default a third of the lease's length, so one late beat loses nothing. */
  readonly intervalMs?: number;
}

/**
 * The recordings this instance owns, kept by a heartbeat on the supervisor's clock. Each beat
 * renews every lease of the instance in one statement (its membership too), drops the leases it
 * lost, takes up any the database gives it that it did not know (an acquire whose answer was
 * lost), then claims the recordings nobody owns: a new recording goes to the least-loaded live
 * instance (fewest recording leases, then name), which claims it at once; any instance claims
 * a recording still unowned after two beats, so a claim never waits on one instance's view.
 * `acquire` is atomic, so a recording has at most one owner whatever the instances believe.
 * @example
 * const ownership = await Ownership.start({ log, instance: 'host-a', clock, logger, candidates, gained });
 * if (ownership.owns('r1')) run(effect);
 */
export class Ownership {
  /** This process's holder name: the instance plus a random suffix. */
  readonly holder: string;
  readonly intervalMs: number;
  private readonly owned = new Map<string, Lease>();
  // Recordings other instances held at the last look: their effects are theirs to run.
  private others = new Set<string>();
  // Unowned recordings, with when this instance first saw them so.
  private readonly unowned = new Map<string, number>();
  private timer: ClockTimer | null = null;
  // Set at the earliest expiry of another instance's recording lease: a take-over at expiry.
  private expiryTimer: ClockTimer | null = null;
  private stopped = false;
  private beating: Promise<void> | null = null;
  private reconciling: Promise<void> | null = null;
  private reconcileAgain = false;
  // Back from a lapse (a failed beat, a lost membership): no new claim before then, so the
  // instances coming back together spread the work instead of the first taking it all.
  private quietUntil: number | null = null;

  private constructor(private readonly options: OwnershipOptions) {
    this.holder = `${options.instance}#${randomBytes(3).toString('hex')}`;
    this.intervalMs = options.intervalMs ?? Math.max(1, Math.floor(options.log.leases.ttlMs / 3));
  }

  /** Joins the live instances (a membership lease), then beats until `stop`. */
  static async start(options: OwnershipOptions): Promise<Ownership> {
    const ownership = new Ownership(options);
    await ownership.join();
    ownership.schedule();
    return ownership;
  }

  /** True while this instance holds the recording's lease (as of its last renewal). */
  owns(recording: string): boolean {
    return this.owned.has(recording);
  }

  /** The lease this instance holds on the recording: the fence of its appends. */
  leaseOf(recording: string): Lease | undefined {
    return this.owned.get(recording);
  }

  /** The recordings this instance owns, sorted. */
  ownedRecordings(): string[] {
    return [...this.owned.keys()].sort();
  }

  /** How many recordings this instance owns. */
  get load(): number {
    return this.owned.size;
  }

  /**
   * Checks in the database that the recording's lease is still this instance's, extending it:
   * called right before a call to Agora, so a holder that lost its lease calls nothing. The
   * renewal gives the call a whole lease length before anyone else may take the recording.
   */
  async check(recording: string): Promise<boolean> {
    const lease = this.owned.get(recording);
    if (lease === undefined || this.stopped) return false;
    try {
      const renewed = await this.options.log.leases.renew(lease);
      if (this.owned.get(recording) === lease) this.owned.set(recording, renewed);
      return true;
    } catch (error) {
      if (isRecwatchError(error, 'LEASE_LOST')) {
        this.drop(recording, lease);
        return false;
      }
      throw error;
    }
  }

  /** Keeps a note on the recording's lease (fenced): `LeaseLostError` when it is not held. */
  async note(recording: string, note: string | null): Promise<void> {
    const lease = this.owned.get(recording);
    if (lease === undefined) throw new LeaseLostError(recordingLease(recording), 0);
    await this.options.log.leases.note(lease, note);
  }

  /** The note the recording's last holder kept, or null. */
  noteOf(recording: string): Promise<string | null> {
    return this.options.log.leases.noteOf(recordingLease(recording));
  }

  /** A recording needs an owner (the core gave it an effect nobody here runs): claim soon. */
  want(recording: string): void {
    // Another owner's effect: nothing to claim (if it died, the look at its expiry finds out).
    if (this.owned.has(recording) || this.others.has(recording) || this.stopped) return;
    if (!this.unowned.has(recording)) this.unowned.set(recording, this.options.clock.now());
    void this.reconcile();
  }

  /** Beats now: renews, drops what was lost, claims what is unowned. */
  beat(): Promise<void> {
    this.beating ??= this.renewAndClaim().finally(() => {
      this.beating = null;
    });
    return this.beating;
  }

  /**
   * Stops beating and hands every lease back at once (the membership too), so the other
   * instances take this one's recordings at their next beat instead of after the lease expires.
   */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer !== null) this.options.clock.clearTimeout(this.timer);
    if (this.expiryTimer !== null) this.options.clock.clearTimeout(this.expiryTimer);
    this.timer = null;
    this.expiryTimer = null;
    await Promise.allSettled([this.beating, this.reconciling]);
    this.owned.clear();
    try {
      await this.options.log.leases.releaseAll(this.holder);
    } catch (error) {
      this.options.logger.warn?.(
        `recwatch: ${this.holder} could not hand its leases back (they expire instead): ${messageOf(error)}`,
      );
    }
  }

  private async join(): Promise<void> {
    const lease = await this.options.log.leases.acquire(memberLease(this.holder), this.holder);
    if (lease === null) throw new Error(`instance ${this.holder} is already a member`);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = this.options.clock.setTimeout(() => {
      this.timer = null;
      void this.beat().finally(() => this.schedule());
    }, this.intervalMs);
  }

  private async renewAndClaim(): Promise<void> {
    if (this.stopped) return;
    try {
      // Judged against the leases held when the renewal was sent: one a claim took meanwhile
      // (claims run beside the beat) is not in its answer, yet held; dropped, it would stay ours
      // in the database, renewed by every beat, and driven by nobody.
      const asked = [...this.owned];
      const kept = await this.options.log.leases.renewAll(this.holder);
      const byName = new Map(kept.map((lease) => [lease.name, lease]));
      for (const [recording, lease] of asked) {
        if (this.owned.get(recording)?.epoch !== lease.epoch) continue;
        const renewed = byName.get(recordingLease(recording));
        if (renewed?.epoch === lease.epoch) this.owned.set(recording, renewed);
        else this.drop(recording, lease);
      }
      // Our membership lapsed (a long pause): we are alive, so join again.
      if (!byName.has(memberLease(this.holder))) {
        await this.join();
        this.quietUntil = this.options.clock.now() + 2 * this.intervalMs;
      }
    } catch (error) {
      this.options.logger.warn?.(
        `recwatch: ${this.holder} heartbeat failed (retried at the next beat): ${messageOf(error)}`,
      );
      this.quietUntil = this.options.clock.now() + 2 * this.intervalMs;
      return;
    }
    await this.reconcile();
  }

  // One reconcile at a time; a request during one runs another after it.
  private reconcile(): Promise<void> {
    if (this.reconciling !== null) {
      this.reconcileAgain = true;
      return this.reconciling;
    }
    this.reconciling = (async () => {
      try {
        do {
          this.reconcileAgain = false;
          await this.claim();
        } while (this.reconcileAgain && !this.stopped);
      } catch (error) {
        this.options.logger.warn?.(
          `recwatch: ${this.holder} could not claim recordings (retried at the next beat): ${messageOf(error)}`,
        );
      } finally {
        this.reconciling = null;
      }
    })();
    return this.reconciling;
  }

  private async claim(): Promise<void> {
    if (this.stopped) return;
    await this.options.catchUp?.();
    const { leases } = this.options.log;
    const held = await leases.held();
    this.adoptUnknown(held);
    const plan = planClaims({
      holder: this.holder,
      held,
      wanted: this.options.candidates(),
      owned: new Set(this.owned.keys()),
      unownedSince: this.unowned,
      now: this.options.clock.now(),
      graceMs: 2 * this.intervalMs,
      quietUntil: this.quietUntil,
    });
    this.others = new Set(plan.others);
    this.unowned.clear();
    for (const [recording, since] of plan.unownedSince) this.unowned.set(recording, since);
    // Ended: its lease goes back so the loads stay honest.
    for (const recording of plan.release) await this.release(recording);
    for (const recording of plan.acquire) {
      if (this.stopped) return;
      const lease = await leases.acquire(recordingLease(recording), this.holder);
      if (lease === null) continue;
      this.unowned.delete(recording);
      this.own(recording, lease, '');
    }
    const others = held.filter(
      (lease) => recordingOfLease(lease.name) !== undefined && lease.holder !== this.holder,
    );
    // Back from a lapse: look again once the quiet is over.
    const quietEnd = this.quietUntil ?? Number.POSITIVE_INFINITY;
    this.reconcileAt(Math.min(quietEnd, ...others.map((lease) => lease.expiresAt)));
  }

  // A recording lease the database gives this instance but it does not know: an acquire whose
  // answer was lost (it committed, the connection broke). Claims run one at a time, so none is
  // out now. Left alone it would be renewed by every beat and driven by nobody; it is ours.
  private adoptUnknown(held: readonly Lease[]): void {
    for (const lease of held) {
      const recording = recordingOfLease(lease.name);
      if (lease.holder !== this.holder || recording === undefined) continue;
      if (!this.owned.has(recording)) this.own(recording, lease, ', found held');
    }
  }

  // A recording's lease is this instance's now: it drives the recording from here on.
  private own(recording: string, lease: Lease, how: string): void {
    this.owned.set(recording, lease);
    this.options.logger.info?.(
      `recwatch: ${this.holder} owns ${recording} (lease epoch ${lease.epoch}${how})`,
    );
    this.options.gained(recording, lease);
  }

  // Looks again when the first lease of another instance would expire: if its holder died, its
  // recordings are taken at the end of their lease rather than at our next beat after it. A
  // lease renewed meanwhile just moves the next look on.
  private reconcileAt(at: number): void {
    if (this.expiryTimer !== null) this.options.clock.clearTimeout(this.expiryTimer);
    this.expiryTimer = null;
    if (!Number.isFinite(at) || this.stopped) return;
    const delay = Math.max(0, at - this.options.clock.now()) + 1;
    this.expiryTimer = this.options.clock.setTimeout(() => {
      this.expiryTimer = null;
      void this.reconcile();
    }, delay);
  }

  /** Hands a recording's lease back now (it turned out to have ended): another may not need it. */
  giveBack(recording: string): Promise<void> {
    return this.release(recording);
  }

  private async release(recording: string): Promise<void> {
    const lease = this.owned.get(recording);
    if (lease === undefined) return;
    this.owned.delete(recording);
    await this.options.log.leases.release(lease);
  }

  private drop(recording: string, lease: Lease): void {
    if (this.owned.get(recording)?.epoch !== lease.epoch) return;
    this.owned.delete(recording);
    this.options.logger.warn?.(
      `recwatch: ${this.holder} lost ${recording} (lease epoch ${lease.epoch}): another instance drives it now`,
    );
  }
}
