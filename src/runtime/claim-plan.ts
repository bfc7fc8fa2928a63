// Which recordings an instance claims, given the leases every instance can read: a pure plan,
// so every instance reading the same leases agrees, and it is tested as a table.

/** A lease's name says what it is for: a recording's ownership, or an instance's membership. */
export type LeaseName = `recording:${string}` | `instance:${string}`;

/** The lease name of a recording's ownership. */
export function recordingLease(recording: string): LeaseName {
  return `recording:${recording}`;
}

/** The recording a lease name is the ownership of; undefined for a membership. */
export function recordingOfLease(name: string): string | undefined {
  return name.startsWith('recording:') ? name.slice('recording:'.length) : undefined;
}

/** The lease name of an instance's membership (its holder name). */
export function memberLease(holder: string): LeaseName {
  return `instance:${holder}`;
}

/** What a claim is planned from. Times in ms. */
export interface ClaimInput {
  /** This instance's holder name. */
  readonly holder: string;
  /** Every live lease: `name` (a `LeaseName`) and its `holder`. */
  readonly held: readonly { readonly name: string; readonly holder: string }[];
  /** The recordings that need an owner (not ended), in a stable order. */
  readonly wanted: readonly string[];
  /** The recordings this instance holds now. */
  readonly owned: ReadonlySet<string>;
  /** Unowned recordings, with when this instance first saw each so. */
  readonly unownedSince: ReadonlyMap<string, number>;
  readonly now: number;
  /** How long a recording meant for another instance waits before anyone takes it. */
  readonly graceMs: number;
  /**
   * Until then this instance claims nothing new (it is back from an outage: the others may not
   * have rejoined yet, and the work must be spread over all of them). Null: no such wait.
   */
  readonly quietUntil: number | null;
}

/** What to do now. */
export interface ClaimPlan {
  /** Recordings other instances hold: their effects are theirs to run. */
  readonly others: ReadonlySet<string>;
  /** Recordings this instance holds that ended: their leases go back. */
  readonly release: readonly string[];
  /** Recordings to take now, in order (each may still be lost to a faster instance). */
  readonly acquire: readonly string[];
  /** Unowned recordings and since when, as they stand after this plan. */
  readonly unownedSince: ReadonlyMap<string, number>;
}

/**
 * Plans one claim. A recording nobody holds goes to the least-loaded live instance (fewest
 * recording leases, then the smallest name; only members take new work); this instance takes
 * those meant for it at once, and any other one once it has been unowned for `graceMs` (its
 * target may be gone). An ended recording's lease is released so the loads stay honest.
 * @example
 * planClaims({ holder: 'a', held: [{ name: 'instance:a', holder: 'a' }], wanted: ['r1'],
 *   owned: new Set(), unownedSince: new Map(), now: 0, graceMs: 2_000, quietUntil: null }).acquire // ['r1']
 */
export function planClaims(input: ClaimInput): ClaimPlan {
  const { holder, held, now } = input;
  const loads = new Map<string, number>([[holder, 0]]);
  const owners = new Map<string, string>();
  for (const lease of held) {
    if (lease.name.startsWith('instance:')) loads.set(lease.holder, loads.get(lease.holder) ?? 0);
  }
  for (const lease of held) {
    const recording = recordingOfLease(lease.name);
    if (recording === undefined) continue;
    owners.set(recording, lease.holder);
    const load = loads.get(lease.holder);
    if (load !== undefined) loads.set(lease.holder, load + 1);
  }
  const others = new Set(
    [...owners].filter(([, by]) => by !== holder).map(([recording]) => recording),
  );
  const wanted = new Set(input.wanted);
  const release = [...input.owned].filter((recording) => !wanted.has(recording));
  const unownedSince = new Map<string, number>();
  const acquire: string[] = [];
  const quiet = input.quietUntil !== null && now < input.quietUntil;
  for (const recording of input.wanted) {
    if (owners.has(recording) || input.owned.has(recording)) continue;
    // The grace runs from the end of a quiet: what was seen unowned meanwhile was not given up.
    const since = Math.max(
      input.unownedSince.get(recording) ?? now,
      input.quietUntil ?? Number.NEGATIVE_INFINITY,
    );
    unownedSince.set(recording, since);
    const target = leastLoaded(loads);
    loads.set(target, (loads.get(target) ?? 0) + 1);
    if (quiet || (target !== holder && now - since < input.graceMs)) continue;
    acquire.push(recording);
    if (target !== holder) {
      loads.set(target, (loads.get(target) ?? 1) - 1);
      loads.set(holder, (loads.get(holder) ?? 0) + 1);
    }
  }
  return { others, release, acquire, unownedSince };
}

// Fewest recordings, then the smallest name: every instance reading the same leases agrees.
function leastLoaded(loads: ReadonlyMap<string, number>): string {
  let best: [string, number] | null = null;
  for (const [holder, load] of loads) {
    if (best === null || load < best[1] || (load === best[1] && holder < best[0])) {
      best = [holder, load];
    }
  }
  return best?.[0] ?? '';
}
