import { z } from 'zod';
import { fileList } from './files.js';
import { booleanLike, countLike, idLike, lenient, numberLike } from './liberal.js';

// Every details schema is loose: Agora adds fields without notice, and unknown ones are kept.
// Every field is read when it reads and left out when it does not: an odd field never makes a
// notification unreadable (what the lifecycle reads then counts as absent).
const details = <T extends Record<string, z.ZodType>>(shape: T) =>
  z.looseObject({
    msgName: lenient(z.string()),
    ...(Object.fromEntries(
      Object.entries(shape).map(([key, schema]) => [key, lenient(schema)]),
    ) as {
      [K in keyof T]: ReturnType<typeof lenient<T[K]>>;
    }),
  });

/**
 * The `details` schema of each cloud-recording event type Agora documents, keyed by `eventType`.
 * Field types are checked where present; fields are optional because real payloads vary.
 */
export const EVENT_DETAILS = {
  1: details({
    module: numberLike,
    errorLevel: numberLike,
    errorCode: numberLike,
    stat: numberLike,
    errorMsg: z.string(),
  }),
  2: details({ module: numberLike, warnCode: numberLike }),
  3: details({
    status: numberLike,
    recordingMode: numberLike,
    fileList: fileList,
  }),
  4: details({ fileList: fileList }),
  11: details({ exitStatus: numberLike }),
  12: details({ newUid: idLike }),
  13: details({}),
  30: details({ status: numberLike }),
  // `uploadingStatus: "stranded"` (Individual Recording v2): files wait on Agora's backup
  // storage and are uploaded later; not a failure (Agora's 2026 documentation).
  31: details({ status: numberLike, fileList: fileList, uploadingStatus: z.string() }),
  32: details({ status: numberLike, fileList: fileList, uploadingStatus: z.string() }),
  33: details({ progress: numberLike }),
  40: details({ status: numberLike }),
  41: details({ leaveCode: countLike }),
  42: details({
    startUtcMs: numberLike,
    discontinueUtcMs: numberLike,
    mixedAllUser: booleanLike,
    streamUid: idLike,
    trackType: z.string(),
  }),
  43: details({
    streamUid: idLike,
    state: numberLike,
    UtcMs: numberLike,
  }),
  44: details({
    streamUid: idLike,
    state: numberLike,
    UtcMs: numberLike,
  }),
  45: details({ fileName: z.string() }),
  60: details({ aliVodInfo: z.unknown() }),
  61: details({ aliVodInfo: z.unknown() }),
  70: details({ recorderStartTime: numberLike }),
  71: details({
    code: numberLike,
    message: z.string(),
    details: z.unknown(),
    fileList: fileList,
  }),
  72: details({ limitType: z.union([z.string(), z.number()]) }),
  73: details({ reason: z.union([z.string(), z.number()]) }),
  80: details({ result: z.unknown(), uids: z.unknown() }),
  81: details({ result: z.unknown(), uids: z.unknown() }),
  90: details({
    vendor: numberLike,
    region: numberLike,
    bucket: z.string(),
    fileName: z.string(),
  }),
  100: details({ rtmpUrl: z.string(), status: z.string() }),
  1001: details({ result: z.unknown(), fileList: z.unknown() }),
} as const;

/** Event names: Agora's `msgName` where it documents one. */
export const EVENT_NAMES = {
  1: 'cloud_recording_error',
  2: 'cloud_recording_warning',
  3: 'cloud_recording_status_update',
  4: 'cloud_recording_file_infos',
  11: 'session_exit',
  12: 'session_failover',
  13: 'ha_register_success',
  30: 'uploader_started',
  31: 'uploaded',
  32: 'backuped',
  33: 'uploading_progress',
  40: 'recorder_started',
  41: 'recorder_leave',
  42: 'recorder_slice_start',
  43: 'recorder_audio_stream_state_changed',
  44: 'recorder_video_stream_state_changed',
  45: 'recorder_snapshot_file',
  60: 'vod_started',
  61: 'vod_triggered',
  70: 'web_recorder_started',
  71: 'web_recorder_stopped',
  72: 'web_recorder_capability_limit',
  73: 'web_recorder_reload',
  80: 'transcoder_started',
  81: 'transcoder_completed',
  90: 'download_failed',
  100: 'rtmp_publish_status',
  1001: 'postpone_transcode_final_result',
} as const satisfies Record<keyof typeof EVENT_DETAILS, string>;

/** An event type Agora documents for cloud recording. */
export type KnownEventType = keyof typeof EVENT_DETAILS;

/** The typed `details` of a known event type. */
export type EventDetails<K extends KnownEventType> = z.output<(typeof EVENT_DETAILS)[K]>;

/**
 * Whether recwatch knows an event type's details (the domain doc's table).
 * @example isKnownEventType(12) // true; isKnownEventType(777) // false
 */
export function isKnownEventType(eventType: number): eventType is KnownEventType {
  return Object.hasOwn(EVENT_DETAILS, eventType);
}
