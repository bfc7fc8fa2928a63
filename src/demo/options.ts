// The demo's flags, read with node:util's parseArgs and checked into typed options.
import { parseArgs } from 'node:util';
import { RecwatchError } from '../errors/index.js';
import type { SqliteDurability } from '../log/index.js';
import { PROFILE_NAMES, type ProfileName } from '../sim/index.js';

/** What `recwatch demo` runs. */
export interface DemoOptions {
  readonly recordings: number;
  readonly profile: ProfileName;
  readonly seed: number;
  /** At most this many simulated ms per real ms; undefined: as fast as the machine allows. */
  readonly speed: number | undefined;
  /** Simulated length, ms. */
  readonly durationMs: number;
  readonly keep: boolean;
  readonly json: boolean;
  readonly help: boolean;
  /** Serve the live inspector page (default true; `--no-inspect` turns it off). */
  readonly inspect: boolean;
  /** Its port (`--inspect-port`); 0: any free port. */
  readonly inspectPort: number;
  /** How durable the log's commits are (`--durability`; docs/operations.md). */
  readonly durability: SqliteDurability;
}

/**
 * The defaults: 50 recordings through `chaos` for a simulated hour, seed 7, the log at durability
 * `'normal'`: it lives in a temporary folder removed at exit, so an fsync per commit (`'full'`,
 * what a host gets by default) would guard against a power loss nothing needs to survive, and
 * costs the run most of its time on a busy machine (docs/performance.md).
 */
export const DEMO_DEFAULTS = {
  recordings: 50,
  profile: 'chaos',
  seed: 7,
  durationMs: 3_600_000,
  durability: 'normal',
} as const satisfies Partial<DemoOptions>;

/** A flag of `recwatch demo` or `recwatch scenarios` that cannot be read, with the reason. */
export class DemoUsageError extends RecwatchError {
  override readonly name = 'DemoUsageError';
  readonly code = 'DEMO_USAGE';
}

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/**
 * A duration: `90s`, `20m`, `1h`, `1500ms`, or a bare number of minutes.
 * @throws DemoUsageError
 */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (match === null)
    throw new DemoUsageError(`--duration: '${text}' is not a duration like 20m or 1h`);
  const ms = Number(match[1]) * (UNITS[match[2] ?? 'm'] ?? 60_000);
  if (ms < 60_000 || ms > 24 * 3_600_000)
    throw new DemoUsageError('--duration must be between 1m and 24h');
  return Math.round(ms);
}

/**
 * Reads the demo's flags.
 * @throws DemoUsageError for an unknown flag or a value out of range.
 */
export function parseDemoArgs(args: readonly string[]): DemoOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        recordings: { type: 'string' },
        profile: { type: 'string' },
        seed: { type: 'string' },
        speed: { type: 'string' },
        duration: { type: 'string' },
        keep: { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        'no-inspect': { type: 'boolean' },
        'inspect-port': { type: 'string' },
        durability: { type: 'string' },
      },
    }));
  } catch (error) {
    throw new DemoUsageError((error as Error).message);
  }
  const recordings = integer(values.recordings, 'recordings', DEMO_DEFAULTS.recordings, 1, 500);
  const seed = integer(values.seed, 'seed', DEMO_DEFAULTS.seed, 0, 2 ** 31 - 1);
  const profile = (values.profile ?? DEMO_DEFAULTS.profile) as string;
  if (!(PROFILE_NAMES as readonly string[]).includes(profile))
    throw new DemoUsageError(`--profile must be one of ${PROFILE_NAMES.join(', ')}`);
  const durability = values.durability ?? DEMO_DEFAULTS.durability;
  if (durability !== 'full' && durability !== 'normal')
    throw new DemoUsageError("--durability must be 'full' or 'normal'");
  let speed: number | undefined;
  if (typeof values.speed === 'string' && values.speed !== 'max') {
    speed = Number(values.speed);
    if (!Number.isFinite(speed) || speed <= 0)
      throw new DemoUsageError("--speed must be a number > 0 (simulated per real second) or 'max'");
  }
  return {
    recordings,
    profile: profile as ProfileName,
    seed,
    speed,
    durationMs:
      typeof values.duration === 'string'
        ? parseDuration(values.duration)
        : DEMO_DEFAULTS.durationMs,
    keep: values.keep === true,
    json: values.json === true,
    help: values.help === true,
    inspect: values['no-inspect'] !== true,
    inspectPort: integer(values['inspect-port'], 'inspect-port', 0, 0, 65_535),
    durability,
  };
}

function integer(
  value: string | boolean | undefined,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new DemoUsageError(`--${name} must be an integer in ${min}..${max}`);
  return n;
}
