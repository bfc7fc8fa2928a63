import { describe, expect, it } from 'vitest';
import { classifyQuery } from '../../src/index.js';
import { CNAME, queryBody, RECORDER_UID, RESOURCE_ID, SID } from '../fixtures/agora.js';

describe('classifyQuery', () => {
  it('reads a 200 in string file-list mode as alive with its status and file', () => {
    expect(classifyQuery(200, queryBody(5))).toEqual({
      kind: 'alive',
      httpStatus: 200,
      status: 5,
      files: [{ fileName: `${SID}_${CNAME}.m3u8` }],
      uid: RECORDER_UID,
      sid: SID,
      resourceId: RESOURCE_ID,
      cname: CNAME,
      fileListMode: 'string',
    });
  });

  it('reads the numeric-string status of old examples as a number', () => {
    expect(classifyQuery(200, queryBody('4'))).toMatchObject({ kind: 'alive', status: 4 });
  });

  it('reads an old response with a string fileList and no fileListMode', () => {
    const body = { sid: SID, serverResponse: { status: 5, fileList: 'old.m3u8' } };
    expect(classifyQuery(200, body)).toMatchObject({
      status: 5,
      files: [{ fileName: 'old.m3u8' }],
    });
  });

  it('reads json file-list mode entries', () => {
    const body = queryBody(5, {
      fileListMode: 'json',
      fileList: [
        {
          fileName: `${SID}_${CNAME}__uid_s_4411__uid_e_audio.m3u8`,
          trackType: 'audio',
          uid: '4411',
          mixedAllUser: false,
          isPlayable: true,
          sliceStartTime: 1_700_000_004_000,
        },
      ],
      sliceStartTime: 1_700_000_004_000,
    });
    expect(classifyQuery(200, body)).toMatchObject({
      fileListMode: 'json',
      sliceStartTime: 1_700_000_004_000,
      files: [{ trackType: 'audio', uid: '4411', mixedAllUser: false, isPlayable: true }],
    });
  });

  it('reads sliceStartTime given in seconds as ms', () => {
    const body = { serverResponse: { status: 5, sliceStartTime: 1_700_000_004 } };
    expect(classifyQuery(200, body)).toMatchObject({ sliceStartTime: 1_700_000_004_000 });
  });

  it('reads a screenshot-only response: just status and sliceStartTime', () => {
    const body = { sid: SID, serverResponse: { status: 5, sliceStartTime: 1_700_000_004_000 } };
    expect(classifyQuery(200, body)).toMatchObject({ kind: 'alive', status: 5, files: [] });
  });

  it('reads web mode: recorder state, lower-case filename, RTMP outputs', () => {
    const body = {
      sid: SID,
      serverResponse: {
        status: 5,
        extensionServiceState: [
          {
            serviceName: 'web_recorder_service',
            payload: {
              state: 'inProgress',
              onhold: false,
              fileList: [{ filename: 'web_0.mp4', sliceStartTime: 1_700_000_002_000 }],
            },
          },
          {
            serviceName: 'rtmp_publish_service',
            payload: { outputs: [{ rtmpUrl: 'rtmp://cdn.example/live/k', status: 'publishing' }] },
          },
          { serviceName: 'future_service', payload: { x: 1 } },
        ],
      },
    };
    expect(classifyQuery(200, body)).toMatchObject({
      kind: 'alive',
      status: 5,
      files: [{ fileName: 'web_0.mp4', sliceStartTime: 1_700_000_002_000 }],
      extensionServices: {
        webRecorder: { state: 'inProgress', onhold: false },
        rtmpOutputs: [{ rtmpUrl: 'rtmp://cdn.example/live/k', status: 'publishing' }],
        others: [{ serviceName: 'future_service', payload: { x: 1 } }],
      },
    });
  });

  it('derives the status from the web recorder state when status is absent', () => {
    const body = {
      serverResponse: {
        extensionServiceState: [
          { serviceName: 'web_recorder_service', payload: { state: 'exit' } },
        ],
      },
    };
    expect(classifyQuery(200, body)).toMatchObject({ kind: 'alive', status: 8 });
  });

  it('never rejects a response for unknown keys', () => {
    const body = { ...queryBody(5, { brandNew: [1, 2] }), alsoNew: 'yes' };
    expect(classifyQuery(200, body)).toMatchObject({ kind: 'alive', status: 5 });
  });

  it('calls a 200 it cannot read a serverError: it proves nothing', () => {
    expect(classifyQuery(200, { serverResponse: { fileList: 42 } })).toMatchObject({
      kind: 'serverError',
      httpStatus: 200,
    });
    expect(classifyQuery(200, 'not json')).toMatchObject({ kind: 'serverError' });
    expect(classifyQuery(200, { serverResponse: {} })).toMatchObject({
      kind: 'serverError',
      reason: expect.stringContaining('no status'),
    });
  });

  it.each([
    [404, { code: 404, reason: 'failed to find worker' }, 'notFound'],
    [404, { code: '404', reason: 'failed to find worker' }, 'notFound'],
    [404, { message: 'no Route matched with those values' }, 'clientError'],
    [404, null, 'clientError'],
    [206, { code: 65, reason: 'request not completed' }, 'transient'],
    [429, { message: 'API rate limit exceeded' }, 'rateLimited'],
    [500, { code: 62, reason: 'request timeout' }, 'serverError'],
    [502, null, 'serverError'],
    [504, { code: 62 }, 'serverError'],
    [400, { code: 2, reason: 'invalid parameter' }, 'clientError'],
    [400, { message: 'Invalid authentication credentials' }, 'clientError'],
    [401, { message: 'Invalid authentication credentials' }, 'clientError'],
    [403, { message: 'forbidden' }, 'clientError'],
    [302, null, 'serverError'],
  ] as const)('classifies %i %j as %s', (status, body, kind) => {
    expect(classifyQuery(status, body).kind).toBe(kind);
  });

  it('keeps the code and reason Agora gave', () => {
    expect(classifyQuery(404, { code: 404, reason: 'failed to find worker' })).toEqual({
      kind: 'notFound',
      httpStatus: 404,
      code: 404,
      reason: 'failed to find worker',
    });
    expect(classifyQuery(429, { message: 'API rate limit exceeded' })).toEqual({
      kind: 'rateLimited',
      httpStatus: 429,
      reason: 'API rate limit exceeded',
    });
  });

  it.each([null, 0, Number.NaN, -1, 1000])(
    'treats status %s as no response: serverError',
    (status) => {
      expect(classifyQuery(status, null)).toEqual({
        kind: 'serverError',
        httpStatus: null,
        reason: 'no response',
      });
    },
  );
});

