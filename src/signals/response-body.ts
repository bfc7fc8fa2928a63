// A REST answer's body as a trace or a caller may hold it: the parsed JSON, or the text (or
// bytes) it came as. Both read alike, so a 404 `{"code":404}` kept as text is still Agora's
// "failed to find worker" and not a route error (lifecycle rules 3 and 6).

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The value of a response body: JSON text (or UTF-8 bytes of it) holding an object or an array
 * is parsed; anything else (a value already parsed, a gateway's HTML or plain text) is as given.
 * Never throws.
 * @example responseBody('{"code":404,"reason":"failed to find worker"}') // { code: 404, reason: '...' }
 * @example responseBody('<html>Bad Gateway</html>') // '<html>Bad Gateway</html>'
 */
export function responseBody(body: unknown): unknown {
  let text: string;
  if (typeof body === 'string') text = body;
  else if (body instanceof Uint8Array) {
    try {
      text = utf8.decode(body);
    } catch {
      return body;
    }
  } else return body;
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return body;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return body;
  }
}
