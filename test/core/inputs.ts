// Trace inputs for core tests, with realistic notification bodies. Times are seconds after T0.
import type { TraceRecord } from '../../src/index.js';

export const T0 = 1_700_000_000_000;
export const at = (seconds: number) => T0 + Math.round(seconds * 1000);

export const start = (s: number, recording = 'r1', uid = '1001'): TraceRecord => ({
  at: at(s),
  type: 'start',
  recording,
  cname: `room-${recording}`,
  uid,
  mode: 'mix',
});

export const started = (s: number, sid: string, recording = 'r1', uid = '1001'): TraceRecord => ({
  at: at(s),
  type: 'started',
  recording,
  resourceId: `RES-${sid}`,
  sid,
  uid,
});

export const tick = (s: number): TraceRecord => ({ at: at(s), type: 'tick' });
export const stop = (s: number, recording = 'r1'): TraceRecord => ({
  at: at(s),
  type: 'stop',
  recording,
});

export const query = (
  s: number,
  sid: string,
  httpStatus: number | null,
  body: unknown,
  recording = 'r1',
): TraceRecord => ({
  at: at(s),
  type: 'query',
  recording,
  sid,
  httpStatus,
  body,
});

export const alive = (s: number, sid: string, status = 5, recording = 'r1') =>
  query(s, sid, 200, { sid, serverResponse: { status, fileList: `${sid}_room.m3u8` } }, recording);

export const notFound = (s: number, sid: string, recording = 'r1') =>
  query(s, sid, 404, { code: 404, reason: 'failed to find worker' }, recording);

export function note(
  s: number,
  sid: string,
  sequence: number,
  eventType: number,
  details: Record<string, unknown> = {},
  options: { uid?: string; noticeId?: string; sentAt?: number } = {},
): TraceRecord & { readonly type: 'notification'; readonly body: Record<string, unknown> } {
  return {
    at: at(s),
    type: 'notification',
    body: {
      noticeId: options.noticeId ?? `n-${sid}-${sequence}-${eventType}`,
      productId: 3,
      eventType,
      notifyMs: at(s) - 10,
      payload: {
        cname: 'room-r1',
        uid: options.uid ?? '1001',
        sid,
        sequence,
        sendts: options.sentAt === undefined ? at(s) - 50 : at(options.sentAt),
        serviceType: 0,
        details,
      },
    },
  };
}
