// The sizes of chaos runs: the reduced one CI runs on every change, and the full one of
// `npm run chaos`.
import type { ChaosSettings } from './plan.js';

const EDGE = { redirectBefore: 0.04, redirectAfter: 0.04, hugeAfter: 0.04 } as const;
const EDGE_ON_START = { redirectBefore: 0.1, redirectAfter: 0.15, hugeAfter: 0.15 } as const;

/**
 * CI's run on PostgreSQL: three hosts, eight recordings, every kind of fault at least once, in
 * about 35 s of real time (speed 5: 120 s of faults, 40 s quiet).
 */
export const CI_POSTGRES: ChaosSettings = {
  store: 'postgres',
  hosts: 3,
  recordings: 8,
  stops: 2,
  speed: 5,
  faultsMs: 120_000,
  quietMs: 40_000,
  leaseTtlMs: 20_000,
  kills: 2,
  restartAfterMs: 5_000,
  postgresRestarts: 1,
  terminations: 2,
  zombies: 1,
  zombieMs: 30_000,
  edge: EDGE,
  edgeOnStart: EDGE_ON_START,
};

/** CI's run on SQLite: one host killed at random points, the edges' faults. */
export const CI_SQLITE: ChaosSettings = {
  ...CI_POSTGRES,
  store: 'sqlite',
  hosts: 1,
  recordings: 4,
  faultsMs: 80_000,
  quietMs: 30_000,
  kills: 4,
  restartAfterMs: 2_000,
  zombies: 0,
};

/** A run of the full suite on PostgreSQL: longer, more recordings, more of every fault. */
export const FULL_POSTGRES: ChaosSettings = {
  ...CI_POSTGRES,
  recordings: 12,
  stops: 4,
  faultsMs: 400_000,
  quietMs: 60_000,
  kills: 6,
  postgresRestarts: 2,
  terminations: 4,
  zombies: 3,
};

/** A run of the full suite on SQLite. */
export const FULL_SQLITE: ChaosSettings = {
  ...CI_SQLITE,
  recordings: 6,
  stops: 2,
  faultsMs: 300_000,
  kills: 10,
};
