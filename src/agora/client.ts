// The Agora cloud recording REST client: one method per call, each answering with the typed
// outcome the core takes, plus the raw status and body the event log keeps.
import { type Clock, systemClock } from '../clock/index.js';
import { ConfigurationError } from '../errors/index.js';
import {
  type CallFailure,
  type CallOutcome,
  classifyCall,
  classifyQuery,
  parseAcquireResponse,
  parseStartResponse,
  type QueryOutcome,
  type RecordingMode,
} from '../signals/index.js';
import {
  AGORA_DOMAINS,
  DEFAULT_MAX_ANSWER_BYTES,
  DOMAIN_RETRY_DELAYS_MS,
  type RawResponse,
  type RefusedAnswer,
  send,
  type TransportOptions,
  type TransportRequest,
} from './transport.js';

/** How to reach Agora. The customer secret is only ever put in the Authorization header. */
export interface AgoraClientOptions {
  readonly appId: string;
  readonly customerId: string;
  readonly customerSecret: string;
  /** A base URL, or [primary, fallback]. Default `['https://api.sd-rtn.com', 'https://api.agora.io']`. */
  readonly baseUrl?: string | readonly [string, string];
  /** A call with no response after this long is a transport error (counted as a 50x). Default 10 000 ms. */
  readonly timeoutMs?: number;
  /** Waits between attempts after no response (same domain once, then the other). Default 1, 3, 6 s. */
  readonly retryDelaysMs?: readonly number[];
  /** Time for timeouts and waits. Default the system clock. */
  readonly clock?: Clock;
  /** The fetch to use. Default the global one. */
  readonly fetch?: typeof globalThis.fetch;
  /**
   * An answer longer than this (bytes) is not read: the call ends with no answer
   * (`failure: 'tooLarge'`, counted as a 50x) and its body is a small `RefusedAnswer` marker, so
   * nothing huge is held or logged. Default 1 048 576 (1 MiB).
   */
  readonly maxAnswerBytes?: number;
}

/** A call's answer: what the log keeps (`httpStatus`, `body`) and what it means (`outcome`). */
export interface AgoraAnswer<O> {
  /** null when no response came. */
  readonly httpStatus: number | null;
  /**
   * The parsed JSON body (its text when not JSON), null when none; a `RefusedAnswer` when the
   * answer was refused (a redirect, or longer than `maxAnswerBytes`).
   */
  readonly body: unknown;
  readonly outcome: O;
  /**
   * Why there is no answer, when there is none: no response (`timeout`, `connection`,
   * `aborted`), or one refused (`redirect`: never followed, whatever its target; `tooLarge`).
   */
  readonly failure?: RawResponse['failure'];
}

/** Which session a call is about. */
export interface SessionRef {
  readonly resourceId: string;
  readonly sid: string;
  readonly mode: RecordingMode;
  readonly cname: string;
  readonly uid: string;
}

/** Per call: an abort signal (the call then ends with no response), a check before each retry. */
export interface CallOptions {
  readonly signal?: AbortSignal;
  /**
   * Asked right before each attempt after the first (a retry after no response): false, or a
   * rejection, ends the call with the failure it had, and nothing more is sent. The supervisor
   * checks the recording's lease there, so an owner that lost it while it waited sends nothing.
   */
  readonly beforeRetry?: () => Promise<boolean>;
  /**
   * Told when the call begins (true) and ends (false) its wait on the client's clock before a
   * retry (`retryDelaysMs`), during which it sends nothing.
   */
  readonly onRetryWait?: (waiting: boolean) => void;
}

