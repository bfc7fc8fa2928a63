export type { CallFailure, CallFailureKind, CallOutcome } from './call-outcome.js';
export {
  CODE_REQUEST_NOT_COMPLETED,
  CODE_VENDOR_OVER_LOAD,
  CODE_WORKER_NOT_FOUND,
  classifyCall,
} from './call-outcome.js';
export type { EventDetails, KnownEventType } from './event-details.js';
export { EVENT_NAMES, isKnownEventType } from './event-details.js';
export type { ExtensionServices, RtmpOutput, WebRecorderState } from './extension-services.js';
export type { RecordedFile } from './files.js';
export type { RecordingMode, Signal, TraceRecord, TraceRecordType } from './input.js';
export { normalizeInput, normalizeRecord, parseTraceRecord } from './input.js';
export { isModeName, KNOWN_MODES } from './mode.js';
export type {
  KnownNotification,
  Notification,
  NotificationBase,
  UnknownNotification,
} from './notification.js';
export { CLOUD_RECORDING_PRODUCT_ID, parseNotification } from './notification.js';
export type { AliveQuery, QueryOutcome } from './query-outcome.js';
export { classifyQuery } from './query-outcome.js';
export type { QueryResponse, QueryServerResponse } from './query-response.js';
export { RECORDING_STATUS } from './query-response.js';
export type { AcquireResponse, ErrorBody, StartResponse, StopResponse } from './responses.js';
export {
  parseAcquireResponse,
  parseErrorBody,
  parseStartResponse,
  parseStopResponse,
} from './responses.js';
export type { ParseError, ParseIssue, ParseIssueCode, ParseResult } from './result.js';
export type { HeaderSource, SignatureCheck, SignatureHeader } from './signature.js';
export { signatureVerifier, verifySignature } from './signature.js';
export { isTime, MAX_TIME_MS } from './time.js';
