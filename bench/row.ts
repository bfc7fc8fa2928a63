// What every row of `npm run bench` reports: our figure, the baseline measured in the same run,
// their ratio, the target and whether it is met; and the one way the rows time their sides.

/** How a row's target reads: a ratio to its baseline at least, or a figure at most / at least. */
export interface Target {
  /** `ratio ≥ value` (ratios are oriented so that above 1 is better for us), or a bound on `value`. */
  readonly kind: 'ratioAtLeast' | 'atMost' | 'atLeast';
  readonly value: number;
  /** What the bound is on, for `atMost`/`atLeast` (e.g. 'p99 ms'). */
  readonly of?: string;
}

/** One row of results.json. */
export interface Row {
  /** Stable name, the one `--only` takes (e.g. 'webhook-latency'). */
  readonly row: string;
  /** What is measured, in a sentence. */
  readonly what: string;
  /** Our absolute figures (units in the key names: Ms, PerSecond...). */
  readonly figures: Readonly<Record<string, unknown>>;
  /** The baseline's absolute figures, when the row has one. */
  readonly baseline?: Readonly<Record<string, unknown>> & { readonly what: string };
  /** Baseline time ÷ our time (or our rate ÷ the baseline's): above 1 is faster than it. */
  readonly ratio?: number;
  readonly target?: Target;
  /** Whether the target is met (true when the row has none). */
  readonly ok: boolean;
  /** Why it is not, in a sentence, when it is not. */
  readonly miss?: string;
}

/** What a suite of the registry returns: its rows, and whatever detail it wants to keep. */
export interface SuiteResult {
  readonly rows: readonly Row[];
  readonly details?: Readonly<Record<string, unknown>>;
  /** Set by suites that judge themselves; otherwise every row's `ok`. */
  readonly ok?: boolean;
}

/** Options every suite gets from run.ts. */
export interface SuiteContext {
  /** A tiny configuration (the smoke test): same code, small sizes, seconds instead of minutes. */
  readonly tiny: boolean;
}

/** The verdict of a ratio target. */
export function judgeRatio(ratio: number, target: number): Pick<Row, 'ok' | 'miss' | 'target'> {
  const ok = ratio >= target;
  return {
    target: { kind: 'ratioAtLeast', value: target },
    ok,
    ...(ok ? {} : { miss: `ratio ${ratio} < target ${target}` }),
  };
}

/** Rounds to `digits` decimals (2 by default). */
export function round(value: number, digits = 2): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();

/** The median of a list of numbers. */
export function median(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/**
 * Times several sides of a comparison in one process, interleaved: one warm-up of each, then
 * `rounds` rounds in which every side runs once (A, B, C, A, B, C...), each after the same
 * `gc()`; the median (ms) of each side. Interleaving spreads a busy machine's noise over all
 * sides alike, instead of giving one side the quiet minute and the other the busy one.
 */
export async function interleave<K extends string>(
  sides: Readonly<Record<K, () => unknown>>,
  rounds: number,
  warmup = true,
): Promise<Record<K, number>> {
  const names = Object.keys(sides) as K[];
  if (warmup) for (const name of names) await sides[name]();
  const samples = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<
    K,
    number[]
  >;
  for (let r = 0; r < rounds; r += 1) {
    for (const name of names) {
      gc();
      const start = performance.now();
      await sides[name]();
      samples[name].push(performance.now() - start);
    }
  }
  return Object.fromEntries(names.map((name) => [name, median(samples[name])])) as Record<
    K,
    number
  >;
}
