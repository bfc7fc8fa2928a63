// One HTTP exchange with Agora's REST API: native fetch, Basic auth, a timeout on the clock, and
// the dual-domain fallback of Agora's best practice. Never throws: no response is `httpStatus: null`.
import type { Clock } from '../clock/index.js';

/** The two documented domains: the current one first, the older one as the fallback. */
export const AGORA_DOMAINS: readonly [string, string] = [
  'https://api.sd-rtn.com',
  'https://api.agora.io',
];

/** Waits between attempts after no response: retry the same domain, then the other (1, 3, 6 s). */
export const DOMAIN_RETRY_DELAYS_MS: readonly number[] = [1_000, 3_000, 6_000];

/** What a call got back: the status and the parsed JSON body (text when not JSON), or no response. */
export interface RawResponse {
  /** null when no response came (refused before sending, connection lost, timeout, aborted). */
  readonly httpStatus: number | null;
  readonly body: unknown;
  /** Why there was no response, for a log line (never holds a credential). */
  readonly failure?: 'timeout' | 'connection' | 'refused' | 'aborted';
}

/** One request to send. */
export interface TransportRequest {
  readonly method: 'GET' | 'POST';
  /** The path under the base URL, starting with `/`. */
  readonly path: string;
  readonly body?: unknown;
  /**
   * May it be sent again when no answer came? A `start` that timed out, or whose connection was
   * reset after it was written, may have reached Agora, and sending it again could start a second
   * recording (rule 11): only a connection refused before anything was sent is tried again.
   */
  readonly retryAfterTimeout: boolean;
  readonly signal?: AbortSignal;
}

/** How the transport reaches Agora. */
export interface TransportOptions {
  /** [primary, fallback]; one URL means no fallback domain. */
  readonly baseUrls: readonly string[];
  readonly authorization: string;
  readonly timeoutMs: number;
  readonly retryDelaysMs: readonly number[];
  readonly clock: Clock;
  readonly fetch: typeof globalThis.fetch;
}

/** Sends a request with retries across domains; resolves with the first response of any status. */
export async function send(
  options: TransportOptions,
  request: TransportRequest,
): Promise<RawResponse> {
  const attempts = options.retryDelaysMs.length + 1;
  let last: RawResponse = { httpStatus: null, body: null, failure: 'connection' };
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    if (attempt > 0) {
      if (last.failure === 'aborted') return last;
      if (last.failure !== 'refused' && !request.retryAfterTimeout) return last;
      const waited = await wait(
        options.clock,
        options.retryDelaysMs[attempt - 1] ?? 0,
        request.signal,
      );
      if (!waited) return { httpStatus: null, body: null, failure: 'aborted' };
    }
    last = await sendOnce(options, domainFor(options.baseUrls, attempt), request);
    if (last.httpStatus !== null) return last;
  }
  return last;
}

// Attempts 0 and 1 go to the primary domain, later ones to the fallback (same domain once, then the other).
function domainFor(baseUrls: readonly string[], attempt: number): string {
  const index = attempt < 2 || baseUrls.length < 2 ? 0 : 1;
  return (baseUrls[index] ?? '').replace(/\/+$/, '');
}

async function sendOnce(
  options: TransportOptions,
  baseUrl: string,
  request: TransportRequest,
): Promise<RawResponse> {
  if (request.signal?.aborted === true) return { httpStatus: null, body: null, failure: 'aborted' };
  const controller = new AbortController();
  let timedOut = false;
  const timer = options.clock.setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, options.timeoutMs);
  const onAbort = () => controller.abort();
  request.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const response = await options.fetch(`${baseUrl}${request.path}`, {
      method: request.method,
      headers: {
        authorization: options.authorization,
        ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      signal: controller.signal,
    });
    const text = await response.text();
    return { httpStatus: response.status, body: parseBody(text) };
  } catch (error) {
    const failure = timedOut
      ? 'timeout'
      : isAborted(request.signal)
        ? 'aborted'
        : neverSent(error)
          ? 'refused'
          : 'connection';
    return { httpStatus: null, body: null, failure };
  } finally {
    options.clock.clearTimeout(timer);
    request.signal?.removeEventListener('abort', onAbort);
  }
}

/** Errors that mean the request never left: no connection was made, so nothing reached Agora. */
const NEVER_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

function neverSent(error: unknown): boolean {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  return typeof cause?.code === 'string' && NEVER_SENT.has(cause.code);
}

// A function, so TypeScript does not keep the narrowing from before the await.
function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

function parseBody(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Waits `ms` on the clock; false when the signal aborts first. */
export function wait(clock: Clock, ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted === true) return resolve(false);
    const onAbort = () => {
      clock.clearTimeout(timer);
      resolve(false);
    };
    const timer = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
