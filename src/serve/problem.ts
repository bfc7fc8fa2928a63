// Errors of the host API as RFC 9457 problem details: one media type, one shape, a stable `type`
// per kind of problem, and never a secret or a stack trace in `detail`.
import type { Context } from 'hono';

/** The media type of a problem (RFC 9457 §3). */
export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/** The kinds of problem the API answers, with their status and title. */
export const PROBLEMS = {
  'bad-request': { status: 400, title: 'The request is not valid' },
  unauthorized: { status: 401, title: 'A valid bearer token is required' },
  forbidden: { status: 403, title: 'This token may not do this' },
  'not-found': { status: 404, title: 'No such resource' },
  'method-not-allowed': { status: 405, title: 'Method not allowed' },
  conflict: { status: 409, title: 'Conflicts with the current state' },
  'too-large': { status: 413, title: 'The request body is too large' },
  unsupported: { status: 415, title: 'The body must be application/json' },
  unavailable: { status: 503, title: 'Not available now' },
  internal: { status: 500, title: 'Internal error' },
} as const;

/** A kind of problem. */
export type ProblemKind = keyof typeof PROBLEMS;

/** A problem's body. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly instance?: string;
  readonly errors?: readonly { readonly path: string; readonly message: string }[];
}

/**
 * The body of a problem of `kind`.
 * @example problem('conflict', 'r1 was started with another body') // { type: 'urn:recwatch:problem:conflict', status: 409, ... }
 */
export function problem(kind: ProblemKind, detail?: string, errors?: Problem['errors']): Problem {
  const { status, title } = PROBLEMS[kind];
  return {
    type: `urn:recwatch:problem:${kind}`,
    title,
    status,
    ...(detail !== undefined && { detail }),
    ...(errors !== undefined && { errors }),
  };
}

/** A Response carrying the problem, with its media type. */
export function problemResponse(
  kind: ProblemKind,
  detail?: string,
  extra?: { readonly errors?: Problem['errors']; readonly headers?: Record<string, string> },
): Response {
  const body = problem(kind, detail, extra?.errors);
  return new Response(JSON.stringify(body), {
    status: body.status,
    headers: { 'content-type': PROBLEM_MEDIA_TYPE, ...extra?.headers },
  });
}

/** Answers with the problem from a Hono handler. */
export function sendProblem(
  _context: Context,
  kind: ProblemKind,
  detail?: string,
  errors?: Problem['errors'],
): Response {
  return problemResponse(kind, detail, errors === undefined ? undefined : { errors });
}

/** Thrown by a route to answer with a problem (the server's error handler sends it). */
export class ProblemError extends Error {
  override readonly name = 'ProblemError';

  constructor(
    readonly kind: ProblemKind,
    readonly detail?: string,
  ) {
    super(detail ?? PROBLEMS[kind].title);
  }
}
