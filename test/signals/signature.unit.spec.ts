import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifySignature } from '../../src/index.js';
import { signatureVerifier } from '../../src/signals/index.js';

const SECRET = 'ncs-secret-4411';
const BODY = '{"noticeId":"n1","productId":3,"eventType":40,"payload":{"sid":"S1","sequence":0}}';

const v1 = (body: string | Buffer, secret = SECRET) =>
  createHmac('sha1', secret).update(body).digest('hex');
const v2 = (body: string | Buffer, secret = SECRET) =>
  createHmac('sha256', secret).update(body).digest('hex');

describe('verifySignature', () => {
  it('accepts both signatures when both match', () => {
    const headers = { 'agora-signature': v1(BODY), 'agora-signature-v2': v2(BODY) };
    expect(verifySignature(BODY, headers, SECRET)).toEqual({
      ok: true,
      matched: ['Agora-Signature-V2', 'Agora-Signature'],
    });
  });

  it('accepts either alone, whatever the header case', () => {
    expect(verifySignature(BODY, { 'Agora-Signature': v1(BODY) }, SECRET)).toEqual({
      ok: true,
      matched: ['Agora-Signature'],
    });
    expect(verifySignature(BODY, { 'AGORA-SIGNATURE-V2': v2(BODY).toUpperCase() }, SECRET)).toEqual(
      {
        ok: true,
        matched: ['Agora-Signature-V2'],
      },
    );
  });

  it('reads fetch Headers', () => {
    const headers = new Headers({ 'Agora-Signature-V2': v2(BODY) });
    expect(verifySignature(BODY, headers, SECRET).ok).toBe(true);
  });

  it('computes over the raw bytes, not re-serialized JSON', () => {
    const spaced = '{ "eventType": 40 }';
    const bytes = new TextEncoder().encode(spaced);
    const headers = { 'agora-signature-v2': v2(spaced) };
    expect(verifySignature(bytes, headers, SECRET).ok).toBe(true);
    expect(verifySignature(JSON.stringify(JSON.parse(spaced)), headers, SECRET)).toMatchObject({
      ok: false,
      reason: 'mismatch',
    });
  });

  it('says missing when no signature header is present', () => {
    expect(verifySignature(BODY, {}, SECRET)).toMatchObject({ ok: false, reason: 'missing' });
  });

  it('says mismatch for a wrong secret, a tampered body or garbage', () => {
    expect(
      verifySignature(BODY, { 'agora-signature-v2': v2(BODY, 'other') }, SECRET),
    ).toMatchObject({
      ok: false,
      reason: 'mismatch',
      mismatched: ['Agora-Signature-V2'],
    });
    expect(verifySignature(`${BODY} `, { 'agora-signature': v1(BODY) }, SECRET)).toMatchObject({
      ok: false,
      reason: 'mismatch',
    });
    expect(verifySignature(BODY, { 'agora-signature': 'zz-not-hex' }, SECRET)).toMatchObject({
      ok: false,
      reason: 'mismatch',
    });
  });

  it('refuses when one present signature matches and the other does not', () => {
    const headers = { 'agora-signature': v1(BODY), 'agora-signature-v2': v2(BODY, 'other') };
    expect(verifySignature(BODY, headers, SECRET)).toEqual({
      ok: false,
      reason: 'mismatch',
      matched: ['Agora-Signature'],
      mismatched: ['Agora-Signature-V2'],
    });
  });

  it('says noSecret for an empty secret instead of matching anything', () => {
    const headers = { 'agora-signature-v2': v2(BODY, '') };
    expect(verifySignature(BODY, headers, '')).toMatchObject({ ok: false, reason: 'noSecret' });
  });

  it('refuses a header sent twice, as Node and Fetch join it, even with both copies right', () => {
    const joined = `${v2(BODY)}, ${v2(BODY)}`;
    expect(verifySignature(BODY, { 'agora-signature-v2': joined }, SECRET)).toMatchObject({
      ok: false,
      reason: 'mismatch',
      mismatched: ['Agora-Signature-V2'],
    });
    const fetched = new Headers();
    fetched.append('Agora-Signature-V2', v2(BODY));
    fetched.append('Agora-Signature-V2', v2(BODY));
    expect(verifySignature(BODY, fetched, SECRET)).toMatchObject({ ok: false, reason: 'mismatch' });
  });

  it('uses the first value of a repeated header', () => {
    const headers = { 'agora-signature-v2': [v2(BODY), 'junk'] };
    expect(verifySignature(BODY, headers, SECRET).ok).toBe(true);
  });
});

describe('verifySignature never throws', () => {
  const headers = { 'agora-signature-v2': v2(BODY) };

  it('answers notRawBody for a parsed body (what express.json() gives), and anything not raw', () => {
    for (const body of [JSON.parse(BODY), null, undefined, 42, [1, 2], { toString: () => BODY }]) {
      expect(verifySignature(body as never, headers, SECRET)).toEqual({
        ok: false,
        reason: 'notRawBody',
        matched: [],
        mismatched: [],
      });
    }
  });

  it('takes the raw body as a Buffer, a Uint8Array, an ArrayBuffer or a DataView', () => {
    const bytes = Buffer.from(BODY);
    const copy = new Uint8Array(bytes).buffer;
    for (const body of [bytes, new Uint8Array(bytes), copy, new DataView(copy)]) {
      expect(verifySignature(body as never, headers, SECRET).ok).toBe(true);
    }
  });

  it('survives headers that are not headers', () => {
    const odd = [
      null,
      undefined,
      5,
      { get: () => 42 },
      {
        get: () => {
          throw new Error('x');
        },
      },
    ];
    for (const each of odd) {
      expect(verifySignature(BODY, each as never, SECRET)).toMatchObject({
        ok: false,
        reason: 'missing',
      });
    }
  });
});

describe('signatureVerifier', () => {
  it('gives the verdicts of verifySignature with the same secret, a non-ASCII one included', () => {
    for (const secret of [SECRET, 'clé-秘密-🔑', '']) {
      const verify = signatureVerifier(secret);
      const cases: [string | Buffer, Record<string, string | string[]>][] = [
        [BODY, { 'agora-signature-v2': v2(BODY, secret || 'x') }],
        [Buffer.from(BODY), { 'Agora-Signature': v1(BODY, secret || 'x') }],
        [BODY, { 'agora-signature-v2': v2(BODY, 'other') }],
        [BODY, { 'agora-signature': v1(BODY, secret || 'x'), 'agora-signature-v2': 'junk' }],
        [BODY, {}],
      ];
      for (const [body, headers] of cases) {
        expect(verify(body, headers)).toEqual(verifySignature(body, headers, secret));
      }
    }
    expect(
      signatureVerifier('clé-秘密-🔑')(BODY, { 'agora-signature-v2': v2(BODY, 'clé-秘密-🔑') }).ok,
    ).toBe(true);
  });
});
