// The predicates the fast readers (*-fast.ts) check canonical shapes with: exactly what the zod
// schemas accept without converting anything.

/** A JSON object: a plain object, not an array. */
export type Plain = Record<string, unknown>;

export const isPlain = (value: unknown): value is Plain =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  Object.getPrototypeOf(value) === Object.prototype;

/** A number zod 4's `number()` accepts: finite. */
export const isNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);

/** A count zod's `countLike` accepts as is: a safe integer >= 0. */
export const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

export const optionalString = (value: unknown): value is string | undefined =>
  value === undefined || typeof value === 'string';

export const optionalNumber = (value: unknown): value is number | undefined =>
  value === undefined || isNumber(value);
