// The supervisor's side of sharing a log: how it is shared (alone, or with other instances),
// which recordings need an owner, the instance's default name, the follower of others' entries.
import { hostname } from 'node:os';
import type { CoreState } from '../core/index.js';
import { LeaseLostError } from '../log/index.js';
import type { Lease } from '../log/postgres-leases.js';
import type { TraceRecord } from '../signals/index.js';
import { type Ownership, recordingLease } from './ownership.js';
import { recordingOf } from './supervisor-session.js';

/**
 * How a supervisor shares its log: alone (`ALONE`: it drives every recording, no fence, no
 * lease), or with other instances (`sharedBy`: the lease of each recording decides). One object,
 * so the supervisor reads the same whichever it is.
 */
export interface Sharing {
  /** Whether this instance acts for `recording`: runs its effects, emits its events. */
  drives(recording: string): boolean;
  /**
   * The fence of a record: the owner's lease for the answers of its calls and what recovery
   * appends for it; none for what any instance may append (webhooks, host commands, ticks).
   * @throws LeaseLostError when the record needs a lease this instance does not hold.
   */
  fenceOf(record: TraceRecord): { fence: Lease } | undefined;
  /**
   * Sends a call about `recording` only while this instance holds its lease (checked in the
   * database right before): null, nothing sent, once it is lost.
   */
  call<T>(recording: string | undefined, send: () => Promise<T>): Promise<T | null>;
  /**
   * The check before each retry of a call about `recording` (the first attempt is `call`'s): a
   * retry goes out only while this instance still holds the lease, checked in the database, so
   * an owner that lost it while it waited (paused past it, cut from the database) sends nothing
   * more. `lapsed()` tells afterwards whether the lease was found lost: the call's answer is then
   * not this instance's to act on.
   */
  retryFence(recording: string | undefined): {
    readonly beforeRetry?: () => Promise<boolean>;
    lapsed(): boolean;
  };
  /** The core gave `recording` an effect this instance does not run: it needs an owner. */
  want(recording: string): void;
  /** Hands every lease back (closing). */
  stop(): Promise<void>;
}

/** A log of one instance: it drives everything. */
export const ALONE: Sharing = {
  drives: () => true,
  fenceOf: () => undefined,
  call: (_recording, send) => send(),
  retryFence: () => ({ lapsed: () => false }),
  want: () => {},
  stop: async () => {},
};

// The records that report what an effect did, or recover it: only the recording's owner may
// append them.
const FENCED_TYPES = new Set([
  'query',
  'stopResult',
  'startFailed',
  'started',
  'startSent',
  'resumed',
]);

/**
 * A log shared with other instances, by this instance's ownership of recordings.
 * @example const sharing = sharedBy(await Ownership.start({ ... }));
 */
export function sharedBy(ownership: Ownership): Sharing {
  return {
    drives: (recording) => ownership.owns(recording),
    fenceOf(record) {
      if (!FENCED_TYPES.has(record.type) || !('recording' in record)) return undefined;
      const recording = String(record.recording);
      const lease = ownership.leaseOf(recording);
      if (lease === undefined) throw new LeaseLostError(recordingLease(recording), 0);
      return { fence: lease };
    },
    async call(recording, send) {
      if (recording !== undefined && !(await ownership.check(recording))) return null;
      return send();
    },
    retryFence(recording) {
      if (recording === undefined) return { lapsed: () => false };
      let lapsed = false;
      return {
        beforeRetry: async () => {
          const held = await ownership.check(recording);
          if (!held) lapsed = true;
          return held;
        },
        lapsed: () => lapsed,
      };
    },
    want: (recording) => ownership.want(recording),
    stop: () => ownership.stop(),
  };
}

/** The recordings that still need driving (not ended), sorted: those a shared log gives owners. */
export function activeRecordings(state: CoreState): string[] {
  return [...state.recordings.keys()].filter((id) => recordingOf(state, id)?.active).sort();
}

/** The instance name when the host gives none: the machine's name and the process id. */
export function defaultInstance(): string {
  return `${hostname()}-${process.pid}`;
}

/**
 * Runs `work` once per wake, never two at once: wakes during a run make one more run after it.
 * @example const follower = new Follower(() => journal.follow()); feed.subscribe(() => follower.wake());
 */
export class Follower {
  private running = false;
  private again = false;

  constructor(private readonly work: () => Promise<void>) {}

  wake(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void (async () => {
      try {
        do {
          this.again = false;
          await this.work().catch(() => {});
        } while (this.again);
      } finally {
        this.running = false;
      }
    })();
  }
}
