import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readDetailsFast } from '../../src/signals/details-fast.js';
import { EVENT_DETAILS, type KnownEventType } from '../../src/signals/event-details.js';

// Every field name the fast reader knows, with values of every kind: canonical, converted by the
// schema (numeric text, a number as an id), and wrong; unknown fields with any JSON value.
const NAMES = [
  'msgName',
  'module',
  'warnCode',
  'exitStatus',
  'newUid',
  'status',
  'progress',
  'leaveCode',
  'streamUid',
  'state',
  'UtcMs',
  'fileName',
  'recorderStartTime',
  'recordingMode',
  'fileList',
  'uploadingStatus',
];
const value = fc.oneof(
  fc.integer(),
  fc.nat(),
  fc.double(),
  fc.string(),
  fc.constantFrom('12', '-3', '1e3', 'abc', '', -0, Number.NaN, null, true),
  fc.jsonValue({ maxDepth: 2 }),
);
const details = fc.dictionary(
  fc.oneof(fc.constantFrom(...NAMES), fc.string({ maxLength: 6 })),
  value,
  { maxKeys: 6 },
);
const eventType = fc.constantFrom<KnownEventType>(
  ...(Object.keys(EVENT_DETAILS).map(Number) as KnownEventType[]),
);

describe('the fast details reader', () => {
  it('agrees with the schema, key order included, wherever it answers', () => {
    let answered = 0;
    fc.assert(
      fc.property(eventType, details, (type, raw) => {
        const fast = readDetailsFast(type, raw);
        if (fast === undefined) return;
        answered += 1;
        const schema = EVENT_DETAILS[type].safeParse(raw);
        expect(schema.success).toBe(true);
        expect(fast).toStrictEqual(schema.data);
        expect(Object.keys(fast)).toEqual(Object.keys(schema.data as object));
      }),
      { numRuns: 3000 },
    );
    expect(answered).toBeGreaterThan(0);
  });

  it('answers for canonical details of the common event types', () => {
    const canonical: [KnownEventType, Record<string, unknown>][] = [
      [33, { msgName: 'uploading_progress', progress: 5000 }],
      [43, { msgName: 'x', streamUid: '1001', state: 1, UtcMs: 1700000000000, extra: { a: 1 } }],
      [40, { msgName: 'recorder_started', status: 0 }],
      [41, { leaveCode: 2 }],
      // A numeric id (a failover's new uid) and a file list given as one M3U8 name.
      [12, { msgName: 'session_failover', newUid: 2001 }],
      [4, { msgName: 'cloud_recording_file_infos', fileList: 'sid_room.m3u8' }],
      [3, { status: 0, recordingMode: 0, fileList: '' }],
      [31, { status: 0, fileList: 'a.m3u8', uploadingStatus: 'stranded', more: [1] }],
    ];
    for (const [type, raw] of canonical) {
      const fast = readDetailsFast(type, raw);
      expect(fast).toBeDefined();
      expect(fast).toStrictEqual(EVENT_DETAILS[type].parse(raw));
    }
  });
});
