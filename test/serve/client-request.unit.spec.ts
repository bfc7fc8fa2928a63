import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { clientRequestFactory } from '../../src/serve/client-request.js';

// agora-token's own parser, to read back what a token was built for.
const require = createRequire(import.meta.url);
const { AccessToken2 } = require('agora-token/src/AccessToken2') as {
  AccessToken2: new () => {
    from_string(token: string): boolean;
    appId: string;
    services: Record<number, { __channel_name: string; __uid: string }>;
  };
};

function readToken(token: unknown) {
  const parsed = new AccessToken2();
  expect(parsed.from_string(token as string)).toBe(true);
  const rtc = Object.values(parsed.services)[0]!;
  return { appId: String(parsed.appId), cname: String(rtc.__channel_name), uid: String(rtc.__uid) };
}

const APP_ID = '970ca35de60c44645bbae8a215061b33';
const CERTIFICATE = '5cfd2fd1755d40ecb72977518be15d3b';

describe('the start clientRequest', () => {
  it('builds each attempt its own token, for the uid that attempt uses (a restart on the backup uid)', async () => {
    const factory = clientRequestFactory({
      appId: APP_ID,
      appCertificate: CERTIFICATE,
      tokenExpireSeconds: 3600,
      base: { recordingConfig: { maxIdleTime: 300 } },
    });
    const first = (await factory('r1', {
      cname: 'room1',
      uid: '1001',
      mode: 'mix',
      restarts: 0,
    })) as Record<string, unknown>;
    const restart = (await factory('r1', {
      cname: 'room1',
      uid: '1002',
      mode: 'mix',
      restarts: 1,
    })) as Record<string, unknown>;
    expect(readToken(first.token)).toEqual({ appId: APP_ID, cname: 'room1', uid: '1001' });
    expect(readToken(restart.token)).toEqual({ appId: APP_ID, cname: 'room1', uid: '1002' });
    expect(first.recordingConfig).toEqual({ maxIdleTime: 300 });
  });

  it('gives a string uid a user-account token, and a fixed token without a certificate', async () => {
    const built = clientRequestFactory({
      appId: APP_ID,
      appCertificate: CERTIFICATE,
      tokenExpireSeconds: 60,
      base: {},
    });
    const account = (await built('r', { cname: 'c', uid: 'rec-a', mode: 'web', restarts: 0 })) as {
      token: string;
    };
    expect(readToken(account.token).uid).toBe('rec-a');
    const fixed = clientRequestFactory({
      appId: APP_ID,
      token: 'fixed',
      tokenExpireSeconds: 60,
      base: {},
    });
    expect(await fixed('r', { cname: 'c', uid: '1', mode: 'mix', restarts: 0 })).toEqual({
      token: 'fixed',
    });
  });

  it('adds the storage keys from the secrets to the storageConfig of the file', async () => {
    const factory = clientRequestFactory({
      appId: APP_ID,
      tokenExpireSeconds: 60,
      base: { storageConfig: { vendor: 1, region: 0, bucket: 'b' } },
      storage: { accessKey: 'ak', secretKey: 'sk' },
    });
    expect(await factory('r', { cname: 'c', uid: '1', mode: 'mix', restarts: 0 })).toEqual({
      storageConfig: { vendor: 1, region: 0, bucket: 'b', accessKey: 'ak', secretKey: 'sk' },
    });
  });
});
