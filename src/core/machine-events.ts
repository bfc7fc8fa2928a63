// Normalized signals, mapped onto the lifecycle machine's own vocabulary.
import type { RecordingEvent, RecordingNotification } from '../../machines/index.js';
import type { Notification, Signal } from '../signals/index.js';

/**
 * The fields of a notification the lifecycle reads.
 * @example toRecordingNotification(parsed.value) // { eventType: 11, uid: '1001', sendts: ..., exitStatus: 0 }
 */
export function toRecordingNotification(notification: Notification): RecordingNotification {
  const { eventType, uid, sendts } = notification;
  const reduced: { -readonly [K in keyof RecordingNotification]: RecordingNotification[K] } = {
    eventType,
    uid,
    sendts,
  };
  if (notification.legacy) reduced.legacy = true;
  if (!notification.known) return reduced;
  switch (notification.eventType) {
    case 1:
      if (notification.details.errorLevel !== undefined)
        reduced.errorLevel = notification.details.errorLevel;
      break;
    case 11:
      if (notification.details.exitStatus !== undefined)
        reduced.exitStatus = notification.details.exitStatus;
      break;
    case 12:
      if (notification.details.newUid !== undefined) reduced.newUid = notification.details.newUid;
      break;
    case 41:
      if (notification.details.leaveCode !== undefined)
        reduced.leaveCode = notification.details.leaveCode;
      break;
    case 71:
      if (notification.details.code !== undefined) reduced.code = notification.details.code;
      if (notification.details.fileList !== undefined)
        reduced.files = notification.details.fileList;
      break;
    case 3:
    case 4:
    case 31:
    case 32:
      if (notification.details.fileList !== undefined)
        reduced.files = notification.details.fileList;
      break;
  }
  return reduced;
}

/**
 * The machine event for a signal addressed to a recording (notifications go through routing).
 * @example toRecordingEvent({ at: 5, type: 'stop', recording: 'r1' }) // { type: 'stop', at: 5 }
 */
export function toRecordingEvent(
  signal: Exclude<Signal, { type: 'notification' | 'options' }>,
): RecordingEvent {
  switch (signal.type) {
    case 'start':
      return {
        type: 'start',
        at: signal.at,
        cname: signal.cname,
        uid: signal.uid,
        mode: signal.mode,
        ...(signal.backupUid !== undefined && { backupUid: signal.backupUid }),
      };
    case 'started':
      return {
        type: 'started',
        at: signal.at,
        sid: signal.sid,
        resourceId: signal.resourceId,
        uid: signal.uid,
      };
    case 'startFailed':
    case 'stopResult':
      return { type: signal.type, at: signal.at, outcome: signal.outcome };
    case 'query': {
      const { at, sentAt, sid, outcome } = signal;
      return sentAt === undefined
        ? { type: 'query', at, sid, outcome }
        : { type: 'query', at, sentAt, sid, outcome };
    }
    case 'startSent':
      return { type: 'startSent', at: signal.at, resourceId: signal.resourceId, uid: signal.uid };
    case 'tick':
    case 'stop':
    case 'resumed':
      return { type: signal.type, at: signal.at };
  }
}
