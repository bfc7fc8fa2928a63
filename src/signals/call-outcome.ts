import { responseBody } from './response-body.js';
import { parseErrorBody } from './responses.js';

/** How a REST call to Agora ended, in the terms a caller must act on. */
export type CallFailureKind =
  | 'notFound'
  | 'transient'
  | 'rateLimited'
  | 'serverError'
  | 'clientError';

/** A failed call: what kind of failure, and what Agora said. `httpStatus` is null when no response came. */
export interface CallFailure {
  readonly kind: CallFailureKind;
  readonly httpStatus: number | null;
  readonly code?: number;
  readonly reason?: string;
}

/** The outcome of a `start` or `stop` call (`ok` carries the body for the caller to read). */
export type CallOutcome =
  | { readonly kind: 'ok'; readonly httpStatus: number; readonly body: unknown }
  | CallFailure;

/** Agora's code for "request not completed, retry" (HTTP 206). */
export const CODE_REQUEST_NOT_COMPLETED = 65;
/** Agora's code for "failed to find worker": the session is not (or no longer, or not yet) there. */
export const CODE_WORKER_NOT_FOUND = 404;
/**
 * Agora's `code` of a 400 `vendor_over_load`: the App ID's concurrent-task quota is reached
 * (Agora's 2026 status-code table: "retry later"). A quota answer, like 429; not a
 * configuration error (docs/lifecycle.md rule 5). 400 `code 405`, `no_active_status`, is one:
 * the account cannot record.
 */
export const CODE_VENDOR_OVER_LOAD = 406;

/**
 * Classifies a REST response by status and error body, as Agora's error table reads. A body
 * given as its JSON text (or bytes) reads as the value it holds.
 * A 404 without `code` is a wrong route (client bug), not a missing session. A 400 `code 406`
 * (the concurrent-task quota) is `rateLimited`, as a 429 is: retry later (lifecycle rule 5).
 * @example classifyCall(206, { code: 65, reason: 'request not completed' }) // { kind: 'transient', ... }
 */
export function classifyCall(httpStatus: number | null | undefined, raw: unknown): CallOutcome {
  const body = responseBody(raw);
  if (!isResponseStatus(httpStatus)) {
    return { kind: 'serverError', httpStatus: null, reason: 'no response' };
  }
  if (httpStatus === 200) return { kind: 'ok', httpStatus, body };
  return classifyFailure(httpStatus, body);
}

/** Classifies a non-200 response. */
function classifyFailure(httpStatus: number, body: unknown): CallFailure {
  const error = parseErrorBody(body);
  const said = {
    ...(error.code !== undefined && { code: error.code }),
    ...((error.reason ?? error.message) !== undefined && {
      reason: (error.reason ?? error.message) as string,
    }),
  };
  if (httpStatus === 404) {
    const kind = error.code === CODE_WORKER_NOT_FOUND ? 'notFound' : 'clientError';
    return { kind, httpStatus, ...said };
  }
  if (httpStatus === 206 || error.code === CODE_REQUEST_NOT_COMPLETED) {
    return { kind: 'transient', httpStatus, ...said };
  }
  if (httpStatus === 429 || (httpStatus === 400 && error.code === CODE_VENDOR_OVER_LOAD)) {
    return { kind: 'rateLimited', httpStatus, ...said };
  }
  if (httpStatus >= 400 && httpStatus < 500) return { kind: 'clientError', httpStatus, ...said };
  // 50x and anything unexpected (1xx, 3xx, odd 2xx): the recording's fate is unknown.
  return { kind: 'serverError', httpStatus, ...said };
}

function isResponseStatus(httpStatus: number | null | undefined): httpStatus is number {
  return (
    typeof httpStatus === 'number' &&
    Number.isInteger(httpStatus) &&
    httpStatus >= 100 &&
    httpStatus <= 599
  );
}
