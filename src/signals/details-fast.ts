// The common case of a notification's `details`, read without zod (as envelope-fast.ts reads the
// envelope): for the event types whose fields are plain numbers, ids and text, details in the
// canonical shape are copied exactly as the schema outputs them: `msgName`, then the type's own
// fields in the schema's order, then unknown fields as they came (values kept, not copied). Any
// other shape gives undefined and goes through the schema. A property test checks both agree.
import { isCount, isNumber, isPlain } from './canonical.js';
import type { EventDetails, KnownEventType } from './event-details.js';

/**
 * A field as the schema reads it: a number, a count, text, an id (`idLike`: text, or a finite
 * number as its text), or a file list given as one name (`fileList`; a list of entries is left
 * to the schema).
 */
type Kind = 'number' | 'count' | 'text' | 'id' | 'files';

// The event types read here, with their fields in the schema's order (event-details.ts).
const FIELDS: Partial<Record<KnownEventType, readonly (readonly [string, Kind])[]>> = {
  2: [
    ['module', 'number'],
    ['warnCode', 'number'],
  ],
  3: [
    ['status', 'number'],
    ['recordingMode', 'number'],
    ['fileList', 'files'],
  ],
  4: [['fileList', 'files']],
  11: [['exitStatus', 'number']],
  12: [['newUid', 'id']],
  13: [],
  30: [['status', 'number']],
  31: [
    ['status', 'number'],
    ['fileList', 'files'],
    ['uploadingStatus', 'text'],
  ],
  32: [
    ['status', 'number'],
    ['fileList', 'files'],
    ['uploadingStatus', 'text'],
  ],
  33: [['progress', 'number']],
  40: [['status', 'number']],
  41: [['leaveCode', 'count']],
  43: [
    ['streamUid', 'text'],
    ['state', 'number'],
    ['UtcMs', 'number'],
  ],
  44: [
    ['streamUid', 'text'],
    ['state', 'number'],
    ['UtcMs', 'number'],
  ],
  45: [['fileName', 'text']],
  70: [['recorderStartTime', 'number']],
};

/** What `read` gives for a value the schema would convert otherwise, or reject. */
const OTHER = Symbol('other');

/** The value as the schema outputs it, when read here; else `OTHER` (left to the schema). */
function read(kind: Kind, value: unknown): unknown {
  switch (kind) {
    case 'text':
      return typeof value === 'string' ? value : OTHER;
    case 'count':
      return isCount(value) ? value : OTHER;
    case 'number':
      return isNumber(value) ? value : OTHER;
    case 'id':
      return typeof value === 'string' ? value : isNumber(value) ? String(value) : OTHER;
    case 'files':
      // One M3U8 name, as `fileList` reads it: a fresh list each time.
      return typeof value !== 'string' ? OTHER : value === '' ? [] : [{ fileName: value }];
  }
}

/**
 * The details the schema of `eventType` would output, if `raw` has the canonical shape and the
 * type is one read here; else undefined (use `EVENT_DETAILS[eventType]`).
 */
export function readDetailsFast<K extends KnownEventType>(
  eventType: K,
  raw: unknown,
): EventDetails<K> | undefined {
  const fields = FIELDS[eventType];
  if (fields === undefined || !isPlain(raw)) return undefined;
  const out: Record<string, unknown> = {};
  if (Object.hasOwn(raw, 'msgName')) {
    if (typeof raw.msgName !== 'string') return undefined;
    out.msgName = raw.msgName;
  }
  for (const [name, kind] of fields) {
    if (!Object.hasOwn(raw, name)) continue;
    const value = read(kind, raw[name]);
    if (value === OTHER) return undefined;
    out[name] = value;
  }
  // Unknown fields follow, in their order; a key an object literal would take for its
  // prototype, or a field inherited rather than own, is left to the schema.
  for (const key in raw) {
    if (key === '__proto__' || !Object.hasOwn(raw, key)) return undefined;
    if (key === 'msgName' || isField(fields, key)) continue;
    out[key] = raw[key];
  }
  return out as EventDetails<K>;
}

/** Whether `key` is one of `fields` (a loop: no closure per key, this runs per notification). */
function isField(fields: readonly (readonly [string, Kind])[], key: string): boolean {
  for (const field of fields) if (field[0] === key) return true;
  return false;
}
