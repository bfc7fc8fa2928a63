import { describe, expect, it } from 'vitest';
import { EVENT_NAMES, parseNotification } from '../../src/index.js';
import {
  CNAME,
  DETAILS,
  legacyNotificationBody,
  notificationBody,
  RECORDER_UID,
  SID,
} from '../fixtures/agora.js';

const documentedTypes = Object.keys(DETAILS).map(Number);

function parsed(body: unknown) {
  const result = parseNotification(body);
  if (!result.ok) throw new Error(`expected a notification, got: ${result.error.message}`);
  return result.value;
}

describe('parseNotification', () => {
  it.each(documentedTypes)('reads event type %i with its typed details', (eventType) => {
    const value = parsed(notificationBody({ eventType, details: DETAILS[eventType], sequence: 7 }));
    expect(value.known).toBe(true);
    expect(value.eventType).toBe(eventType);
    expect(value.eventName).toBe(EVENT_NAMES[eventType as keyof typeof EVENT_NAMES]);
    expect(value.sid).toBe(SID);
    expect(value.uid).toBe(RECORDER_UID);
    expect(value.cname).toBe(CNAME);
    expect(value.sequence).toBe(7);
    expect(value.legacy).toBe(false);
  });

  it('normalizes the envelope fields', () => {
    const value = parsed(
      notificationBody({
        eventType: 40,
        sendts: 1_700_000_000_123,
        noticeId: 'n-1',
        notifyMs: 1_700_000_000_200,
      }),
    );
    expect(value).toMatchObject({
      noticeId: 'n-1',
      sendts: 1_700_000_000_123,
      notifyMs: 1_700_000_000_200,
      productId: 3,
      serviceType: 0,
    });
  });

  it('reads session_exit exit status as a number', () => {
    const value = parsed(
      notificationBody({ eventType: 11, details: { msgName: 'session_exit', exitStatus: '1' } }),
    );
    if (!value.known || value.eventType !== 11) throw new Error('expected session_exit');
    expect(value.details.exitStatus).toBe(1);
  });

  it('reads session_failover newUid, a number on the wire, as a uid string', () => {
    const value = parsed(notificationBody({ eventType: 12, details: DETAILS[12] }));
    if (!value.known || value.eventType !== 12) throw new Error('expected session_failover');
    expect(value.details.newUid).toBe('1937422');
  });

  it('reads upload file lists in array and string form into one file shape', () => {
    const uploaded = parsed(notificationBody({ eventType: 31, details: DETAILS[31] }));
    const backuped = parsed(notificationBody({ eventType: 32, details: DETAILS[32] }));
    if (!uploaded.known || uploaded.eventType !== 31) throw new Error('expected uploaded');
    if (!backuped.known || backuped.eventType !== 32) throw new Error('expected backuped');
    expect(uploaded.details.fileList).toEqual([
      {
        fileName: `${SID}_${CNAME}.m3u8`,
        trackType: 'audio_and_video',
        uid: '0',
        mixedAllUser: true,
        isPlayable: true,
        sliceStartTime: 1_700_000_003_000,
      },
    ]);
    expect(backuped.details.fileList).toEqual([{ fileName: `${SID}_${CNAME}.m3u8` }]);
  });

  it('reads the web recorder file list with its lower-case filename', () => {
    const value = parsed(notificationBody({ eventType: 71, details: DETAILS[71] }));
    if (!value.known || value.eventType !== 71) throw new Error('expected web_recorder_stopped');
    expect(value.details.code).toBe(1);
    expect(value.details.fileList).toEqual([
      { fileName: `${SID}_${CNAME}_0.mp4`, sliceStartTime: 1_700_000_002_100 },
    ]);
  });

  it('keeps unknown detail fields of a known event', () => {
    const value = parsed(
      notificationBody({
        eventType: 40,
        details: { msgName: 'recorder_started', status: 0, shiny: { new: 1 } },
      }),
    );
    expect(value.details).toMatchObject({ shiny: { new: 1 } });
  });

  it('keeps an unknown event type with its raw details', () => {
    const value = parsed(
      notificationBody({ eventType: 777, details: { msgName: 'quantum_recorder', spin: 'up' } }),
    );
    expect(value.known).toBe(false);
    expect(value.eventType).toBe(777);
    expect(value.eventName).toBe('quantum_recorder');
    expect(value.details).toEqual({ msgName: 'quantum_recorder', spin: 'up' });
  });

  it('names an unknown event without msgName by its number', () => {
    expect(parsed(notificationBody({ eventType: 501, details: {} })).eventName).toBe('event_501');
  });

  it('reads the legacy envelope: notificationId and a string sequence', () => {
    const value = parsed(
      legacyNotificationBody({ eventType: 40, sequence: 12, noticeId: 'legacy-9' }),
    );
    expect(value).toMatchObject({ noticeId: 'legacy-9', sequence: 12, legacy: true });
  });

  it('takes the sid from the top level when the payload has none', () => {
    const body = notificationBody({ eventType: 30 }) as { payload: Record<string, unknown> };
    const { sid: _omitted, ...payload } = body.payload;
    expect(parsed({ ...body, sid: 'top-sid', payload }).sid).toBe('top-sid');
  });

  it('falls back to notifyMs when a payload has no sendts', () => {
    const body = notificationBody({ eventType: 30, notifyMs: 1_700_000_555_000 }) as {
      payload: Record<string, unknown>;
    };
    const { sendts: _omitted, ...payload } = body.payload;
    expect(parsed({ ...body, payload }).sendts).toBe(1_700_000_555_000);
  });

  it('accepts the console health check', () => {
    const value = parsed(
      notificationBody({ eventType: 30, cname: 'test_webhook', details: { status: 0 } }),
    );
    expect(value.cname).toBe('test_webhook');
  });

  it('parses the raw body as text or bytes', () => {
    const body = notificationBody({ eventType: 41, details: DETAILS[41], sequence: 3 });
    const text = JSON.stringify(body);
    expect(parsed(text)).toEqual(parsed(body));
    expect(parsed(new TextEncoder().encode(text))).toEqual(parsed(body));
  });

  describe('rejects, naming the path and the problem', () => {
    const cases: readonly [string, unknown, string][] = [
      ['a body that is not JSON', '{"eventType": 4', '(body)'],
      ['bytes that are not UTF-8', new Uint8Array([0xff, 0xfe, 0x7b]), '(body)'],
      ['an array', [], '(root)'],
      [
        'no eventType',
        { ...notificationBody({ eventType: 1 }), eventType: undefined },
        'eventType',
      ],
      ['no payload', { noticeId: 'x', eventType: 40 }, 'payload'],
      [
        'a negative sequence',
        notificationBody({ eventType: 40, sequence: -1 }),
        'payload.sequence',
      ],
      [
        'a non-numeric sequence',
        notificationBody({ eventType: 40, sequence: 'seven' }),
        'payload.sequence',
      ],
      ['no noticeId', { ...notificationBody({ eventType: 40 }), noticeId: undefined }, 'noticeId'],
      ['an empty sid', notificationBody({ eventType: 40, sid: '' }), 'payload.sid'],
    ];
    it.each(cases)('%s', (_name, body, path) => {
      const result = parseNotification(body);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.issues.map((issue) => issue.path)).toContain(path);
      expect(result.error.message.startsWith(`${result.error.issues[0]?.path}: `)).toBe(true);
    });
  });

  it('never throws on a body whose getters throw', () => {
    const hostile = {
      get eventType(): number {
        throw new Error('boom');
      },
    };
    const result = parseNotification(hostile);
    expect(result).toMatchObject({ ok: false, error: { message: '(root): boom' } });
  });

  describe('reads every scalar liberally: an odd field the lifecycle does not need never rejects', () => {
    it('reads a mistyped detail as absent, keeping the rest', () => {
      const result = parseNotification(
        notificationBody({ eventType: 11, details: { exitStatus: 'abnormal' } }),
      );
      expect(result.ok && result.value.known && result.value.eventType === 11).toBe(true);
      if (result.ok && result.value.known && result.value.eventType === 11)
        expect(result.value.details.exitStatus).toBeUndefined();
    });

    it('drops a file entry without a name, keeping the others', () => {
      const result = parseNotification(
        notificationBody({
          eventType: 31,
          details: { fileList: [{ trackType: 'audio' }, { fileName: 'S1_c.m3u8' }] },
        }),
      );
      if (!(result.ok && result.value.known && result.value.eventType === 31))
        throw new Error('expected a readable 31');
      expect(result.value.details.fileList).toEqual([{ fileName: 'S1_c.m3u8' }]);
    });

    it('reads booleans and numbers sent as strings', () => {
      const result = parseNotification(
        notificationBody({
          eventType: 42,
          details: { mixedAllUser: 'true', startUtcMs: '1700000000000', streamUid: 7 },
        }),
      );
      if (!(result.ok && result.value.known && result.value.eventType === 42))
        throw new Error('expected a readable 42');
      expect(result.value.details).toMatchObject({
        mixedAllUser: true,
        startUtcMs: 1_700_000_000_000,
        streamUid: '7',
      });
    });

    it('reads a legacy callback: notificationId, eventMs, a string sequence, a numeric uid', () => {
      const result = parseNotification({
        notificationId: 'l2',
        eventType: 41,
        eventMs: 40_000,
        payload: {
          cname: 'room-a',
          uid: 1001,
          sid: 'SID-A',
          sequence: '3',
          details: { msgName: 'recorder_leave', leaveCode: '6' },
        },
      });
      expect(result).toMatchObject({
        ok: true,
        value: {
          legacy: true,
          sendts: 40_000,
          sequence: 3,
          uid: '1001',
          details: { leaveCode: 6 },
        },
      });
    });

    it('keeps the envelope readable when a field it does not need is odd', () => {
      const body = notificationBody({ eventType: 40 }) as Record<string, unknown>;
      const result = parseNotification({ ...body, productId: 'three', notifyMs: { odd: true } });
      expect(result).toMatchObject({ ok: true, value: { eventType: 40 } });
    });
  });
});

