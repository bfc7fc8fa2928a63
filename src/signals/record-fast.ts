// The common case of a trace record, read without zod (see envelope-fast.ts for why): records in
// the canonical shape are copied field by field, exactly as the schema would output them; any
// other shape gives undefined and goes through the schema, which explains what is wrong.
import type { Plain } from './canonical.js';
import type { TraceRecord } from './input.js';
import { isModeName } from './mode.js';
import { isTime } from './time.js';

const isName = (value: unknown): value is string => typeof value === 'string' && value.length > 0;
const isStatus = (value: unknown): value is number | null =>
  value === null ||
  (Number.isInteger(value) && (value as number) >= 100 && (value as number) <= 599);

/**
 * `{ at, sentAt }` as the schema outputs them: `sentAt` only when given; undefined when it is
 * given but is not a time (the schema explains why).
 */
function sentAtOf(r: Plain, at: number): { at: number; sentAt?: number } | undefined {
  if (!('sentAt' in r)) return { at };
  const { sentAt } = r;
  return isTime(sentAt) ? { at, sentAt } : undefined;
}

/** The record the schema would output, if `raw` has the canonical shape; else undefined. */
export function readRecordFast(raw: unknown): TraceRecord | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const r = raw as Plain;
  const { at, type } = r;
  if (!isTime(at)) return undefined;
  switch (type) {
    case 'tick':
      return { at, type };
    case 'notification':
      return 'body' in r ? { at, type, body: r.body } : undefined;
    case 'stop':
      return isName(r.recording) ? { at, type, recording: r.recording } : undefined;
    case 'query': {
      const when = sentAtOf(r, at);
      if (
        when === undefined ||
        !isName(r.recording) ||
        !isName(r.sid) ||
        !isStatus(r.httpStatus) ||
        !('body' in r)
      )
        return undefined;
      return {
        ...when,
        type,
        recording: r.recording,
        sid: r.sid,
        httpStatus: r.httpStatus,
        body: r.body,
      };
    }
    case 'startFailed': {
      const when = sentAtOf(r, at);
      if (when === undefined || !isName(r.recording) || !isStatus(r.httpStatus) || !('body' in r))
        return undefined;
      return { ...when, type, recording: r.recording, httpStatus: r.httpStatus, body: r.body };
    }
    case 'stopResult': {
      const when = sentAtOf(r, at);
      if (when === undefined || !isName(r.recording) || !isStatus(r.httpStatus) || !('body' in r))
        return undefined;
      if ('sid' in r && !isName(r.sid)) return undefined;
      const result = {
        ...when,
        type,
        recording: r.recording,
        httpStatus: r.httpStatus,
        body: r.body,
      };
      return isName(r.sid) ? { ...result, sid: r.sid } : result;
    }
    case 'started': {
      const when = sentAtOf(r, at);
      if (
        when === undefined ||
        !isName(r.recording) ||
        !isName(r.resourceId) ||
        !isName(r.sid) ||
        typeof r.uid !== 'string'
      ) {
        return undefined;
      }
      const { recording, resourceId, sid, uid } = r;
      return { ...when, type, recording, resourceId, sid, uid };
    }
    case 'start': {
      const { recording, cname, uid, mode } = r;
      if (!isName(recording) || !isName(cname) || typeof uid !== 'string' || !isModeName(mode))
        return undefined;
      if ('backupUid' in r && typeof r.backupUid !== 'string') return undefined;
      const start = { at, type, recording, cname, uid, mode };
      return typeof r.backupUid === 'string' ? { ...start, backupUid: r.backupUid } : start;
    }
    case 'startSent':
      if (!isName(r.recording) || !isName(r.resourceId) || typeof r.uid !== 'string')
        return undefined;
      return { at, type, recording: r.recording, resourceId: r.resourceId, uid: r.uid };
    case 'resumed':
      if (!('recording' in r)) return { at, type };
      return isName(r.recording) ? { at, type, recording: r.recording } : undefined;
    default:
      return undefined;
  }
}
