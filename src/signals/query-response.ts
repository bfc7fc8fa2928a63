import { z } from 'zod';
import { type ExtensionServices, extensionServiceState } from './extension-services.js';
import type { RecordedFile } from './files.js';
import { fileList } from './files.js';
import { idLike, lenient, numberLike, toEpochMs } from './liberal.js';

/** `serverResponse` of a 200 `query`, in any mode. */
export interface QueryServerResponse {
  /** 0..8 or 20; see `RECORDING_STATUS`. Absent only in responses that carry none. */
  readonly status?: number;
  readonly fileListMode?: 'string' | 'json' | (string & {});
  readonly files: readonly RecordedFile[];
  /** Epoch ms of the first slice (individual mode and screenshots). */
  readonly sliceStartTime?: number;
  readonly extensionServices?: ExtensionServices;
}

/** The body of a 200 `query` (or `stop`) response. */
export interface QueryResponse {
  readonly cname?: string;
  readonly uid?: string;
  readonly resourceId?: string;
  readonly sid?: string;
  readonly serverResponse: QueryServerResponse;
}

// `status` decides the lifecycle; every other field is read when it reads, never failing the
// response (agora-cloud-recording.md §1.1). An unreadable status is an absent one.
const serverResponse = z
  .looseObject({
    status: lenient(numberLike),
    fileListMode: lenient(z.string()),
    fileList: fileList.optional(),
    sliceStartTime: lenient(numberLike),
    extensionServiceState: lenient(extensionServiceState),
  })
  .transform(
    (raw): QueryServerResponse => ({
      ...(raw.status !== undefined && { status: raw.status }),
      ...(raw.fileListMode !== undefined && { fileListMode: raw.fileListMode }),
      files: [...(raw.fileList ?? []), ...(raw.extensionServiceState?.webRecorder?.files ?? [])],
      ...(raw.sliceStartTime !== undefined && { sliceStartTime: toEpochMs(raw.sliceStartTime) }),
      ...(raw.extensionServiceState !== undefined && {
        extensionServices: raw.extensionServiceState,
      }),
    }),
  );

/** A `query` or `stop` response body; unknown keys are accepted and ignored. */
export const queryResponse = z
  .looseObject({
    cname: lenient(z.string()),
    uid: lenient(idLike),
    resourceId: lenient(z.string()),
    sid: lenient(z.string()),
    serverResponse: lenient(serverResponse),
  })
  .transform(
    (raw): QueryResponse => ({
      ...(raw.cname !== undefined && { cname: raw.cname }),
      ...(raw.uid !== undefined && { uid: raw.uid }),
      ...(raw.resourceId !== undefined && { resourceId: raw.resourceId }),
      ...(raw.sid !== undefined && { sid: raw.sid }),
      serverResponse: raw.serverResponse ?? { files: [] },
    }),
  );

/** Agora's `status` codes, by meaning. */
export const RECORDING_STATUS = {
  notStarted: 0,
  initialised: 1,
  componentsStarting: 2,
  someComponentsReady: 3,
  allComponentsReady: 4,
  inProgress: 5,
  stopRequested: 6,
  componentsStopped: 7,
  exited: 8,
  exitedAbnormally: 20,
} as const;
