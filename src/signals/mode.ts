// Agora's recording modes, and what a mode recwatch does not know yet must look like to be kept.

/**
 * The modes Agora documents: `raw` is Individual Recording v2 (Agora's 2026 documentation;
 * docs/lifecycle.md).
 */
export const KNOWN_MODES = ['individual', 'mix', 'web', 'raw'] as const;

/**
 * Agora's recording modes. A mode name recwatch does not know yet is kept as it came (the
 * lifecycle does not depend on the mode); it must still be a name (`isModeName`).
 */
export type RecordingMode = (typeof KNOWN_MODES)[number] | (string & {});

/** A mode name: a letter, then up to 31 letters, digits, `_` or `-` (a URL path segment as is). */
export const MODE_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,31}$/;

/** What a mode that is not a name gets told. */
export const MODE_PROBLEM =
  'expected a mode name (individual, mix, web, raw, or another: a letter, then letters, digits, _ or -)';

/**
 * Whether a value can be a recording mode: one Agora documents or any other name, kept for a
 * mode Agora adds later; never a text that would change the REST path it is put in.
 * @example isModeName('raw') // true; isModeName('mix/../acquire') // false
 */
export function isModeName(value: unknown): value is RecordingMode {
  return typeof value === 'string' && MODE_NAME.test(value);
}
