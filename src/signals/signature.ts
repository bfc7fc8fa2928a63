import { createHmac, timingSafeEqual } from 'node:crypto';

/** The two signature headers of Agora's notification service. */
export type SignatureHeader = 'Agora-Signature-V2' | 'Agora-Signature';

/** Request headers as Node (`IncomingHttpHeaders`), fetch (`Headers`) or a plain object give them. */
export type HeaderSource =
  | { get(name: string): string | null }
  | Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * The verdict on a webhook's signatures. `ok` needs at least one signature present and every
 * present one matching; `matched` names those that matched.
 */
export type SignatureCheck =
  | { readonly ok: true; readonly matched: readonly SignatureHeader[] }
  | {
      readonly ok: false;
      readonly reason: 'missing' | 'mismatch' | 'noSecret';
      readonly matched: readonly SignatureHeader[];
      readonly mismatched: readonly SignatureHeader[];
    };

const SCHEMES: readonly { header: SignatureHeader; algorithm: 'sha256' | 'sha1' }[] = [
  { header: 'Agora-Signature-V2', algorithm: 'sha256' },
  { header: 'Agora-Signature', algorithm: 'sha1' },
];

/**
 * Checks `Agora-Signature-V2` (HMAC-SHA256) and `Agora-Signature` (HMAC-SHA1) over the raw body
 * bytes, in constant time. Never throws: a missing or wrong signature is a negative result.
 * @example
 * const check = verifySignature(rawBody, req.headers, process.env.AGORA_NCS_SECRET ?? '');
 * if (!check.ok) return reply(401, check.reason);
 */
export function verifySignature(
  rawBody: string | Uint8Array,
  headers: HeaderSource,
  secret: string,
): SignatureCheck {
  const matched: SignatureHeader[] = [];
  const mismatched: SignatureHeader[] = [];
  if (typeof secret !== 'string' || secret === '') {
    return { ok: false, reason: 'noSecret', matched, mismatched };
  }
  const body = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody;
  for (const { header, algorithm } of SCHEMES) {
    const given = readHeader(headers, header);
    if (given === undefined) continue;
    const expected = createHmac(algorithm, secret).update(body).digest();
    (sameDigest(given, expected) ? matched : mismatched).push(header);
  }
  if (mismatched.length > 0) return { ok: false, reason: 'mismatch', matched, mismatched };
  if (matched.length === 0) return { ok: false, reason: 'missing', matched, mismatched };
  return { ok: true, matched };
}

function sameDigest(givenHex: string, expected: Buffer): boolean {
  const hex = givenHex.trim().toLowerCase();
  if (!/^[0-9a-f]*$/.test(hex) || hex.length !== expected.length * 2) return false;
  return timingSafeEqual(Buffer.from(hex, 'hex'), expected);
}

function readHeader(headers: HeaderSource, name: string): string | undefined {
  try {
    if (typeof headers.get === 'function') {
      return (headers as { get(name: string): string | null }).get(name) ?? undefined;
    }
    const wanted = name.toLowerCase();
    for (const [key, value] of Object.entries(headers)) {
      if (key.toLowerCase() !== wanted || value === undefined) continue;
      const first = typeof value === 'string' ? value : value[0];
      return typeof first === 'string' ? first : undefined;
    }
  } catch {
    // Headers we cannot read are headers that are not there.
  }
  return undefined;
}
