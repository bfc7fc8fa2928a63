// The supervisor's side of sharing a log: which records carry a fence, how a call is fenced,
// which recordings need an owner.
import { hostname } from 'node:os';
import type { CoreState } from '../core/index.js';
import { LeaseLostError } from '../log/index.js';
import type { Lease } from '../log/postgres-leases.js';
import type { TraceRecord } from '../signals/index.js';
import { type Ownership, recordingLease } from './ownership.js';
import { recordingOf } from './supervisor-session.js';

// The records that report what an effect did: only the recording's owner may append them.
const FENCED_TYPES = new Set([
  'query',
  'stopResult',
  'startFailed',
  'started',
  'startSent',
  'resumed',
]);

/**
 * The fence of a record on a shared log: the owner's lease for the answers of its calls, none for
 * what any instance may append (webhooks, host commands, ticks) or on a log of one instance.
 * @throws LeaseLostError when the record needs a lease this instance does not hold.
 * @example journal.receive(record, fenceOf(ownership, record))
 */
export function fenceOf(
  ownership: Ownership | null,
  record: TraceRecord,
): { fence: Lease } | undefined {
  if (ownership === null || !FENCED_TYPES.has(record.type) || !('recording' in record)) {
    return undefined;
  }
  const recording = String(record.recording);
  const lease = ownership.leaseOf(recording);
  if (lease === undefined) throw new LeaseLostError(recordingLease(recording), 0);
  return { fence: lease };
}

/**
 * Sends a call about `recording` only while this instance holds its lease (checked in the
 * database right before): null, nothing sent, once it is lost.
 * @example await fencedCall(ownership, 'r1', () => agora.query(session))
 */
export async function fencedCall<T>(
  ownership: Ownership | null,
  recording: string | undefined,
  send: () => Promise<T>,
): Promise<T | null> {
  if (ownership !== null && recording !== undefined && !(await ownership.check(recording))) {
    return null;
  }
  return send();
}

/**
 * The check before each retry of a call about `recording` (the first attempt is `fencedCall`'s):
 * a retry goes out only while this instance still holds the lease, checked in the database, so
 * an owner that lost it while it waited (paused past it, cut from the database) sends nothing
 * more. `lapsed()` tells afterwards whether the lease was found lost; the call's answer is then
 * not this instance's to act on. No check on a log of one instance.
 * @example const retry = fencedRetry(ownership, 'r1'); await agora.query(session, { beforeRetry: retry.beforeRetry });
 */
export function fencedRetry(
  ownership: Ownership | null,
  recording: string | undefined,
): { readonly beforeRetry?: () => Promise<boolean>; lapsed(): boolean } {
  if (ownership === null || recording === undefined) return { lapsed: () => false };
  let lapsed = false;
  return {
    beforeRetry: async () => {
      const held = await ownership.check(recording);
      if (!held) lapsed = true;
      return held;
    },
    lapsed: () => lapsed,
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
