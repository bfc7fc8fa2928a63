import type { z } from 'zod';

/** One thing wrong with an input: where (`payload.sid`) and what. */
export interface ParseIssue {
  readonly path: string;
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

export function ok<T>(value: T): ParseResult<T> {
  return { ok: true, value };
}

export function fail<T>(path: string, problem: string): ParseResult<T> {
  return { ok: false, error: parseError([{ path, problem }]) };
}

export function parseError(issues: readonly ParseIssue[]): ParseError {
  const first = issues[0] ?? { path: '(root)', problem: 'invalid input' };
  return { message: `${first.path}: ${first.problem}`, issues };
}

/** Turns zod issues into path-named problems, with `prefix` for schemas applied to a sub-tree. */
export function fromZod(error: z.ZodError, prefix = ''): ParseError {
  return parseError(
    error.issues.map((issue) => ({
      path: joinPath(prefix, issue.path) || '(root)',
      problem: issue.message,
    })),
  );
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
    return fail('(root)', error instanceof Error ? error.message : String(error));
  }
}
