import { z } from 'zod';
import { idLike, lenient, numberLike, pickDefined } from './liberal.js';
import { type QueryResponse, queryResponse } from './query-response.js';
import { fromZod, guarded, type ParseResult } from './result.js';

/** The body of a successful `acquire`. */
export interface AcquireResponse {
  readonly resourceId: string;
  readonly cname?: string;
  readonly uid?: string;
}

/** The body of a successful `start`: the `sid` names the new recording session. */
export interface StartResponse {
  readonly resourceId: string;
  readonly sid: string;
  readonly cname?: string;
  readonly uid?: string;
}

/**
 * The body of a successful `stop`: same shape as `query`, plus `uploadingStatus`. `stranded`
 * (Individual Recording v2): files wait on Agora's backup storage and are uploaded later; the
 * stop succeeded, nothing failed (Agora's 2026 documentation; docs/lifecycle.md).
 */
export type StopResponse = QueryResponse & {
  readonly uploadingStatus?: 'uploaded' | 'backuped' | 'unknown' | 'stranded' | (string & {});
};

/** An error body: `{code, reason}` from the recording service or `{message}` from the gateway. */
export interface ErrorBody {
  readonly code?: number;
  readonly reason?: string;
  readonly message?: string;
}

// What the lifecycle needs is required (resourceId, sid); the rest is read when it reads.
const acquireSchema = z.looseObject({
  resourceId: z.string().min(1),
  cname: lenient(z.string()),
  uid: lenient(idLike),
});

const startSchema = acquireSchema.extend({ sid: z.string().min(1) });

const stopExtras = z.looseObject({
  serverResponse: lenient(z.looseObject({ uploadingStatus: lenient(z.string()) })),
});

const errorSchema = z.looseObject({
  code: lenient(numberLike),
  reason: lenient(z.string()),
  message: lenient(z.string()),
});

/**
 * Reads an `acquire` response body.
 * @example parseAcquireResponse({ resourceId: 'JyvK8nXHuV1BE64GDkAaBGEscvtHW7v8...' })
 */
export function parseAcquireResponse(body: unknown): ParseResult<AcquireResponse> {
  return guarded(() => {
    const parsed = acquireSchema.safeParse(body);
    if (!parsed.success) return { ok: false, error: fromZod(parsed.error) };
    return { ok: true, value: pickDefined(parsed.data, ['resourceId', 'cname', 'uid']) };
  });
}

/**
 * Reads a `start` response body.
 * @example parseStartResponse({ cname: 'room1', uid: '527841', resourceId: 'R1', sid: 'S1' })
 */
export function parseStartResponse(body: unknown): ParseResult<StartResponse> {
  return guarded(() => {
    const parsed = startSchema.safeParse(body);
    if (!parsed.success) return { ok: false, error: fromZod(parsed.error) };
    return { ok: true, value: pickDefined(parsed.data, ['resourceId', 'sid', 'cname', 'uid']) };
  });
}

/**
 * Reads a `stop` response body (both `payload` and Agora's `playload` spelling).
 * @example parseStopResponse({ sid: 'S1', serverResponse: { fileList: 'S1_room1.m3u8', uploadingStatus: 'uploaded' } })
 */
export function parseStopResponse(body: unknown): ParseResult<StopResponse> {
  return guarded(() => {
    const parsed = queryResponse.safeParse(body);
    if (!parsed.success) return { ok: false, error: fromZod(parsed.error) };
    const extras = stopExtras.safeParse(body);
    const uploadingStatus = extras.success
      ? extras.data.serverResponse?.uploadingStatus
      : undefined;
    return {
      ok: true,
      value: uploadingStatus === undefined ? parsed.data : { ...parsed.data, uploadingStatus },
    };
  });
}

/**
 * Reads an error body; anything that is not one of Agora's two shapes gives `{}`.
 * @example parseErrorBody({ code: 404, reason: 'failed to find worker' }) // { code: 404, reason: '...' }
 */
export function parseErrorBody(body: unknown): ErrorBody {
  try {
    const parsed = errorSchema.safeParse(body);
    if (!parsed.success) return {};
    return pickDefined(parsed.data, ['code', 'reason', 'message']);
  } catch {
    return {};
  }
}
