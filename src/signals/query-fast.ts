// The common case of a 200 `query` body, read without zod (see envelope-fast.ts for why): one
// comes for every recording every minute. A body in the canonical shape (numbers as numbers, a
// string file list, no web-mode services) is read here exactly as the schema would read it;
// anything else gives undefined and goes through the schema.
import { isNumber, isPlain } from './canonical.js';
import type { RecordedFile } from './files.js';
import { toEpochMs } from './liberal.js';
import type { QueryResponse, QueryServerResponse } from './query-response.js';

/** The response the schema would output, if `body` has the canonical shape; else undefined. */
export function readQueryResponseFast(body: unknown): QueryResponse | undefined {
  if (!isPlain(body)) return undefined;
  const { cname, uid, resourceId, sid, serverResponse } = body;
  for (const field of [cname, uid, resourceId, sid]) {
    if (field !== undefined && typeof field !== 'string') return undefined;
  }
  if (!isPlain(serverResponse)) return undefined;
  const { status, fileListMode, fileList, sliceStartTime, extensionServiceState } = serverResponse;
  if (extensionServiceState !== undefined) return undefined;
  if (status !== undefined && !isNumber(status)) return undefined;
  if (sliceStartTime !== undefined && !isNumber(sliceStartTime)) return undefined;
  if (fileListMode !== undefined && typeof fileListMode !== 'string') return undefined;
  if (fileList !== undefined && typeof fileList !== 'string') return undefined;
  const files: RecordedFile[] =
    fileList === undefined || fileList === '' ? [] : [{ fileName: fileList }];
  const server: { -readonly [K in keyof QueryServerResponse]: QueryServerResponse[K] } = { files };
  if (status !== undefined) server.status = status;
  if (fileListMode !== undefined) server.fileListMode = fileListMode;
  if (sliceStartTime !== undefined) server.sliceStartTime = toEpochMs(sliceStartTime);
  const response: { -readonly [K in keyof QueryResponse]: QueryResponse[K] } = {
    serverResponse: server,
  };
  if (cname !== undefined) response.cname = cname as string;
  if (uid !== undefined) response.uid = uid as string;
  if (resourceId !== undefined) response.resourceId = resourceId as string;
  if (sid !== undefined) response.sid = sid as string;
  return response;
}