describe('parseNotification: Individual Recording v2 (Agora 2026)', () => {
  it.each(['payload', 'envelope'])('reads serviceScene "rtsc/raw-recording" in the %s', (where) => {
    const body = notificationBody({
      eventType: 40,
      details: { msgName: 'recorder_started', status: 0 },
    });
    if (where === 'payload')
      (body.payload as Record<string, unknown>).serviceScene = 'rtsc/raw-recording';
    else body.serviceScene = 'rtsc/raw-recording';
    expect(parsed(body)).toMatchObject({ eventType: 40, serviceScene: 'rtsc/raw-recording' });
  });

  it('reads the older "rtc_record" scene, and leaves an odd one out without rejecting', () => {
    const old = notificationBody({ eventType: 30, details: { status: 0 } });
    (old.payload as Record<string, unknown>).serviceScene = 'rtc_record';
    expect(parsed(old)).toMatchObject({ serviceScene: 'rtc_record' });
    const odd = notificationBody({ eventType: 30, details: { status: 0 } });
    (odd.payload as Record<string, unknown>).serviceScene = 7;
    expect(parsed(odd)).not.toHaveProperty('serviceScene');
  });

  it.each([31, 32, 33])('reads upload event %i saying uploadingStatus "stranded"', (eventType) => {
    const body = notificationBody({
      eventType,
      details: { status: 0, fileList: [], uploadingStatus: 'stranded' },
    });
    expect(parsed(body)).toMatchObject({ eventType, details: { uploadingStatus: 'stranded' } });
  });
});
