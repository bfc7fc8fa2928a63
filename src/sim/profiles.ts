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
  /** Web mode: the `maxRecordingHour` the host set comes due (71 `code 1`), the session ends. */
  readonly maxRecordingHourPerHour: number;
  /** Per web start: the page recorder starts paused (query `status 0`, `onhold: true`) until the host resumes it. */
  readonly webStartsOnhold: number;
  /** How long a paused web recorder waits for the host to resume it, [min, max] ms. */
  readonly onholdMs: readonly [number, number];
  /** Per recording that ends with files: the upload is stranded (`uploadingStatus: "stranded"`), files come later. */
  readonly strandedUploads: number;
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
  /** Peaks an hour when the App ID's quota is used up: acquire and start answer 400 `code 406`. */
  readonly overloadPeaksPerHour: number;
  /** How long a peak lasts, [min, max] ms. */
  readonly overloadPeakMs: readonly [number, number];
  /** A start that creates a recorder whose answer is lost (connection reset or 504 `code 62`). */
  readonly startAnswerLost: number;
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
  /** Per quit the host did not ask for: its exit notifications (41, 71, 72, 11, 31, 32) are all lost. */
  readonly exitNoticesLost: number;
  /** Event types the App ID did not subscribe to: never sent, but their `sequence` numbers are used. */
  readonly unsubscribed: readonly number[];
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
    maxRecordingHourPerHour: 0,
    webStartsOnhold: 0,
    onholdMs: [120_000, 600_000],
    strandedUploads: 0,
  },
  api: {
    startServerError: 0,
    startNotCompleted: 0,
    queryServerError: 0,
    queryNotCompleted: 0,
    rateLimitBurst: 0,
    rateLimitBurstMs: 3_000,
    overloadPeaksPerHour: 0,
    overloadPeakMs: [60_000, 240_000],
    startAnswerLost: 0,
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
    exitNoticesLost: 0,
    unsubscribed: [],
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
  lostExits: derive('lostExits', {
    life: { abnormalExitPerHour: 1, webRecorderStopPerHour: 1, serverLossPerHour: 0.5 },
    delivery: { exitNoticesLost: 0.5 },
  }),
  realWorld: derive('realWorld', {
    life: {
      processKillPerHour: 1,
      serverLossPerHour: 0.5,
      warningsPerHour: 2,
      backupUploads: 0.1,
      maxRecordingHourPerHour: 0.5,
      webStartsOnhold: 0.4,
      strandedUploads: 0.3,
    },
    api: { overloadPeaksPerHour: 1, startAnswerLost: 0.1 },
    delivery: { unsubscribed: [2, 33, 43, 44] },
  }),
};

/** The names of the built-in profiles. */
export type ProfileName =
  | 'clean'
  | 'lossy'
  | 'redundantReordered'
  | 'failoverStorm'
  | 'flakyApi'
  | 'chaos'
  | 'lostExits'
  | 'realWorld';

/** The names of the built-in profiles, in the order docs/simulator.md lists them. */
export const PROFILE_NAMES: readonly ProfileName[] = [
  'clean',
  'lossy',
  'redundantReordered',
  'failoverStorm',
  'flakyApi',
  'chaos',
  'lostExits',
  'realWorld',
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
  'webStartsOnhold',
  'strandedUploads',
  'startAnswerLost',
  'exitNoticesLost',
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
  const ranges = [
    ['delivery.delayMs', profile.delivery.delayMs],
    ['life.onholdMs', profile.life.onholdMs],
    ['api.overloadPeakMs', profile.api.overloadPeakMs],
  ] as const;
  for (const [name, range] of ranges) {
    if (range.length !== 2 || range[0]! > range[1]!)
      throw new SimulatorOptionsError(`profile ${name} must be [min, max]`);
  }
}
