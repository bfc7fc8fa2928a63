import { createHmac } from 'node:crypto';

/**
 * The two signature headers Agora's notification service sends with a webhook: hex HMAC-SHA1
 * (`Agora-Signature`) and hex HMAC-SHA256 (`Agora-Signature-V2`) of the raw body bytes
 * (agora-cloud-recording.md §2).
 * @example signatureHeaders(body, 's3cret')['Agora-Signature-V2'] // '5f0c…'
 */
export function signatureHeaders(
  rawBody: string,
  secret: string,
): { 'Agora-Signature': string; 'Agora-Signature-V2': string } {
  const bytes = Buffer.from(rawBody, 'utf8');
  return {
    'Agora-Signature': createHmac('sha1', secret).update(bytes).digest('hex'),
    'Agora-Signature-V2': createHmac('sha256', secret).update(bytes).digest('hex'),
  };
}