/** The REST client of `createAgoraClient`. */
export interface AgoraClient {
  /** `POST acquire`: a resource id for one start, valid 5 minutes. */
  acquire(
    request: { cname: string; uid: string; clientRequest?: object },
    options?: CallOptions,
  ): Promise<AgoraAnswer<CallOutcome> & { readonly resourceId?: string }>;
  /** `POST start`: `sid` is set when the session started. */
  start(
    request: {
      resourceId: string;
      mode: RecordingMode;
      cname: string;
      uid: string;
      clientRequest: object;
    },
    options?: CallOptions,
  ): Promise<AgoraAnswer<CallOutcome> & { readonly sid?: string }>;
  /** `GET query`: alive with a status, or why not. */
  query(session: SessionRef, options?: CallOptions): Promise<AgoraAnswer<QueryOutcome>>;
  /** `POST update`. */
  update(
    session: SessionRef,
    clientRequest: object,
    options?: CallOptions,
  ): Promise<AgoraAnswer<CallOutcome>>;
  /** `POST updateLayout`. */
  updateLayout(
    session: SessionRef,
    clientRequest: object,
    options?: CallOptions,
  ): Promise<AgoraAnswer<CallOutcome>>;
  /** `POST stop`. */
  stop(
    session: SessionRef,
    clientRequest?: object,
    options?: CallOptions,
  ): Promise<AgoraAnswer<CallOutcome>>;
}

/**
 * A REST client for Agora cloud recording. Never throws for what Agora or the network does: every
 * answer is an outcome (`classifyCall`/`classifyQuery`), with no response counted as a 50x.
 * A redirect is never followed and an answer is read to `maxAnswerBytes` at most: either ends the
 * call with no answer (`failure` says which), so only Agora's own, bounded answer is ever acted on.
 * @throws ConfigurationError when a credential is missing, or the timeout or `maxAnswerBytes` is
 *   not a positive number.
 * @example
 * const agora = createAgoraClient({ appId, customerId, customerSecret });
 * const { outcome } = await agora.query({ resourceId, sid, mode: 'mix', cname: 'room1', uid: '1001' });
 * if (outcome.kind === 'alive') console.log(outcome.status);
 */
export function createAgoraClient(options: AgoraClientOptions): AgoraClient {
  for (const key of ['appId', 'customerId', 'customerSecret'] as const) {
    if (typeof options[key] !== 'string' || options[key] === '') {
      throw new ConfigurationError(`agora.${key} is required (a non-empty string)`);
    }
  }
  const timeoutMs = options.timeoutMs ?? 10_000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new ConfigurationError(`agora.timeoutMs must be a number of ms > 0, not ${timeoutMs}`);
  }
  const maxAnswerBytes = options.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES;
  if (!Number.isSafeInteger(maxAnswerBytes) || maxAnswerBytes < 1) {
    throw new ConfigurationError(
      `agora.maxAnswerBytes must be a positive whole number of bytes, not ${maxAnswerBytes}`,
    );
  }
  const baseUrls = readBaseUrls(options.baseUrl);
  const transport: TransportOptions = {
    baseUrls,
    authorization: `Basic ${Buffer.from(`${options.customerId}:${options.customerSecret}`).toString('base64')}`,
    timeoutMs,
    retryDelaysMs: options.retryDelaysMs ?? DOMAIN_RETRY_DELAYS_MS,
    clock: options.clock ?? systemClock(),
    fetch: options.fetch ?? globalThis.fetch,
    maxAnswerBytes,
  };
  const root = `/v1/apps/${encodeURIComponent(options.appId)}/cloud_recording`;
  const sessionPath = (s: SessionRef, action: string) =>
    `${root}/resourceid/${encodeURIComponent(s.resourceId)}/sid/${encodeURIComponent(s.sid)}/mode/${encodeURIComponent(s.mode)}/${action}`;
  const post = (
    path: string,
    body: unknown,
    call: CallOptions | undefined,
    retryAfterTimeout = true,
  ) => send(transport, { method: 'POST', path, body, retryAfterTimeout, ...perCall(call) });

  return {
    async acquire(request, call) {
      const body = {
        cname: request.cname,
        uid: request.uid,
        clientRequest: request.clientRequest ?? {},
      };
      const raw = await post(`${root}/acquire`, body, call);
      const answer = callAnswer(raw);
      if (answer.outcome.kind !== 'ok') return answer;
      const parsed = parseAcquireResponse(raw.body);
      return parsed.ok ? { ...answer, resourceId: parsed.value.resourceId } : unreadable(raw);
    },
    async start(request, call) {
      const path = `${root}/resourceid/${encodeURIComponent(request.resourceId)}/mode/${encodeURIComponent(request.mode)}/start`;
      const body = { cname: request.cname, uid: request.uid, clientRequest: request.clientRequest };
      // A timed-out start may have started a recording: never sent twice blindly.
      const raw = await post(path, body, call, false);
      const answer = callAnswer(raw);
      if (answer.outcome.kind !== 'ok') return answer;
      const parsed = parseStartResponse(raw.body);
      return parsed.ok ? { ...answer, sid: parsed.value.sid } : unreadable(raw);
    },
    async query(session, call) {
      const raw = await send(transport, {
        method: 'GET',
        path: sessionPath(session, 'query'),
        retryAfterTimeout: true,
        ...perCall(call),
      });
      return {
        ...rawOf(raw),
        outcome: refusedOutcome(raw) ?? classifyQuery(raw.httpStatus, raw.body),
      };
    },
    async update(session, clientRequest, call) {
      return callAnswer(
        await post(sessionPath(session, 'update'), sessionBody(session, clientRequest), call),
      );
    },
    async updateLayout(session, clientRequest, call) {
      return callAnswer(
        await post(sessionPath(session, 'updateLayout'), sessionBody(session, clientRequest), call),
      );
    },
    async stop(session, clientRequest, call) {
      return callAnswer(
        await post(sessionPath(session, 'stop'), sessionBody(session, clientRequest ?? {}), call),
      );
    },
  };
}

