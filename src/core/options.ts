import { z } from 'zod';
import { DEFAULT_RECORDING_OPTIONS, type RecordingOptions } from '../../machines/index.js';
import {
  DEFAULT_DEDUPE_OPTIONS,
  DEFAULT_REORDER_OPTIONS,
  type DedupeOptions,
  type ReorderOptions,
} from '../stream/index.js';

/** Tunables of the core, as a host gives them: every field has a default from docs/lifecycle.md. */
export interface CoreOptions {
  /** Options of every recording's machine. */
  readonly recording: Partial<RecordingOptions>;
  readonly dedupe: Partial<DedupeOptions>;
  readonly reorder: Partial<ReorderOptions>;
  /** How long notifications for a sid not yet known wait for `started` to name it (rule 9). */
  readonly unknownSidHoldMs: number;
  /**
   * How long a finished recording (stopped, failed, or quit for good) stays in the core's memory
   * after it finished (ms of observed time): it leaves on the first tick after. The log keeps it.
   */
  readonly retainFinishedMs: number;
  /** Most finished recordings held; past it, the earliest finished leave first (ties by id). */
  readonly maxFinishedRecordings: number;
}

/** The core's options with every default filled in. */
export interface ResolvedCoreOptions {
  readonly recording: RecordingOptions;
  readonly dedupe: DedupeOptions;
  readonly reorder: ReorderOptions;
  readonly unknownSidHoldMs: number;
  readonly retainFinishedMs: number;
  readonly maxFinishedRecordings: number;
}

/**
 * The core's defaults: docs/lifecycle.md's, 30 s for notifications of an unknown sid, and a
 * finished recording held for 1 h (longer than dedupe remembers its sid), 10,000 at most.
 */
export const DEFAULT_CORE_OPTIONS: ResolvedCoreOptions = {
  recording: DEFAULT_RECORDING_OPTIONS,
  dedupe: DEFAULT_DEDUPE_OPTIONS,
  reorder: DEFAULT_REORDER_OPTIONS,
  unknownSidHoldMs: 30_000,
  retainFinishedMs: 60 * 60_000,
  maxFinishedRecordings: 10_000,
};

/**
 * The defaults with the host's choices on top, section by section.
 * @example resolveCoreOptions({ recording: { pollIntervalMs: 90_000 } }).recording.startTimeoutMs // 90000
 */
export function resolveCoreOptions(options: Partial<CoreOptions> = {}): ResolvedCoreOptions {
  return {
    recording: { ...DEFAULT_RECORDING_OPTIONS, ...options.recording },
    dedupe: { ...DEFAULT_DEDUPE_OPTIONS, ...options.dedupe },
    reorder: { ...DEFAULT_REORDER_OPTIONS, ...options.reorder },
    unknownSidHoldMs: options.unknownSidHoldMs ?? DEFAULT_CORE_OPTIONS.unknownSidHoldMs,
    retainFinishedMs: options.retainFinishedMs ?? DEFAULT_CORE_OPTIONS.retainFinishedMs,
    maxFinishedRecordings:
      options.maxFinishedRecordings ?? DEFAULT_CORE_OPTIONS.maxFinishedRecordings,
  };
}

/** A duration (ms): at most a year, so every deadline it sets stays a time (trace-format.md). */
const ms = z
  .number()
  .finite()
  .nonnegative()
  .max(365 * 24 * 3_600_000);
const steps = z.array(ms).min(1);
const count = z.number().int().nonnegative();

/**
 * The shape of options as the log records them (rule 12): any subset of `CoreOptions`; what is
 * missing takes the default. Unknown fields are ignored, so a newer writer's log still reads.
 */
const recordedOptionsSchema = z.looseObject({
  recording: z
    .looseObject({
      startTimeoutMs: ms,
      firstQueryDelayMs: ms,
      startingQueryIntervalMs: ms,
      pollIntervalMs: ms,
      notFoundBackoffMs: steps,
      startingNotFoundBackoffMs: steps,
      serverErrorBackoffMs: steps,
      transientBackoffMs: steps,
      rateLimitBackoffMs: steps,
      failoverTimeoutMs: ms,
      failoverQueryIntervalMs: ms,
      maxHaAttempts: count,
      restartBudget: count,
      restartExcludedReasons: z.array(z.string()),
      restartDelaysMs: steps,
      startRetryServerErrorMs: z.array(ms),
      startRetryTransientMs: z.array(ms),
      startRetryQuotaMs: z.array(ms),
      stopCheckDelayMs: ms,
      settleStartMs: ms,
    })
    .partial()
    .optional(),
  dedupe: z
    .looseObject({ windowMs: ms, retainFinishedMs: ms, maxKeys: count, maxKeysPerSid: count })
    .partial()
    .optional(),
  reorder: z.looseObject({ holdMs: ms }).partial().optional(),
  unknownSidHoldMs: ms.optional(),
  retainFinishedMs: ms.optional(),
  maxFinishedRecordings: count.optional(),
});

/**
 * Reads the options an `options` record holds: resolved over the defaults, or the problem
 * (`path: what is wrong`) when a field has the wrong shape.
 * @example readRecordedOptions({ recording: { pollIntervalMs: 90_000 } }).ok // true
 */
export function readRecordedOptions(
  raw: unknown,
): { ok: true; value: ResolvedCoreOptions } | { ok: false; reason: string } {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    return { ok: false, reason: 'options: expected an object' };
  const parsed = recordedOptionsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.map(String).join('.') || '(root)';
    return { ok: false, reason: `options.${where}: ${issue?.message ?? 'invalid'}` };
  }
  const { recording, dedupe, reorder, ...rest } = parsed.data;
  return {
    ok: true,
    value: resolveCoreOptions({
      ...pick(rest, ['unknownSidHoldMs', 'retainFinishedMs', 'maxFinishedRecordings']),
      recording: pick(recording ?? {}, Object.keys(DEFAULT_RECORDING_OPTIONS)),
      dedupe: pick(dedupe ?? {}, Object.keys(DEFAULT_DEDUPE_OPTIONS)),
      reorder: pick(reorder ?? {}, Object.keys(DEFAULT_REORDER_OPTIONS)),
    } as Partial<CoreOptions>),
  };
}

function pick(source: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out;
}

/**
 * The fields in which two resolved options differ, as dotted paths (`recording.pollIntervalMs`),
 * sorted; none when they are the same.
 * @example differingOptions(resolveCoreOptions(), resolveCoreOptions({ unknownSidHoldMs: 1 })) // ['unknownSidHoldMs']
 */
export function differingOptions(a: ResolvedCoreOptions, b: ResolvedCoreOptions): string[] {
  const out: string[] = [];
  const walk = (x: unknown, y: unknown, path: string) => {
    if (isPlainObject(x) && isPlainObject(y)) {
      const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
      for (const key of keys) walk(x[key], y[key], path === '' ? key : `${path}.${key}`);
    } else if (JSON.stringify(x) !== JSON.stringify(y)) out.push(path);
  };
  walk(a, b, '');
  return out.sort();
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
