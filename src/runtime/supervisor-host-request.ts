// What a start logs when the host's own callback (acquireRequest, clientRequest) could not build
// the request: nothing was sent to Agora, and the kind of failure decides what the core does.

/**
 * The startFailed answer logged for a request the host could not build. A callback that throws
 * is a transport failure (its token service or vault unreachable, say): logged as no response,
 * so the core retries the start with backoff (rule 7) and nothing about the recording is decided.
 * One that returns something other than an object is a mistake in the host's code: logged as a
 * 400, so the recording fails with reason configuration instead of retrying for ever.
 * @example new HostRequestFailure('clientRequest', 'threw').httpStatus // null
 */
export class HostRequestFailure {
  readonly httpStatus: number | null;
  readonly body: { readonly message: string };

  constructor(which: 'acquireRequest' | 'clientRequest', how: 'threw' | 'returned') {
    this.httpStatus = how === 'threw' ? null : 400;
    this.body = {
      message:
        how === 'threw'
          ? `the host's ${which} threw (not sent to Agora; retried)`
          : `the host's ${which} returned no object (not sent to Agora)`,
    };
  }
}
