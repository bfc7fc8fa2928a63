// Bearer tokens of the host API (RFC 6750): a token that may change recordings, or one that may
// only read them. Compared in constant time; a token is never logged or echoed.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { problemResponse } from './problem.js';

/** What a token may do. */
export type Access = 'write' | 'read';

/** The tokens of the API. */
export interface ApiTokens {
  /** May read and change recordings. */
  readonly tokens: readonly string[];
  /** May only read (a change is answered 403). */
  readonly readTokens?: readonly string[];
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * What a bearer token may do, or undefined for none. Hashes first so every comparison has the
 * same length and takes the same time.
 */
export function accessOf(tokens: ApiTokens, presented: string): Access | undefined {
  const given = digest(presented);
  let access: Access | undefined;
  for (const token of tokens.tokens) if (timingSafeEqual(given, digest(token))) access = 'write';
  for (const token of tokens.readTokens ?? [])
    if (access === undefined && timingSafeEqual(given, digest(token))) access = 'read';
  return access;
}

/**
 * A middleware that answers 401 (with `WWW-Authenticate: Bearer`) without a known token, and
 * 403 when a read-only token asks for a change (any method but GET and HEAD).
 */
export function bearerAuth(tokens: ApiTokens): MiddlewareHandler {
  return async (context, next) => {
    const header = context.req.header('authorization') ?? '';
    const match = /^Bearer +([^\s]+)\s*$/i.exec(header);
    const access = match?.[1] === undefined ? undefined : accessOf(tokens, match[1]);
    if (access === undefined) {
      return problemResponse(
        'unauthorized',
        match === null ? 'send Authorization: Bearer <token>' : 'the token is not known',
        {
          headers: {
            'www-authenticate':
              match === null
                ? 'Bearer realm="recwatch"'
                : 'Bearer realm="recwatch", error="invalid_token"',
          },
        },
      );
    }
    const reads = context.req.method === 'GET' || context.req.method === 'HEAD';
    if (access === 'read' && !reads) {
      return problemResponse('forbidden', 'this token may only read');
    }
    await next();
  };
}
