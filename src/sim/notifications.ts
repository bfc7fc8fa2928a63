// Notification bodies as Agora's notification service sends them (agora-cloud-recording.md §2).

/** The product id of cloud recording in the envelope. */
export const CLOUD_RECORDING_PRODUCT_ID = 3;

/** A notification before it is sent: everything but `notifyMs`, which each delivery attempt sets. */
export interface NotificationDraft {
  readonly noticeId: string;
  readonly eventType: number;
  readonly cname: string;
  /** The recorder uid that sends it: changes after a failover. */
  readonly uid: string;
  readonly sid: string;
  /** Per sid from 0 (see `sequenceAfterFailover`). */
  readonly sequence: number;
  /** When the event happened, clock ms. */
  readonly sendts: number;
  readonly details: Readonly<Record<string, unknown>>;
  /** Individual Recording v2 (mode `raw`): `"rtsc/raw-recording"` in the payload. */
  readonly serviceScene?: string;
}

/** The `msgName` of each event type the simulator sends (13 has none: Agora documents no details). */
export const MSG_NAMES: Readonly<Record<number, string>> = {
  1: 'cloud_recording_error',
  2: 'cloud_recording_warning',
  4: 'cloud_recording_file_infos',
  11: 'session_exit',
  12: 'session_failover',
  30: 'uploader_started',
  31: 'uploaded',
  32: 'backuped',
  33: 'uploading_progress',
  40: 'recorder_started',
  41: 'recorder_leave',
  42: 'recorder_slice_start',
  43: 'recorder_audio_stream_state_changed',
  44: 'recorder_video_stream_state_changed',
  70: 'web_recorder_started',
  71: 'web_recorder_stopped',
  72: 'web_recorder_capability_limit',
  100: 'rtmp_publish_status',
};

// Which part of the service sends an event: 0 the service, 1 recorder, 2 uploader, 4 web extension.
function serviceType(eventType: number): number {
  if (eventType >= 30 && eventType < 40) return 2;
  if (eventType >= 40 && eventType < 50) return 1;
  if (eventType >= 70) return 4;
  return 0;
}

/**
 * The raw JSON body of one delivery attempt: the envelope with `notifyMs` set to the attempt's time.
 * Keys always come in the same order, so the same draft and time give the same bytes.
 */
export function notificationBody(draft: NotificationDraft, notifyMs: number): string {
  return JSON.stringify({
    noticeId: draft.noticeId,
    productId: CLOUD_RECORDING_PRODUCT_ID,
    eventType: draft.eventType,
    notifyMs,
    payload: {
      cname: draft.cname,
      uid: draft.uid,
      sid: draft.sid,
      sequence: draft.sequence,
      sendts: draft.sendts,
      serviceType: serviceType(draft.eventType),
      ...(draft.serviceScene !== undefined && { serviceScene: draft.serviceScene }),
      details: draft.details,
    },
  });
}
