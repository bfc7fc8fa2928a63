import { z } from 'zod';
import { fileList } from './files.js';
import { countLike, idLike, numberLike } from './liberal.js';

// Every details schema is loose: Agora adds fields without notice, and unknown ones are kept.
const details = <T extends z.ZodRawShape>(shape: T) =>
  z.looseObject({ msgName: z.string().optional(), ...shape });

/**
 * The `details` schema of each cloud-recording event type Agora documents, keyed by `eventType`.
 * Field types are checked where present; fields are optional because real payloads vary.
 */
export const EVENT_DETAILS = {
  1: details({
    module: numberLike.optional(),
    errorLevel: numberLike.optional(),
    errorCode: numberLike.optional(),
    stat: numberLike.optional(),
    errorMsg: z.string().optional(),
  }),
  2: details({ module: numberLike.optional(), warnCode: numberLike.optional() }),
  3: details({
    status: numberLike.optional(),
    recordingMode: numberLike.optional(),
    fileList: fileList.optional(),
  }),
  4: details({ fileList: fileList.optional() }),
  11: details({ exitStatus: numberLike.optional() }),
  12: details({ newUid: idLike.optional() }),
  13: details({}),
  30: details({ status: numberLike.optional() }),
  31: details({ status: numberLike.optional(), fileList: fileList.optional() }),
  32: details({ status: numberLike.optional(), fileList: fileList.optional() }),
  33: details({ progress: numberLike.optional() }),
  40: details({ status: numberLike.optional() }),
  41: details({ leaveCode: countLike.optional() }),
  42: details({
    startUtcMs: numberLike.optional(),
    discontinueUtcMs: numberLike.optional(),
    mixedAllUser: z.boolean().optional(),
    streamUid: idLike.optional(),
    trackType: z.string().optional(),
  }),
  43: details({
    streamUid: idLike.optional(),
    state: numberLike.optional(),
    UtcMs: numberLike.optional(),
  }),
  44: details({
    streamUid: idLike.optional(),
    state: numberLike.optional(),
    UtcMs: numberLike.optional(),
  }),
  45: details({ fileName: z.string().optional() }),
  60: details({ aliVodInfo: z.unknown().optional() }),
  61: details({ aliVodInfo: z.unknown().optional() }),
  70: details({ recorderStartTime: numberLike.optional() }),
  71: details({
    code: numberLike.optional(),
    message: z.string().optional(),
    details: z.unknown().optional(),
    fileList: fileList.optional(),
  }),
  72: details({ limitType: z.union([z.string(), z.number()]).optional() }),
  73: details({ reason: z.union([z.string(), z.number()]).optional() }),
  80: details({ result: z.unknown().optional(), uids: z.unknown().optional() }),
  81: details({ result: z.unknown().optional(), uids: z.unknown().optional() }),
  90: details({
    vendor: numberLike.optional(),
    region: numberLike.optional(),
    bucket: z.string().optional(),
    fileName: z.string().optional(),
  }),
  100: details({ rtmpUrl: z.string().optional(), status: z.string().optional() }),
  1001: details({ result: z.unknown().optional(), fileList: z.unknown().optional() }),
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
