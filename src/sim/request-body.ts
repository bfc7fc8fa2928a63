// Reading a client's JSON body the way the recording service does: anything off is 400 `code 2`.

/** A readable body, or the reason it is not. */
export type BodyRead =
  | { readonly ok: true; readonly value: Record<string, unknown> }
  | { readonly ok: false; readonly reason: string };

/** Parses a request body that must be a JSON object with `cname` and a numeric-string `uid`. */
export function readCallBody(raw: string): BodyRead {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { ok: false, reason: 'invalid JSON body' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: 'the body must be a JSON object' };
  }
  const body = value as Record<string, unknown>;
  if (typeof body.cname !== 'string' || body.cname === '' || body.cname.length > 1024) {
    return { ok: false, reason: 'cname must be a non-empty string' };
  }
  if (
    typeof body.uid !== 'string' ||
    !/^[1-9]\d{0,9}$/.test(body.uid) ||
    Number(body.uid) > 4294967295
  ) {
    return { ok: false, reason: 'uid must be a string of a number in 1..2^32-1' };
  }
  if (body.clientRequest !== undefined && !isObject(body.clientRequest)) {
    return { ok: false, reason: 'clientRequest must be an object' };
  }
  return { ok: true, value: body };
}

/** True for a plain JSON object. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `object.a.b.c`, or undefined when a step is missing or not an object. */
export function dig(object: unknown, ...keys: string[]): unknown {
  let at: unknown = object;
  for (const key of keys) {
    if (!isObject(at)) return undefined;
    at = at[key];
  }
  return at;
}
