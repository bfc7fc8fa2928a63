// The clientRequest of every start, built per attempt: with the App Certificate, an RTC token for
// the uid that attempt joins with (a restart on the backup uid needs its own token), built with
// Agora's own token package; storage keys added from the secrets. Kept in no log.
import agoraToken from 'agora-token';
import type { ClientRequestFactory, StartAttemptInfo } from '../runtime/index.js';

/** What the start's clientRequest is built from (the service's configuration). */
export interface ClientRequestSettings {
  readonly appId: string;
  /** The App Certificate: a token is built per attempt. */
  readonly appCertificate?: string;
  /** A fixed token, used when there is no certificate. */
  readonly token?: string;
  /** Lifetime of a built token and of its privileges, seconds. */
  readonly tokenExpireSeconds: number;
  /** Merged into every clientRequest (recordingConfig, storageConfig without keys, ...). */
  readonly base: Readonly<Record<string, unknown>>;
  readonly storage?: { readonly accessKey?: string; readonly secretKey?: string };
}

/**
 * Builds the `clientRequest` factory the supervisor calls before each start. The uid of the
 * attempt decides the token: a numeric uid gets `buildTokenWithUid`, any other string
 * `buildTokenWithUserAccount` (Agora's "string uid"), both with the publisher role the recorder
 * needs (agora-token's RtcTokenBuilder, AccessToken2).
 * @example createSupervisor({ ..., clientRequest: clientRequestFactory({ appId, appCertificate, tokenExpireSeconds: 86400, base: {} }) })
 */
export function clientRequestFactory(settings: ClientRequestSettings): ClientRequestFactory {
  return (_recording: string, attempt: StartAttemptInfo) => {
    const request: Record<string, unknown> = { ...settings.base };
    const token = tokenFor(settings, attempt.cname, attempt.uid);
    if (token !== undefined) request.token = token;
    const storage = settings.base.storageConfig;
    const keys = settings.storage;
    if (keys?.accessKey !== undefined || keys?.secretKey !== undefined) {
      request.storageConfig = {
        ...(storage !== null && typeof storage === 'object' ? storage : {}),
        ...(keys.accessKey !== undefined && { accessKey: keys.accessKey }),
        ...(keys.secretKey !== undefined && { secretKey: keys.secretKey }),
      };
    }
    return request;
  };
}

/**
 * The RTC token for one recorder uid in one channel, or the fixed token, or none.
 * @example tokenFor({ appId, appCertificate, tokenExpireSeconds: 3600, base: {} }, 'room1', '2002')
 */
export function tokenFor(
  settings: Pick<
    ClientRequestSettings,
    'appId' | 'appCertificate' | 'token' | 'tokenExpireSeconds'
  >,
  cname: string,
  uid: string,
): string | undefined {
  if (settings.appCertificate === undefined) return settings.token;
  const { RtcTokenBuilder, RtcRole } = agoraToken;
  const expire = settings.tokenExpireSeconds;
  return /^\d+$/.test(uid)
    ? RtcTokenBuilder.buildTokenWithUid(
        settings.appId,
        settings.appCertificate,
        cname,
        Number(uid),
        RtcRole.PUBLISHER,
        expire,
        expire,
      )
    : RtcTokenBuilder.buildTokenWithUserAccount(
        settings.appId,
        settings.appCertificate,
        cname,
        uid,
        RtcRole.PUBLISHER,
        expire,
        expire,
      );
}
