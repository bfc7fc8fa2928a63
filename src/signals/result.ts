import type { z } from 'zod';

/**
 * What kind of thing is wrong, stable across versions (the `problem` text may change):
 * - `invalid_type`: a value of the wrong type, or none where one is required;
 * - `invalid_value`: the right type, a value that cannot be (an unknown mode, a time out of range);
 * - `invalid_format`: a string that is not of the required form;
 * - `too_small` / `too_big`: an empty string, a number or size out of bounds;
 * - `missing`: a required field absent under every name it may have (`noticeId`, `sendts`);
 * - `not_json`: bytes that are not UTF-8 JSON, or a value JSON cannot hold (a cycle, a BigInt);
 * - `unreadable`: reading the value threw (a throwing getter, a revoked proxy).
 */
export type ParseIssueCode =
  | 'invalid_type'
  | 'invalid_value'
  | 'invalid_format'
  | 'too_small'
  | 'too_big'
  | 'missing'
  | 'not_json'
  | 'unreadable';

/** One thing wrong with an input: where (`payload.sid`), what kind (`code`), and what (`problem`). */
export interface ParseIssue {
  readonly path: string;
  readonly code: ParseIssueCode;
  readonly problem: string;
}

/** Why an input was rejected. `message` is the first issue, ready to log or show. */
export interface ParseError {
  readonly message: string;
  readonly issues: readonly ParseIssue[];
}

/** The result of parsing untrusted input: errors are values, never throws. */
export type ParseResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: ParseError };

/** A failed parse with one issue. */
export function fail<T>(path: string, code: ParseIssueCode, problem: string): ParseResult<T> {
  return { ok: false, error: parseError([{ path, code, problem }]) };
}

function parseError(issues: readonly ParseIssue[]): ParseError {
  const first = issues[0] ?? { path: '(root)', problem: 'invalid input' };
  return { message: `${first.path}: ${first.problem}`, issues };
}

/** Turns zod issues into path-named problems, with `prefix` for schemas applied to a sub-tree. */
export function fromZod(error: z.ZodError, prefix = ''): ParseError {
  return parseError(
    error.issues.map((issue) => ({
      path: joinPath(prefix, issue.path) || '(root)',
      code: codeOf(issue.code),
      problem: issue.message,
    })),
  );
}

// zod's codes, folded into recwatch's fewer, stable ones.
function codeOf(code: z.ZodError['issues'][number]['code']): ParseIssueCode {
  switch (code) {
    case 'invalid_type':
    case 'invalid_format':
    case 'too_small':
    case 'too_big':
      return code;
    default:
      return 'invalid_value';
  }
}

function joinPath(prefix: string, path: readonly PropertyKey[]): string {
  const parts = path.map((key) => (typeof key === 'number' ? `[${key}]` : String(key)));
  let joined = prefix;
  for (const part of parts) {
    joined = part.startsWith('[') || joined === '' ? `${joined}${part}` : `${joined}.${part}`;
  }
  return joined;
}

/** Runs a parse that must never throw, whatever the input (throwing getters, proxies). */
export function guarded<T>(parse: () => ParseResult<T>): ParseResult<T> {
  try {
    return parse();
  } catch (error) {
    return unreadable(error);
  }
}

/** What a parse that threw (a throwing getter, a proxy's trap) gives: its `unreadable` issue. */
export function unreadable<T>(error: unknown): ParseResult<T> {
  return fail('(root)', 'unreadable', error instanceof Error ? error.message : String(error));
}
