// What the service answers: the error bodies of agora-cloud-recording.md §1.2, and 200 bodies in
// the documented shape of each mode (§1.1).
import type { Recording } from './recording-life.js';

/** An HTTP answer: status and JSON body. */
export interface Reply {
  readonly httpStatus: number;
  readonly body: unknown;
}

const service = (httpStatus: number, code: number, reason: string): Reply => ({
  httpStatus,
  body: { code, reason },
});
const gateway = (httpStatus: number, message: string): Reply => ({ httpStatus, body: { message } });

/** Every error the simulator answers, by name. */
export const ERRORS = {
  noRoute: gateway(404, 'no Route matched with those values'),
  unauthorized: gateway(401, 'Invalid authentication credentials'),
  rateLimited: gateway(429, 'API rate limit exceeded'),
  workerNotFound: service(404, 404, 'failed to find worker'),
  alreadyExiting: service(400, 49, 'the recording is already exiting'),
  noRecordedData: service(206, 435, 'no recorded data'),
  resourceExpired: service(400, 433, 'resource id expired'),
  badResourceId: service(400, 1001, 'invalid resource id'),
  alreadyRunning: service(400, 53, 'the recording is already running'),
  parameterMismatch: service(400, 432, 'parameters do not match the acquire request'),
  overloaded: service(400, 406, 'vendor_over_load'),
  taskConflict: service(400, 53, 'task conflict'),
  alreadyStarted: service(201, 7, 'already started'),
  alreadyStartedRefused: service(400, 7, 'already started'),
} as const satisfies Record<string, Reply>;

/** 400 `code 2`: a malformed body or a bad parameter, with what was wrong. */
export function invalidParameter(reason: string): Reply {
  return service(400, 2, reason);
}

const identity = (recording: Recording) => ({
  cname: recording.request.cname,
  uid: recording.request.uid,
  resourceId: recording.request.resourceId,
  sid: recording.sid,
});

/** The 200 body of `start`, `update` and `updateLayout`. */
export function sessionReply(recording: Recording): Reply {
  return { httpStatus: 200, body: identity(recording) };
}

/** The 200 body of `query`, in the shape of the recording's mode. */
export function queryReply(recording: Recording, status: number): Reply {
  return {
    httpStatus: 200,
    body: { ...identity(recording), serverResponse: serverResponse(recording, status) },
  };
}

/**
 * The 200 body of `stop`: the files so far and `uploadingStatus` (`unknown` for an async stop,
 * `stranded` when the files wait on Agora's backup storage, else `uploaded`).
 */
export function stopReply(recording: Recording, asyncStop: boolean): Reply {
  if (asyncStop) {
    return {
      httpStatus: 200,
      body: { ...identity(recording), serverResponse: { uploadingStatus: 'unknown' } },
    };
  }
  const files = serverResponse(recording, 7);
  delete files.status;
  if (recording.request.mode === 'web') {
    // Agora's stop response spells the web service's `payload` as `playload`.
    const states = files.extensionServiceState as { serviceName: string; payload: unknown }[];
    files.extensionServiceState = states.map(({ serviceName, payload }) => ({
      serviceName,
      playload: payload,
    }));
  }
  return {
    httpStatus: 200,
    body: {
      ...identity(recording),
      serverResponse: {
        ...files,
        uploadingStatus: recording.stranded ? 'stranded' : 'uploaded',
      },
    },
  };
}

function serverResponse(recording: Recording, status: number): Record<string, unknown> {
  const { mode, mp4 } = recording.request;
  if (mode === 'web') return webResponse(recording, status);
  if (mode === 'mix' && !mp4) {
    const playlist = recording.files.filter((file) => file.fileName.endsWith('.m3u8')).at(-1);
    return { status, fileListMode: 'string', fileList: playlist?.fileName ?? '' };
  }
  const response: Record<string, unknown> = {
    status,
    fileListMode: 'json',
    fileList: recording.fileEntries(),
  };
  const first = recording.files[0];
  if (mode === 'individual' && first !== undefined) response.sliceStartTime = first.sliceStartTime;
  return response;
}

function webResponse(recording: Recording, status: number): Record<string, unknown> {
  // A paused page recorder runs: Agora's example answers status 0 with inProgress and onhold.
  const state = status >= 6 ? 'exit' : status >= 4 || recording.onhold ? 'inProgress' : 'init';
  const services: { serviceName: string; payload: unknown }[] = [
    {
      serviceName: 'web_recorder_service',
      payload: {
        state,
        onhold: recording.onhold,
        fileList: recording.files.map((file) => ({
          filename: file.fileName,
          sliceStartTime: file.sliceStartTime,
        })),
      },
    },
  ];
  if (recording.request.rtmpUrls.length > 0) {
    const outputStatus = recording.publishing ? 'publishing' : 'connecting';
    services.push({
      serviceName: 'rtmp_publish_service',
      payload: {
        outputs: recording.request.rtmpUrls.map((rtmpUrl) => ({ rtmpUrl, status: outputStatus })),
      },
    });
  }
  return { status, extensionServiceState: services };
}
