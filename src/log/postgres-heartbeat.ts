import { type Clock, type ClockTimer, systemClock } from '../clock/index.js';
import { checkCount } from './checks.js';
import { checkLease, type Lease, type PostgresLeases } from './postgres-leases.js';

/** Options of `startHeartbeat`. */
export interface HeartbeatOptions {
  /** The holder whose leases are renewed: this instance. */
  readonly holder: string;
  /** Time between beats, ms; default a third of the leases' `ttlMs`, so one late beat loses nothing. */
  readonly intervalMs?: number;
  /** The clock beats run on; default the system clock. */
  readonly clock?: Clock;
  /** Leases this holder had (tracked or renewed before) that a beat found gone: stop acting for them. */
  readonly onLost?: (lost: readonly Lease[]) => void;
  /** A beat that failed (the database unreachable); the next beat tries again. */
  readonly onError?: (error: unknown) => void;
}

/** A running heartbeat: the leases it keeps, as of its last beat. */
export interface Heartbeat {
  /** The leases held as of the last beat, with their latest expiry; plus those tracked since. */
  held(): readonly Lease[];
  /** Adds a lease just acquired, so a later loss of it is reported. */
  track(lease: Lease): void;
  /** Forgets a lease released on purpose, so it is not reported lost. */
  untrack(lease: Lease): void;
  /** Beats now (renews every lease of the holder) and resolves to the leases still held. */
  beat(): Promise<readonly Lease[]>;
  /** Stops beating; leases then expire unless released. */
  stop(): void;
}

/**
 * Renews every lease of `holder` on a timer, with one `renewAll` per beat however many leases it
 * holds, and reports those it lost (expired between beats, or taken over). Fencing does not rely on
 * it: a fenced append from a holder that lost its lease is refused anyway.
 * @example
 * const heartbeat = startHeartbeat(log.leases, { holder: me, onLost: (lost) => drop(lost) });
 * const lease = await log.leases.acquire('recording-r1', me);
 * if (lease) heartbeat.track(lease);
 */
export function startHeartbeat(leases: PostgresLeases, options: HeartbeatOptions): Heartbeat {
  const { holder } = options;
  const intervalMs = options.intervalMs ?? Math.max(1, Math.floor(leases.ttlMs / 3));
  checkCount('intervalMs', intervalMs, 1);
  if (typeof holder !== 'string' || holder === '') {
    throw new TypeError(`a holder must be a non-empty string, not ${String(holder)}`);
  }
  const clock = options.clock ?? systemClock();
  const known = new Map<string, Lease>();
  let timer: ClockTimer | null = null;
  let stopped = false;

  const beat = async (): Promise<readonly Lease[]> => {
    const before = [...known.values()];
    const kept = await leases.renewAll(holder);
    const keptNames = new Map(kept.map((lease) => [lease.name, lease]));
    const lost = before.filter((lease) => keptNames.get(lease.name)?.epoch !== lease.epoch);
    // Leases tracked while the beat was in flight stay; the next beat renews them.
    for (const lease of before) if (known.get(lease.name) === lease) known.delete(lease.name);
    for (const lease of kept) known.set(lease.name, lease);
    if (lost.length > 0) options.onLost?.(lost);
    return kept;
  };

  const schedule = () => {
    timer = clock.setTimeout(() => {
      timer = null;
      if (stopped) return;
      beat().then(
        () => {},
        (error: unknown) => options.onError?.(error),
      );
      schedule();
    }, intervalMs);
  };
  schedule();

  return {
    held: () => [...known.values()],
    track: (lease) => {
      checkLease(lease);
      if (lease.holder !== holder) {
        throw new TypeError(`lease '${lease.name}' is held by ${lease.holder}, not ${holder}`);
      }
      known.set(lease.name, lease);
    },
    untrack: (lease) => {
      if (known.get(lease.name)?.epoch === lease.epoch) known.delete(lease.name);
    },
    beat,
    stop: () => {
      stopped = true;
      if (timer !== null) clock.clearTimeout(timer);
      timer = null;
    },
  };
}
