// Request bodies are kept for inspection, but a start carries storage keys and a token: those
// never leave the simulator.
import { isObject } from './request-body.js';

const REDACTED = '[redacted]';

/**
 * The body with `clientRequest.token` and `clientRequest.storageConfig.accessKey` / `secretKey`
 * replaced by `[redacted]`; a body that is not a JSON object is returned as it came.
 */
export function redactBody(raw: string): string {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return raw;
  }
  if (!isObject(body) || !isObject(body.clientRequest)) return raw;
  const clientRequest = { ...body.clientRequest };
  let changed = false;
  if (clientRequest.token !== undefined) {
    clientRequest.token = REDACTED;
    changed = true;
  }
  if (isObject(clientRequest.storageConfig)) {
    const storage = { ...clientRequest.storageConfig };
    for (const key of ['accessKey', 'secretKey']) {
      if (storage[key] !== undefined) {
        storage[key] = REDACTED;
        changed = true;
      }
    }
    clientRequest.storageConfig = storage;
  }
  return changed ? JSON.stringify({ ...body, clientRequest }) : raw;
}