function readBaseUrls(baseUrl: AgoraClientOptions['baseUrl']): readonly string[] {
  const urls =
    baseUrl === undefined ? AGORA_DOMAINS : typeof baseUrl === 'string' ? [baseUrl] : baseUrl;
  if (urls.length === 0 || urls.length > 2) {
    throw new ConfigurationError('agora.baseUrl must be a URL or [primary, fallback]');
  }
  for (const url of urls) {
    if (typeof url !== 'string' || !/^https?:\/\/[^/]/.test(url)) {
      // The value is not echoed: a mistyped URL can carry credentials (user:secret@host).
      throw new ConfigurationError(
        `agora.baseUrl must be an http(s) URL (got ${typeof url === 'string' ? 'a string that is not one' : typeof url})`,
      );
    }
  }
  return urls;
}

function sessionBody(session: SessionRef, clientRequest: object): object {
  return { cname: session.cname, uid: session.uid, clientRequest };
}

// What the transport takes of a call's options: its abort signal, its check before a retry, and
// who is told of its waits before one.
function perCall(
  call: CallOptions | undefined,
): Pick<TransportRequest, 'signal' | 'beforeRetry' | 'onRetryWait'> {
  return {
    ...(call?.signal !== undefined && { signal: call.signal }),
    ...(call?.beforeRetry !== undefined && { beforeRetry: call.beforeRetry }),
    ...(call?.onRetryWait !== undefined && { onRetryWait: call.onRetryWait }),
  };
}

function rawOf(raw: RawResponse): Omit<AgoraAnswer<never>, 'outcome'> {
  return {
    httpStatus: raw.httpStatus,
    body: raw.body,
    ...(raw.failure === undefined ? {} : { failure: raw.failure }),
  };
}

function callAnswer(raw: RawResponse): AgoraAnswer<CallOutcome> {
  return { ...rawOf(raw), outcome: refusedOutcome(raw) ?? classifyCall(raw.httpStatus, raw.body) };
}

// What the log replays for it is the same kind (no status: a 50x); the reason says why.
function refusedOutcome(raw: RawResponse): CallFailure | undefined {
  if (raw.failure !== 'redirect' && raw.failure !== 'tooLarge') return undefined;
  const refused = raw.body as RefusedAnswer;
  const reason =
    refused.refused === 'redirect'
      ? `redirect not followed (${refused.httpStatus} to ${refused.location ?? 'no location'})`
      : `answer not read: over ${refused.limitBytes} bytes (${refused.httpStatus})`;
  return { kind: 'serverError', httpStatus: null, reason };
}

// A 200 whose body lacks what it must hold: the call's result is unknown, as with a 50x.
function unreadable(raw: RawResponse): AgoraAnswer<CallOutcome> {
  return {
    httpStatus: null,
    body: raw.body,
    outcome: { kind: 'serverError', httpStatus: null, reason: 'unreadable 200 response' },
  };
}
