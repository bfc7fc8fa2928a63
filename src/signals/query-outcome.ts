import { type CallFailure, classifyCall } from './call-outcome.js';
import type { ExtensionServices } from './extension-services.js';
import type { RecordedFile } from './files.js';
import { readQueryResponseFast } from './query-fast.js';
import { queryResponse, RECORDING_STATUS } from './query-response.js';

/** A 200 `query`: the session exists; `status` says how far along it is. */
export interface AliveQuery {
  readonly kind: 'alive';
  readonly httpStatus: 200;
  readonly status: number;
  readonly files: readonly RecordedFile[];
  readonly uid?: string;
  readonly sid?: string;
  readonly resourceId?: string;
  readonly cname?: string;
  readonly fileListMode?: string;
  readonly sliceStartTime?: number;
  readonly extensionServices?: ExtensionServices;
  /**
   * A web recording's `web_recorder_service` state, when the answer names one. `inProgress` is
   * alive even when `status` says 0..3, paused by the host (`onhold`) or not (Agora's 2026 query
   * example answers `status: 0` with `{state: "inProgress", onhold: true}`; lifecycle rule 1).
   */
  readonly webRecorderState?: string;
}

/**
 * What a `query` call says about a recording. `notFound` is the ambiguous one: not started,
 * already quit, or a failover in progress.
 */
export type QueryOutcome = AliveQuery | CallFailure;

/** Web mode may report only its recorder's state: read it as the status it implies. */
const WEB_STATE_STATUS: Readonly<Record<string, number>> = {
  init: RECORDING_STATUS.componentsStarting,
  inProgress: RECORDING_STATUS.inProgress,
  exit: RECORDING_STATUS.exited,
};

/**
 * Classifies a `query` response. `httpStatus` null (or 0) means no response arrived.
 * A 200 whose body cannot be read is a `serverError`: it proves nothing about the recording.
 * A body given as its JSON text (or bytes) reads as the value it holds.
 * @example
 * classifyQuery(200, { sid: 'S1', serverResponse: { status: '5', fileList: 'S1_room1.m3u8' } })
 * // { kind: 'alive', httpStatus: 200, status: 5, files: [{ fileName: 'S1_room1.m3u8' }], sid: 'S1' }
 * classifyQuery(404, { code: 404, reason: 'failed to find worker' }) // { kind: 'notFound', ... }
 */
export function classifyQuery(httpStatus: number | null, raw: unknown): QueryOutcome {
  try {
    const call = classifyCall(httpStatus, raw);
    if (call.kind !== 'ok') return call;
    return readAlive(call.body);
  } catch (error) {
    const reason = `unreadable response: ${error instanceof Error ? error.message : String(error)}`;
    return { kind: 'serverError', httpStatus, reason };
  }
}

function readAlive(body: unknown): QueryOutcome {
  const fast = readQueryResponseFast(body);
  const parsed =
    fast === undefined ? queryResponse.safeParse(body) : { success: true as const, data: fast };
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') || '(root)';
    return {
      kind: 'serverError',
      httpStatus: 200,
      reason: `unreadable 200 response: ${where}: ${issue?.message}`,
    };
  }
  const response = parsed.data;
  const server = response.serverResponse;
  const webState = server.extensionServices?.webRecorder?.state;
  const status = server.status ?? (webState === undefined ? undefined : WEB_STATE_STATUS[webState]);
  if (status === undefined) {
    return { kind: 'serverError', httpStatus: 200, reason: 'unreadable 200 response: no status' };
  }
  return {
    kind: 'alive',
    httpStatus: 200,
    status,
    files: server.files,
    ...(response.uid !== undefined && { uid: response.uid }),
    ...(response.sid !== undefined && { sid: response.sid }),
    ...(response.resourceId !== undefined && { resourceId: response.resourceId }),
    ...(response.cname !== undefined && { cname: response.cname }),
    ...(server.fileListMode !== undefined && { fileListMode: server.fileListMode }),
    ...(server.sliceStartTime !== undefined && { sliceStartTime: server.sliceStartTime }),
    ...(server.extensionServices !== undefined && { extensionServices: server.extensionServices }),
    ...(webState !== undefined && { webRecorderState: webState }),
  };
}
