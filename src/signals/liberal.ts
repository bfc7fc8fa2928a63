import { z } from 'zod';
import { isTime, TIME_PROBLEM } from './time.js';

const numericString = /^\s*-?\d+(\.\d+)?\s*$/;

/** A number, or a numeric string as old Agora examples send (`"5"`). */
export const numberLike = z.union([
  z.number().refine(Number.isFinite, 'expected a finite number'),
  z
    .string()
    .regex(numericString, 'expected a number or a numeric string')
    .transform(Number)
    // "1" and 309 zeros is numeric text, and Infinity as a number.
    .refine(Number.isFinite, 'expected a finite number'),
]);

/** A non-negative integer, also as a numeric string (legacy `sequence`). */
export const countLike = numberLike.refine(
  (value) => Number.isSafeInteger(value) && value >= 0,
  'expected a non-negative integer (at most 2^53 - 1)',
);

/** A time in ms (see time.ts), also as a numeric string. */
export const timeLike = numberLike.refine(isTime, TIME_PROBLEM);

/** An identifier Agora sends as a string or a number (uids); always a string once parsed. */
export const idLike = z.union([
  z.string(),
  z.number().refine(Number.isFinite, 'expected a finite number').transform(String),
]);

/** A boolean, or as Agora's own 2021 reference sends them: `"true"`/`"false"`, 1/0, `"1"`/`"0"`. */
export const booleanLike = z.union([
  z.boolean(),
  z.union([z.string(), z.number()]).transform((value, ctx) => {
    const text = String(value).trim().toLowerCase();
    if (text === 'true' || text === '1') return true;
    if (text === 'false' || text === '0') return false;
    ctx.addIssue({ code: 'custom', message: 'expected a boolean or "true"/"false"' });
    return z.NEVER;
  }),
]);

/**
 * A field the lifecycle does not need: read when it reads, absent (undefined) when it does not,
 * so an odd value never makes the whole response or notification unreadable.
 * @example z.looseObject({ isPlayable: lenient(booleanLike) })
 */
export function lenient<T extends z.ZodType>(schema: T) {
  return schema.optional().catch(undefined);
}

/** A JSON object with any keys; unknown keys are kept. */
export const anyObject = z.record(z.string(), z.unknown());

const secondsEpochLimit = 100_000_000_000;

/** Agora documents `sliceStartTime` in seconds but sends ms: accept both, answer ms. */
export function toEpochMs(value: number): number {
  return Math.abs(value) < secondsEpochLimit ? value * 1000 : value;
}

/** Copies the listed keys whose values are defined (for `exactOptionalPropertyTypes`-clean objects). */
export function pickDefined<T extends object, K extends keyof T>(
  source: T,
  keys: readonly K[],
): Pick<T, K> {
  const picked: Partial<Pick<T, K>> = {};
  for (const key of keys) if (source[key] !== undefined) picked[key] = source[key];
  return picked as Pick<T, K>;
}
