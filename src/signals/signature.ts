import { createHmac, createSecretKey, type KeyObject, timingSafeEqual } from 'node:crypto';

/** The two signature headers of Agora's notification service. */
export type SignatureHeader = 'Agora-Signature-V2' | 'Agora-Signature';

/** Request headers as Node (`IncomingHttpHeaders`), fetch (`Headers`) or a plain object give them. */
export type HeaderSource =
  | { get(name: string): string | null }
  | Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * The verdict on a webhook's signatures. `ok` needs at least one signature present and every
 * present one matching; `matched` names those that matched. `notRawBody`: the body given was
 * not the raw bytes (or text) received, e.g. what `express.json()` parsed, so no signature can
 * be checked (see docs/webhooks.md for how to keep the raw body).
 */
export type SignatureCheck =
  | { readonly ok: true; readonly matched: readonly SignatureHeader[] }
  | {
      readonly ok: false;
      readonly reason: 'missing' | 'mismatch' | 'noSecret' | 'notRawBody';
      readonly matched: readonly SignatureHeader[];
      readonly mismatched: readonly SignatureHeader[];
    };

const SCHEMES: readonly { header: SignatureHeader; algorithm: 'sha256' | 'sha1' }[] = [
  { header: 'Agora-Signature-V2', algorithm: 'sha256' },
  { header: 'Agora-Signature', algorithm: 'sha1' },
];

/**
 * Checks `Agora-Signature-V2` (HMAC-SHA256) and `Agora-Signature` (HMAC-SHA1) over the raw body
 * (a Buffer, a Uint8Array, an ArrayBuffer, or the body's text exactly as received), in constant
 * time. Never throws, whatever it is given: a missing or wrong signature, a body that is not raw
 * (a parsed object: reason `notRawBody`) or no secret is a negative result.
 * @example
 * const check = verifySignature(rawBody, req.headers, process.env.AGORA_NCS_SECRET ?? '');
 * if (!check.ok) return reply(401, check.reason);
 */
export function verifySignature(
  rawBody: string | Uint8Array | ArrayBuffer,
  headers: HeaderSource,
  secret: string,
): SignatureCheck {
  if (typeof secret !== 'string' || secret === '') return noSecret();
  return checkSignatures(rawBody, headers, secret);
}

/**
 * `verifySignature` with the secret fixed: its HMAC key is made once (a `KeyObject`), not from
 * the secret's text at every check (the webhook handler checks every body with one secret).
 * Same verdicts as `verifySignature(rawBody, headers, secret)`; never throws.
 * @example
 * const verify = signatureVerifier(process.env.AGORA_NCS_SECRET ?? '');
 * if (!verify(rawBody, req.headers).ok) return reply(401);
 */
export function signatureVerifier(
  secret: string,
): (rawBody: string | Uint8Array | ArrayBuffer, headers: HeaderSource) => SignatureCheck {
  if (typeof secret !== 'string' || secret === '') return () => noSecret();
  // The bytes createHmac takes a string secret as.
  const key = createSecretKey(Buffer.from(secret, 'utf8'));
  return (rawBody, headers) => checkSignatures(rawBody, headers, key);
}

function noSecret(): SignatureCheck {
  return { ok: false, reason: 'noSecret', matched: [], mismatched: [] };
}

function checkSignatures(
  rawBody: string | Uint8Array | ArrayBuffer,
  headers: HeaderSource,
  key: string | KeyObject,
): SignatureCheck {
  const matched: SignatureHeader[] = [];
  const mismatched: SignatureHeader[] = [];
  const body = rawBytes(rawBody);
  if (body === undefined) return { ok: false, reason: 'notRawBody', matched, mismatched };
  for (const { header, algorithm } of SCHEMES) {
    const given = readHeader(headers, header);
    if (given === undefined) continue;
    const expected = createHmac(algorithm, key).update(body).digest();
    (sameDigest(given, expected) ? matched : mismatched).push(header);
  }
  if (mismatched.length > 0) return { ok: false, reason: 'mismatch', matched, mismatched };
  if (matched.length === 0) return { ok: false, reason: 'missing', matched, mismatched };
  return { ok: true, matched };
}

// The bytes to sign, for what a framework gives as the raw body; undefined for anything else.
function rawBytes(rawBody: unknown): Uint8Array | undefined {
  if (typeof rawBody === 'string') return Buffer.from(rawBody, 'utf8');
  if (rawBody instanceof Uint8Array) return rawBody;
  if (rawBody instanceof ArrayBuffer) return new Uint8Array(rawBody);
  if (ArrayBuffer.isView(rawBody))
    return new Uint8Array(rawBody.buffer, rawBody.byteOffset, rawBody.byteLength);
  return undefined;
}

function sameDigest(givenHex: string, expected: Buffer): boolean {
  const hex = givenHex.trim().toLowerCase();
  if (!/^[0-9a-f]*$/.test(hex) || hex.length !== expected.length * 2) return false;
  return timingSafeEqual(Buffer.from(hex, 'hex'), expected);
}

function readHeader(headers: HeaderSource, name: string): string | undefined {
  try {
    if (typeof headers.get === 'function') {
      const value: unknown = (headers as { get(name: string): unknown }).get(name);
      return typeof value === 'string' ? value : undefined;
    }
    const wanted = name.toLowerCase();
    // Keys, not entries: no pair allocated per header, twice per request.
    const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>;
    for (const key of Object.keys(record)) {
      if (key.toLowerCase() !== wanted) continue;
      const value = record[key];
      if (value === undefined) continue;
      const first = typeof value === 'string' ? value : value[0];
      return typeof first === 'string' ? first : undefined;
    }
  } catch {
    // Headers we cannot read are headers that are not there.
  }
  return undefined;
}
