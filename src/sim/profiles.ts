// What can go wrong, and how often: named sets of rates and schedules (docs/simulator.md lists them).
import { SimulatorOptionsError } from './errors.js';

/** Faults of one recording's life, as Poisson rates per hour of recording (0 = never). */
export interface LifeFaults {
  /** Recorder process killed: moved to a new server 5–30 s later (failover). */
  readonly processKillPerHour: number;
  /** Recording server lost: reconnect tried for a minute, moved 60–90 s later (failover). */
  readonly serverLossPerHour: number;
  /** Abnormal exit: event 1 (fatal), 41, 11 `exitStatus 1`; query shows status 20 for 10 s, then 404. */
  readonly abnormalExitPerHour: number;
  /** Web mode: the web recorder stops (71 with code 4, 5 or 6), the session ends. */
  readonly webRecorderStopPerHour: number;
  /** Web mode: capability limit (72, then 71 code 2), the session ends. */
  readonly capabilityLimitPerHour: number;
  /** Warnings (event 2) that change nothing. */
  readonly warningsPerHour: number;
  /** Per recording that ends with files: some went to Agora's backup storage (32 instead of 31). */
  readonly backupUploads: number;
}

/** Faults of the REST API, as probabilities per call. */
export interface ApiFaults {
  /** A start answered 500/502/504 `{code: 62 | 50x}` (no session made). */
  readonly startServerError: number;
  /** A start answered 206 `{code: 65, reason: "request not completed"}` (no session made). */
  readonly startNotCompleted: number;
  /** A query answered 500/504 `{code: 62, reason: "request timeout"}`. */
  readonly queryServerError: number;
  /** A query answered 206 `{code: 65}`. */
  readonly queryNotCompleted: number;
  /** A call opens a burst of 429 `{message: "API rate limit exceeded"}` on every call of the app id. */
  readonly rateLimitBurst: number;
  /** How long a 429 burst lasts, ms. */
  readonly rateLimitBurstMs: number;
}

/** Faults of notification delivery, as probabilities per notification. */
export interface DeliveryFaults {
  /** Never sent. */
  readonly lost: number;
  /** Sent a second time shortly after (same body but a fresh `notifyMs`). */
  readonly duplicated: number;
  /** Sent late, by `delayMs`. */
  readonly delayed: number;
  /** Delay range of a delayed notification, [min, max] ms. */
  readonly delayMs: readonly [number, number];
  /** Held back 1–4 s so the notifications after it overtake it. */
  readonly reordered: number;
  /** Every notification sent twice (Agora's "redundant notification" option). */
  readonly redundant: boolean;
  /** Per start: its first notifications reach the webhook before the start response. */
  readonly beforeStartResponse: number;
  /** Per start on a channel whose previous sid quit: that sid's 11 and 31 come again, late. */
  readonly lateOldSidQuits: number;
}

/** The channel's hosts: occupied stretches separated by short gaps, or by long ones (idle exits). */
export interface HostFaults {
  /** Mean length of a stretch with a host in the channel, ms. */
  readonly occupiedMeanMs: number;
  /** When the channel empties, the chance it stays empty `longGapMs` (past any maxIdleTime). */
  readonly idleExit: number;
  /** How long an idle gap lasts, ms. */
  readonly longGapMs: number;
}

/** A complete fault profile. */
export interface Profile {
  readonly name: string;
  readonly life: LifeFaults;
  readonly api: ApiFaults;
  readonly delivery: DeliveryFaults;
  readonly hosts: HostFaults;
}

/** A profile with some values replaced (`overrides` of `startSimulator`). */
export type ProfileOverrides = {
  readonly [K in keyof Omit<Profile, 'name'>]?: Partial<Profile[K]>;
};

const CLEAN: Profile = {
  name: 'clean',
  life: {
    processKillPerHour: 0,
    serverLossPerHour: 0,
    abnormalExitPerHour: 0,
    webRecorderStopPerHour: 0,
    capabilityLimitPerHour: 0,
    warningsPerHour: 0,
    backupUploads: 0,
  },
  api: {
    startServerError: 0,
    startNotCompleted: 0,
    queryServerError: 0,
    queryNotCompleted: 0,
    rateLimitBurst: 0,
    rateLimitBurstMs: 3_000,
  },
  delivery: {
    lost: 0,
    duplicated: 0,
    delayed: 0,
    delayMs: [2_000, 20_000],
    reordered: 0,
    redundant: false,
    beforeStartResponse: 0,
    lateOldSidQuits: 0,
  },
  hosts: { occupiedMeanMs: 4 * 3_600_000, idleExit: 0, longGapMs: 30 * 60_000 },
};

const derive = (name: string, overrides: ProfileOverrides): Profile =>
  mergeProfile({ ...CLEAN, name }, overrides);

