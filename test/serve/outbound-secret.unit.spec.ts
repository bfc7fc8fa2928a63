// A library host calling startOutboundWebhooks with a secret standardwebhooks cannot sign with
// gets recwatch's typed error, naming the field and never the value.
import { EMPTY } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors/index.js';
import { memoryCursor, startOutboundWebhooks } from '../../src/serve/outbound.js';

const options = (secret: string) => ({
  url: 'http://127.0.0.1:9/hooks',
  secret,
  timeoutMs: 1_000,
  retryDelaysMs: [1_000],
  cursor: memoryCursor(),
  feed: () => EMPTY,
  startPosition: () => 0,
});

describe('startOutboundWebhooks: the signing secret', () => {
  it.each([['whsec_abc'], ['not-a-whsec-secret'], ['whsec_QUJD=x']])(
    'refuses %s with InvalidArgumentError, quoting none of it',
    (secret) => {
      const error = (() => {
        try {
          startOutboundWebhooks(options(secret));
        } catch (caught) {
          return caught;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect((error as Error).message).toMatch(/^secret: not whsec_ followed by base64/);
      expect((error as Error).message).not.toContain(secret);
    },
  );

  it('starts with a valid secret, and closes', async () => {
    const started = startOutboundWebhooks(options('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'));
    expect(started.delivered).toBe(0);
    await started.close();
  });
});
