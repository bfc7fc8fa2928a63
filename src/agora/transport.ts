// One HTTP exchange with Agora's REST API: native fetch, Basic auth, a timeout on the clock, and
// the dual-domain fallback of Agora's best practice. Never throws: no response is `httpStatus: null`.
// Only Agora's own answer counts: a redirect is never followed, and an answer is read to a cap.
import type { Clock } from '../clock/index.js';

/** The two documented domains: the current one first, the older one as the fallback. */
export const AGORA_DOMAINS: readonly [string, string] = [
  'https://api.sd-rtn.com',
  'https://api.agora.io',
];

/** Waits between attempts after no response: retry the same domain, then the other (1, 3, 6 s). */
export const DOMAIN_RETRY_DELAYS_MS: readonly number[] = [1_000, 3_000, 6_000];

/** The most bytes of an answer read by default (1 MiB): Agora's answers are a few KB. */
export const DEFAULT_MAX_ANSWER_BYTES = 1_048_576;

/**
 * Why a call has no answer to act on: no response came (`timeout`, `connection`, `aborted`;
 * `refused`: no connection was made, so nothing was sent), or one came that recwatch refused to
 * read (`redirect`, `tooLarge`; see `RefusedAnswer`).
 */
export type CallFailureReason =
  | 'timeout'
  | 'connection'
  | 'refused'
  | 'aborted'
  | 'redirect'
  | 'tooLarge';

/**
 * What the log keeps in place of an answer recwatch refused to read: a few bytes that say why,
 * never the answer itself. `location` is the redirect's origin only (no path, no query), null
 * when it had none; `declaredBytes` is the answer's Content-Length, null when it declared none.
 * @example { refused: 'tooLarge', httpStatus: 200, limitBytes: 1048576, declaredBytes: null }
 */
export type RefusedAnswer =
  | { readonly refused: 'redirect'; readonly httpStatus: number; readonly location: string | null }
  | {
      readonly refused: 'tooLarge';
      readonly httpStatus: number;
      readonly limitBytes: number;
      readonly declaredBytes: number | null;
    };

/** What a call got back: the status and the parsed JSON body (text when not JSON), or no response. */
export interface RawResponse {
  /**
   * null when no answer can be acted on: none came (refused before sending, connection lost,
   * timeout, aborted), or recwatch refused the one that came (a redirect, or an answer over the
   * cap; `body` is then a `RefusedAnswer`). Either way the call's result is unknown, as with a 50x.
   */
  readonly httpStatus: number | null;
  readonly body: unknown;
  /** Why there is no answer, for a log line (never holds a credential). */
  readonly failure?: CallFailureReason;
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
  /**
   * Asked right before each attempt after the first: false (or a rejection) ends the call with
   * the failure it had, and nothing more is sent. How a caller whose right to call can lapse
   * while it waits (a recording's lease) checks it again.
   */
  readonly beforeRetry?: () => Promise<boolean>;
  /**
   * Told when the call begins (true) and ends (false) its wait on the clock before a retry: the
   * call sends nothing and awaits nothing else meanwhile (how `supervisor.settle()` tells a call
   * in progress from one that waits for the clock to move).
   */
  readonly onRetryWait?: (waiting: boolean) => void;
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
  /** An answer longer than this many bytes is not read (a `tooLarge` refusal). */
  readonly maxAnswerBytes: number;
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
      request.onRetryWait?.(true);
      const waited = await wait(
        options.clock,
        options.retryDelaysMs[attempt - 1] ?? 0,
        request.signal,
      ).finally(() => request.onRetryWait?.(false));
      if (!waited) return { httpStatus: null, body: null, failure: 'aborted' };
      if (!(await mayRetry(request))) return last;
    }
    last = await sendOnce(options, domainFor(options.baseUrls, attempt), request);
    // A refused answer came from a server: like any answer, it is not sent again.
    if (last.httpStatus !== null || isRefusal(last.failure)) return last;
  }
  return last;
}

// A check that cannot be made is a no: nothing is sent that the caller may not send.
async function mayRetry(request: TransportRequest): Promise<boolean> {
  if (request.beforeRetry === undefined) return true;
  try {
    return await request.beforeRetry();
  } catch {
    return false;
  }
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
    const url = `${baseUrl}${request.path}`;
    const response = await options.fetch(url, {
      method: request.method,
      headers: {
        authorization: options.authorization,
        ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      // The start body holds the RTC token and storage keys: it goes to Agora's address only.
      redirect: 'manual',
      signal: controller.signal,
    });
    const read = await readAnswer(response, url, options.maxAnswerBytes);
    if (typeof read !== 'string') {
      controller.abort();
      return { httpStatus: null, body: read, failure: read.refused };
    }
    return { httpStatus: response.status, body: parseBody(read) };
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

function isRefusal(failure: CallFailureReason | undefined): boolean {
  return failure === 'redirect' || failure === 'tooLarge';
}

/**
 * The answer's text, read to `limit` bytes at most; a `RefusedAnswer` for a redirect (a 3xx, or a
 * `fetch` that followed one anyway) or for an answer longer than `limit`.
 */
async function readAnswer(
  response: Response,
  url: string,
  limit: number,
): Promise<string | RefusedAnswer> {
  const httpStatus = response.status;
  if ((httpStatus >= 300 && httpStatus < 400) || response.redirected) {
    await response.body?.cancel().catch(() => {});
    return { refused: 'redirect', httpStatus, location: originOf(response, url) };
  }
  const header = response.headers.get('content-length');
  const declared = header === null || header.trim() === '' ? null : Number(header);
  const declaredBytes = declared !== null && Number.isSafeInteger(declared) ? declared : null;
  const tooLarge: RefusedAnswer = {
    refused: 'tooLarge',
    httpStatus,
    limitBytes: limit,
    declaredBytes,
  };
  if (declaredBytes !== null && declaredBytes > limit) {
    await response.body?.cancel().catch(() => {});
    return tooLarge;
  }
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return tooLarge;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

// Only the origin: a redirect's path or query may carry what is not ours to log.
function originOf(response: Response, url: string): string | null {
  const location = response.redirected ? response.url : response.headers.get('location');
  if (location === null || location === '') return null;
  try {
    const origin = new URL(location, url).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
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