/** The named profiles, by name. */
export const PROFILES: Readonly<Record<ProfileName, Profile>> = {
  clean: CLEAN,
  lossy: derive('lossy', {
    delivery: { lost: 0.1, delayed: 0.05, duplicated: 0.02 },
  }),
  redundantReordered: derive('redundantReordered', {
    delivery: {
      redundant: true,
      reordered: 0.2,
      duplicated: 0.05,
      beforeStartResponse: 0.5,
      lateOldSidQuits: 0.5,
    },
  }),
  failoverStorm: derive('failoverStorm', {
    life: { processKillPerHour: 3, serverLossPerHour: 2 },
  }),
  flakyApi: derive('flakyApi', {
    api: {
      startServerError: 0.2,
      startNotCompleted: 0.1,
      queryServerError: 0.1,
      queryNotCompleted: 0.05,
      rateLimitBurst: 0.02,
    },
  }),
  chaos: derive('chaos', {
    life: {
      processKillPerHour: 1,
      serverLossPerHour: 0.5,
      abnormalExitPerHour: 0.2,
      webRecorderStopPerHour: 0.2,
      capabilityLimitPerHour: 0.1,
      warningsPerHour: 2,
      backupUploads: 0.1,
    },
    api: {
      startServerError: 0.1,
      startNotCompleted: 0.05,
      queryServerError: 0.05,
      queryNotCompleted: 0.03,
      rateLimitBurst: 0.01,
    },
    delivery: {
      lost: 0.05,
      duplicated: 0.05,
      delayed: 0.05,
      reordered: 0.1,
      beforeStartResponse: 0.2,
      lateOldSidQuits: 0.3,
    },
    hosts: { occupiedMeanMs: 40 * 60_000, idleExit: 0.2 },
  }),
};

/** The names of the built-in profiles. */
export type ProfileName =
  | 'clean'
  | 'lossy'
  | 'redundantReordered'
  | 'failoverStorm'
  | 'flakyApi'
  | 'chaos';

/** The names of the built-in profiles, in the order docs/simulator.md lists them. */
export const PROFILE_NAMES: readonly ProfileName[] = [
  'clean',
  'lossy',
  'redundantReordered',
  'failoverStorm',
  'flakyApi',
  'chaos',
];

/**
 * A built-in profile by name, or a given one, with `overrides` applied and every value checked.
 * @throws SimulatorOptionsError for an unknown name or a rate that is negative, not finite, or a
 * probability above 1.
 * @example resolveProfile('lossy', { delivery: { lost: 0.5 } })
 */
export function resolveProfile(
  profile: ProfileName | Profile | undefined,
  overrides: ProfileOverrides = {},
): Profile {
  let base: Profile;
  if (profile === undefined) base = CLEAN;
  else if (typeof profile === 'string') {
    if (!Object.hasOwn(PROFILES, profile)) {
      throw new SimulatorOptionsError(
        `unknown profile '${profile}' (expected one of ${PROFILE_NAMES.join(', ')})`,
      );
    }
    base = PROFILES[profile];
  } else base = profile;
  const merged = mergeProfile(base, overrides);
  checkProfile(merged);
  return merged;
}

function mergeProfile(base: Profile, overrides: ProfileOverrides): Profile {
  return {
    name: base.name,
    life: { ...base.life, ...overrides.life },
    api: { ...base.api, ...overrides.api },
    delivery: { ...base.delivery, ...overrides.delivery },
    hosts: { ...base.hosts, ...overrides.hosts },
  };
}

const PROBABILITIES = new Set([
  'startServerError',
  'startNotCompleted',
  'queryServerError',
  'queryNotCompleted',
  'rateLimitBurst',
  'lost',
  'duplicated',
  'delayed',
  'reordered',
  'beforeStartResponse',
  'lateOldSidQuits',
  'idleExit',
  'backupUploads',
]);

function checkProfile(profile: Profile): void {
  for (const group of ['life', 'api', 'delivery', 'hosts'] as const) {
    for (const [key, value] of Object.entries(profile[group])) {
      const values = Array.isArray(value) ? value : [value];
      for (const item of values) {
        if (typeof item === 'boolean') continue;
        const ok =
          typeof item === 'number' &&
          Number.isFinite(item) &&
          item >= 0 &&
          (!PROBABILITIES.has(key) || item <= 1);
        if (!ok) {
          throw new SimulatorOptionsError(
            `profile ${group}.${key} must be ${PROBABILITIES.has(key) ? 'a probability in [0, 1]' : 'a finite number >= 0'}`,
          );
        }
      }
    }
  }
  const [min, max] = profile.delivery.delayMs;
  if (min > max) throw new SimulatorOptionsError('profile delivery.delayMs must be [min, max]');
}