describe('classifyQuery: a field the lifecycle does not need never makes a 200 unreadable', () => {
  it('reads Agora’s 2021 json-mode example, booleans as strings (issue 9)', () => {
    const body = {
      serverResponse: {
        status: 5,
        fileListMode: 'json',
        fileList: [{ fileName: 'a.m3u8', isPlayable: 'true' }],
      },
    };
    expect(classifyQuery(200, body)).toMatchObject({
      kind: 'alive',
      status: 5,
      files: [{ fileName: 'a.m3u8', isPlayable: true }],
    });
  });

  it.each([
    [
      'mixedAllUser "false"',
      { fileName: 'b.m3u8', mixedAllUser: 'false' },
      { mixedAllUser: false },
    ],
    ['isPlayable 1', { fileName: 'b.m3u8', isPlayable: 1 }, { isPlayable: true }],
    ['isPlayable "maybe"', { fileName: 'b.m3u8', isPlayable: 'maybe' }, {}],
    ['a numeric uid', { fileName: 'b.m3u8', uid: 123 }, { uid: '123' }],
    [
      'sliceStartTime as a string',
      { fileName: 'b.m3u8', sliceStartTime: '1619176937' },
      { sliceStartTime: 1_619_176_937_000 },
    ],
    ['trackType a number', { fileName: 'b.m3u8', trackType: 3 }, {}],
  ])('reads an entry with %s', (_, entry, read) => {
    const body = { serverResponse: { status: '5', fileListMode: 'json', fileList: [entry] } };
    const outcome = classifyQuery(200, body);
    expect(outcome).toMatchObject({ kind: 'alive', status: 5 });
    if (outcome.kind === 'alive') expect(outcome.files).toEqual([{ fileName: 'b.m3u8', ...read }]);
  });

  it('drops entries without a name, and a fileList of no known shape, keeping the status', () => {
    const entries = {
      serverResponse: { status: 4, fileList: [{}, { fileName: 42 }, 'x', { filename: 'ok.mp4' }] },
    };
    expect(classifyQuery(200, entries)).toMatchObject({
      kind: 'alive',
      status: 4,
      files: [{ fileName: 'ok.mp4' }],
    });
    const odd = {
      serverResponse: { status: 5, fileList: 42, fileListMode: 7, sliceStartTime: 'soon' },
    };
    expect(classifyQuery(200, odd)).toEqual({
      kind: 'alive',
      httpStatus: 200,
      status: 5,
      files: [],
    });
  });

  it('reads web mode with onhold as a string and an odd RTMP payload', () => {
    const body = {
      serverResponse: {
        extensionServiceState: [
          {
            serviceName: 'web_recorder_service',
            payload: {
              state: 'inProgress',
              onhold: 'false',
              fileList: [{ filename: 'w.mp4', sliceStartTime: '1619176937000' }],
            },
          },
          { serviceName: 'rtmp_publish_service', payload: { outputs: 'none' } },
          { noServiceName: true },
        ],
      },
    };
    expect(classifyQuery(200, body)).toMatchObject({
      kind: 'alive',
      status: 5,
      files: [{ fileName: 'w.mp4', sliceStartTime: 1_619_176_937_000 }],
      extensionServices: { webRecorder: { state: 'inProgress', onhold: false }, rtmpOutputs: [] },
    });
  });

  it('reads ids of the wrong type as absent', () => {
    const body = {
      sid: 7,
      resourceId: ['R'],
      cname: null,
      uid: 1001,
      serverResponse: { status: 5 },
    };
    expect(classifyQuery(200, body)).toEqual({
      kind: 'alive',
      httpStatus: 200,
      status: 5,
      files: [],
      uid: '1001',
    });
  });

  it('still calls a 200 without a readable status a serverError', () => {
    expect(
      classifyQuery(200, { serverResponse: { status: 'five', fileList: 'a.m3u8' } }),
    ).toMatchObject({
      kind: 'serverError',
      reason: expect.stringContaining('no status'),
    });
  });
});

describe('classifyQuery: a web page recorder in progress (Agora 2026 query example)', () => {
  const webBody = (status: number, onhold: unknown) => ({
    sid: SID,
    serverResponse: {
      status,
      extensionServiceState: [
        { serviceName: 'web_recorder_service', payload: { state: 'inProgress', onhold } },
      ],
    },
  });

  it.each([
    [0, true],
    [0, false],
    [3, 'true'],
  ])('keeps status %i and names the recorder state inProgress (onhold %s)', (status, onhold) => {
    expect(classifyQuery(200, webBody(status, onhold))).toMatchObject({
      kind: 'alive',
      status,
      webRecorderState: 'inProgress',
    });
  });

  it('names no recorder state for other modes', () => {
    expect(classifyQuery(200, queryBody(5))).not.toHaveProperty('webRecorderState');
  });
});
