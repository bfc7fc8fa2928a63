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
 * A record's `sentAt` as the schema reads it: `NONE` when absent, `BAD` when given but not a time
 * (the schema explains why), else the time. Read once, no object made (this runs per input).
 */
function sentAtOf(r: Plain): number | typeof NONE | typeof BAD {
  if (!('sentAt' in r)) return NONE;
  const { sentAt } = r;
  return isTime(sentAt) ? sentAt : BAD;
}
const NONE = -1;
const BAD = -2;

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
    // Each record is one literal, `sentAt` right after `at` when given, as the schema outputs it
    // (a spread of a partial object costs more than the rest of the read).
    case 'query': {
      const sentAt = sentAtOf(r);
      const { recording, sid, httpStatus, body } = r;
      if (sentAt === BAD || !isName(recording) || !isName(sid) || !isStatus(httpStatus))
        return undefined;
      if (!('body' in r)) return undefined;
      return sentAt === NONE
        ? { at, type, recording, sid, httpStatus, body }
        : { at, sentAt, type, recording, sid, httpStatus, body };
    }
    case 'startFailed': {
      const sentAt = sentAtOf(r);
      const { recording, httpStatus, body } = r;
      if (sentAt === BAD || !isName(recording) || !isStatus(httpStatus) || !('body' in r))
        return undefined;
      return sentAt === NONE
        ? { at, type, recording, httpStatus, body }
        : { at, sentAt, type, recording, httpStatus, body };
    }
    case 'stopResult': {
      const sentAt = sentAtOf(r);
      const { recording, httpStatus, body, sid } = r;
      if (sentAt === BAD || !isName(recording) || !isStatus(httpStatus) || !('body' in r))
        return undefined;
      if ('sid' in r && !isName(sid)) return undefined;
      if (isName(sid))
        return sentAt === NONE
          ? { at, type, recording, httpStatus, body, sid }
          : { at, sentAt, type, recording, httpStatus, body, sid };
      return sentAt === NONE
        ? { at, type, recording, httpStatus, body }
        : { at, sentAt, type, recording, httpStatus, body };
    }
    case 'started': {
      const sentAt = sentAtOf(r);
      const { recording, resourceId, sid, uid } = r;
      if (
        sentAt === BAD ||
        !isName(recording) ||
        !isName(resourceId) ||
        !isName(sid) ||
        typeof uid !== 'string'
      ) {
        return undefined;
      }
      return sentAt === NONE
        ? { at, type, recording, resourceId, sid, uid }
        : { at, sentAt, type, recording, resourceId, sid, uid };
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
