// The common case of a notification's `details`, read without zod (as envelope-fast.ts reads the
// envelope): for the event types whose fields are plain numbers, ids and text, details in the
// canonical shape are copied exactly as the schema outputs them: `msgName`, then the type's own
// fields in the schema's order, then unknown fields as they came (values kept, not copied). Any
// other shape gives undefined and goes through the schema. A property test checks both agree.
import { isCount, isNumber, isPlain } from './canonical.js';
import type { EventDetails, KnownEventType } from './event-details.js';

/** A field as the schema reads it without converting: a number, a count, an id or text. */
type Kind = 'number' | 'count' | 'text';

// The event types read here, with their fields in the schema's order (event-details.ts). An
// id (`idLike`) is text here: a numeric id is converted by the schema, so left to it.
const FIELDS: Partial<Record<KnownEventType, readonly (readonly [string, Kind])[]>> = {
  2: [
    ['module', 'number'],
    ['warnCode', 'number'],
  ],
  11: [['exitStatus', 'number']],
  12: [['newUid', 'text']],
  13: [],
  30: [['status', 'number']],
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

const fits = (kind: Kind, value: unknown): boolean =>
  kind === 'text' ? typeof value === 'string' : kind === 'count' ? isCount(value) : isNumber(value);

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
    const value = raw[name];
    if (!fits(kind, value)) return undefined;
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
