import { describe, expect, it } from 'vitest';
import {
  classifyCall,
  parseAcquireResponse,
  parseErrorBody,
  parseStartResponse,
  parseStopResponse,
} from '../../src/signals/index.js';
import { CNAME, RECORDER_UID, RESOURCE_ID, SID } from '../fixtures/agora.js';

describe('acquire and start responses', () => {
  it('reads an acquire response', () => {
    expect(parseAcquireResponse({ resourceId: RESOURCE_ID })).toEqual({
      ok: true,
      value: { resourceId: RESOURCE_ID },
    });
  });

  it('reads a start response with a numeric uid as a string', () => {
    const body = { cname: CNAME, uid: 527841, resourceId: RESOURCE_ID, sid: SID };
    expect(parseStartResponse(body)).toEqual({
      ok: true,
      value: { cname: CNAME, uid: RECORDER_UID, resourceId: RESOURCE_ID, sid: SID },
    });
  });

  it('rejects a start response without a sid, naming it', () => {
    const result = parseStartResponse({ resourceId: RESOURCE_ID });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.issues[0]?.path).toBe('sid');
  });
});

describe('stop responses', () => {
  it('reads an individual-mode stop with uploadingStatus', () => {
    const body = {
      resourceId: RESOURCE_ID,
      sid: SID,
      serverResponse: {
        fileListMode: 'string',
        fileList: `${SID}_${CNAME}.m3u8`,
        uploadingStatus: 'uploaded',
      },
    };
    const result = parseStopResponse(body);
    expect(result).toMatchObject({
      ok: true,
      value: {
        sid: SID,
        uploadingStatus: 'uploaded',
        serverResponse: { files: [{ fileName: `${SID}_${CNAME}.m3u8` }] },
      },
    });
  });

  it.each(['payload', 'playload'])('reads a web-mode stop whose service state uses %s', (key) => {
    const body = {
      sid: SID,
      serverResponse: {
        extensionServiceState: [
          {
            serviceName: 'web_recorder_service',
            [key]: {
              state: 'exit',
              fileList: [{ filename: 'w.mp4', sliceStartTime: 1_700_000_002_000 }],
            },
          },
        ],
      },
    };
    const result = parseStopResponse(body);
    expect(result).toMatchObject({
      ok: true,
      value: {
        serverResponse: {
          files: [{ fileName: 'w.mp4' }],
          extensionServices: { webRecorder: { state: 'exit' } },
        },
      },
    });
  });
});

describe('error bodies', () => {
  it('reads both shapes', () => {
    expect(parseErrorBody({ code: 65, reason: 'request not completed' })).toEqual({
      code: 65,
      reason: 'request not completed',
    });
    expect(parseErrorBody({ message: 'API rate limit exceeded' })).toEqual({
      message: 'API rate limit exceeded',
    });
  });

  it('gives nothing for bodies of neither shape', () => {
    expect(parseErrorBody('oops')).toEqual({});
    expect(parseErrorBody({ code: 'x' })).toEqual({});
  });

  it.each([
    [200, {}, 'ok'],
    [206, { code: 435, reason: 'no recorded data' }, 'transient'],
    [400, { code: 49 }, 'clientError'],
    [401, { message: 'Invalid authentication credentials' }, 'clientError'],
    [503, null, 'serverError'],
  ] as const)('classifies a call answered %i %j as %s', (status, body, kind) => {
    expect(classifyCall(status, body)).toMatchObject({ kind, httpStatus: status });
  });
});

describe('responses: every scalar may be a string, an odd field never rejects', () => {
  it('reads the stop example of Agora’s 2021 reference (booleans as strings)', () => {
    const body = {
      resourceId: 'RES-A',
      sid: 'SID-A',
      serverResponse: {
        fileListMode: 'json',
        fileList: [
          {
            fileName: 'SID-A_room-a.m3u8',
            trackType: 'audio_and_video',
            uid: '0',
            mixedAllUser: 'true',
            isPlayable: 'true',
            sliceStartTime: '1619176937',
          },
        ],
        uploadingStatus: 'uploaded',
      },
    };
    expect(parseStopResponse(body)).toMatchObject({
      ok: true,
      value: {
        sid: 'SID-A',
        uploadingStatus: 'uploaded',
        serverResponse: {
          files: [{ fileName: 'SID-A_room-a.m3u8', mixedAllUser: true, isPlayable: true }],
        },
      },
    });
  });

  it('reads a start response whose cname is odd, keeping resourceId and sid', () => {
    expect(parseStartResponse({ cname: 5, uid: { x: 1 }, resourceId: 'R', sid: 'S' })).toEqual({
      ok: true,
      value: { resourceId: 'R', sid: 'S' },
    });
  });

  it('reads an error body whose code is a string and whose reason is odd', () => {
    expect(parseErrorBody({ code: '49', reason: 49 })).toEqual({ code: 49 });
  });
});

describe('Individual Recording v2: stranded uploads (Agora 2026)', () => {
  it('reads a stop response saying uploadingStatus "stranded"', () => {
    const body = {
      resourceId: RESOURCE_ID,
      sid: SID,
      serverResponse: { fileListMode: 'string', fileList: '', uploadingStatus: 'stranded' },
    };
    expect(parseStopResponse(body)).toMatchObject({
      ok: true,
      value: { sid: SID, uploadingStatus: 'stranded' },
    });
  });

  it('settles a host stop answered 200 with stranded files (files pending, not a failure)', () => {
    expect(
      classifyCall(200, { sid: SID, serverResponse: { uploadingStatus: 'stranded' } }),
    ).toMatchObject({ kind: 'ok', httpStatus: 200 });
  });
});

describe("classifyCall: Agora 2026's acquire/start status codes", () => {
  it('reads 400 code 406 (vendor_over_load, the concurrent-task quota) as a quota answer', () => {
    expect(classifyCall(400, { code: 406, reason: 'vendor_over_load' })).toEqual({
      kind: 'rateLimited',
      httpStatus: 400,
      code: 406,
      reason: 'vendor_over_load',
    });
  });

  it('reads 400 code 405 (no_active_status) as a client error', () => {
    expect(classifyCall(400, { code: 405, reason: 'no_active_status' })).toMatchObject({
      kind: 'clientError',
      code: 405,
    });
  });
});
