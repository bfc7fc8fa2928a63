// Agora's notifications, received: raw body under a size cap, signatures checked on the raw
// bytes, and 200 only once the input is durable, so Agora resends whatever a dying host missed.
// Before the signature is checked, little is held: a few bodies at a time, each for a short time.
import type { Server as HttpServer, IncomingMessage, ServerResponse } from 'node:http';
import { type Clock, type ClockTimer, systemClock } from '../clock/index.js';
import { ConfigurationError } from '../errors/index.js';
import { type HeaderSource, type SignatureCheck, signatureVerifier } from '../signals/index.js';
import { guardHeaderTime } from './header-deadline.js';

/** What receiving a webhook body did: kept as an input, or kept as a reject (not a notification). */
export type WebhookVerdict = 'accepted' | 'rejected';

/** Where webhook bodies go: the supervisor (which appends them to its log before answering). */
export interface WebhookReceiver {
  /** Appends the body (parsed JSON, or the text when it is not JSON) durably, then acts on it. */
  receiveWebhook(body: unknown): Promise<WebhookVerdict>;
}

/** Options of `createWebhookHandler`. */
export interface WebhookHandlerOptions {
  /**
   * The secret of Agora's notification service: when set, `Agora-Signature-V2` (or the older
   * `Agora-Signature`) must match the raw body, otherwise 401 and nothing is appended.
   */
  readonly secret?: string;
  /**
   * Accept notifications without checking a signature, when no `secret` is given: only for tests,
   * or behind something that already authenticates Agora. Without it, a missing secret is a
   * `ConfigurationError` (an unset environment variable must not open the endpoint to anyone).
   */
  readonly unsigned?: boolean;
  /** Larger bodies get 413 before they are read to the end. Default 65 536 bytes. */
  readonly maxBodyBytes?: number;
  /**
   * A body not received in full this long (ms) after its request's headers gets 408 and its
   * connection is closed; nothing is appended. Default 10 000 (Agora's bodies are a few KB).
   */
  readonly bodyTimeoutMs?: number;
  /**
   * At most this many bodies are read at once before their signature is checked; another gets
   * 503 with `Retry-After: 1` (Agora sends it again) and is not read. Default 64, so unchecked
   * bodies hold at most `maxPendingBodies × maxBodyBytes` (4 MiB by default).
   */
  readonly maxPendingBodies?: number;
  /**
   * What `guard(server)` allows a connection to complete a request's headers, ms (from connecting,
   * or from its last answer). Default 10 000.
   */
  readonly headersTimeoutMs?: number;
  /** Time for the body and header deadlines. Default the system clock. */
  readonly clock?: Clock;
}

/** A webhook endpoint for any HTTP server: Node's `(req, res)` and the web-standard `fetch`. */
export interface WebhookHandler {
  /** For `http.createServer`, Express and Fastify (`reply.hijack()`), or any Node-style router. */
  readonly node: (request: IncomingMessage, response: ServerResponse) => void;
  /** For Hono, Next.js, Bun, Deno: a web-standard Request in, a Response out. */
  readonly fetch: (request: Request) => Promise<Response>;
  /**
   * Cuts the connections of a Node server (`http.createServer`, Express's `app.listen()`,
   * `fastify.server`) that do not complete a request's headers within `headersTimeoutMs`: the
   * handler never sees those, the server must (slowloris). Returns a function that stops it. Not
   * for a server that also upgrades connections (WebSocket): use Node's `headersTimeout` there.
   */
  guard(server: HttpServer): () => void;
}

interface Reply {
  readonly status: number;
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
}

const OK: Reply = { status: 200, body: '{}' };
const TOO_LARGE: Reply = { status: 413, body: '{"error":"body too large"}' };
const TOO_SLOW: Reply = { status: 408, body: '{"error":"body not received in time"}' };
const BUSY: Reply = {
  status: 503,
  body: '{"error":"too many bodies being received; retry"}',
  headers: { 'retry-after': '1' },
};
const BODY_ALREADY_READ: Reply = {
  status: 500,
  body: '{"error":"the body was read before recwatch: mount the webhook handler before any body parser"}',
};

/** The console's health check sends events for this channel name; they must get 200. */
export const TEST_WEBHOOK_CNAME = 'test_webhook';

/**
 * The webhook endpoint of a supervisor. Answers 200 `{}` once the notification is durably in the
 * log; 401 for a missing or wrong signature (when a secret is set: nothing appended); 413 for a
 * body over the cap; 408 for a body not received within `bodyTimeoutMs`; 400 for a body that is
 * not a notification (kept in the log as a reject); 405 for a method other than POST; 503 when
 * the log cannot take it, or `maxPendingBodies` bodies are already being read (Agora resends).
 * @throws ConfigurationError when `receiver` is not a supervisor (a Promise of one included), the
 *   secret is missing without `unsigned: true`, or a size, count or time is not a positive whole
 *   number.
 * @example
 * const webhook = createWebhookHandler(supervisor, { secret: process.env.AGORA_NCS_SECRET });
 * const server = http.createServer(webhook.node);
 * webhook.guard(server); // slow headers cut after 10 s
 * server.listen(3000);
 */
export function createWebhookHandler(
  receiver: WebhookReceiver,
  options: WebhookHandlerOptions = {},
): WebhookHandler {
  checkReceiver(receiver);
  const maxBodyBytes = positive(options.maxBodyBytes ?? 65_536, 'maxBodyBytes', 'bytes');
  const bodyTimeoutMs = positive(options.bodyTimeoutMs ?? 10_000, 'bodyTimeoutMs', 'ms');
  const headersTimeoutMs = positive(options.headersTimeoutMs ?? 10_000, 'headersTimeoutMs', 'ms');
  const maxPending = positive(options.maxPendingBodies ?? 64, 'maxPendingBodies', 'bodies');
  const clock = options.clock ?? systemClock();
  let pending = 0;
  // A slot for one body being read; its release runs once, whichever way the read ends.
  const admit = (): (() => void) | null => {
    if (pending >= maxPending) return null;
    pending += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      pending -= 1;
    };
  };
  const secret = options.secret === '' ? undefined : options.secret;
  if (secret !== undefined && typeof secret !== 'string') {
    throw new ConfigurationError('the webhook secret must be a string');
  }
  if (secret === undefined && options.unsigned !== true) {
    throw new ConfigurationError(
      'createWebhookHandler needs the notification secret ({ secret }); pass { unsigned: true } to accept unsigned notifications',
    );
  }
  const verify = secret === undefined ? undefined : signatureVerifier(secret);
  const answer = (raw: Uint8Array, headers: HeaderSource) =>
    answerBody(receiver, verify, raw, headers);

  return {
    node(request, response) {
      const send = (reply: Reply) => {
        if (response.headersSent) return;
        response.writeHead(reply.status, headersOf(reply));
        response.end(reply.body);
      };
      if (request.method !== 'POST') return send({ status: 405, body: '{"error":"POST only"}' });
      // A body parser (express.json()) got there first: the raw bytes are gone, and waiting for
      // them would leave Agora without an answer. Say so, loudly (docs/webhooks.md).
      if (request.readableEnded || (request as { body?: unknown }).body !== undefined)
        return send(BODY_ALREADY_READ);
      if (declaredLength(request.headers['content-length']) > maxBodyBytes)
        return refuse(request, response, send, TOO_LARGE);
      const release = admit();
      if (release === null) return refuse(request, response, send, BUSY);
      const chunks: Buffer[] = [];
      let size = 0;
      let done = false;
      // True the first time only: the read ended (body in full, refused, cut or gone).
      const finish = () => {
        if (done) return false;
        done = true;
        release();
        clock.clearTimeout(deadline);
        return true;
      };
      const deadline = clock.setTimeout(() => {
        if (finish()) refuse(request, response, send, TOO_SLOW);
      }, bodyTimeoutMs);
      request.on('data', (chunk: Buffer) => {
        if (done) return;
        size += chunk.length;
        if (size > maxBodyBytes) {
          finish();
          refuse(request, response, send, TOO_LARGE);
          return;
        }
        chunks.push(chunk);
      });
      request.on('end', () => {
        if (!finish()) return;
        // One chunk (a body of a few KB) is read as it came: Node gave it a buffer of its own.
        const raw = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
        answer(raw, request.headers).then(send, () => send(UNAVAILABLE));
      });
      request.on('error', () => {
        if (finish()) send(ABORTED);
      });
      request.on('close', finish);
    },
    async fetch(request) {
      const reply = await fetchReply(
        request,
        { maxBodyBytes, bodyTimeoutMs, clock, admit },
        answer,
      );
      return new Response(reply.body, {
        status: reply.status,
        headers: { 'content-type': 'application/json', ...reply.headers },
      });
    },
    guard: (server) => guardHeaderTime(server, { headersTimeoutMs, clock }),
  };
}

const JSON_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': 'application/json',
});

// The headers of a reply: one shared object for the many that add none.
function headersOf(reply: Reply): Readonly<Record<string, string>> {
  return reply.headers === undefined ? JSON_HEADERS : { ...JSON_HEADERS, ...reply.headers };
}

function positive(value: number, name: string, unit: string): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new ConfigurationError(
      `${name} must be a positive whole number of ${unit}, not ${value}`,
    );
  }
  return value;
}

/** Refuses at setup what would fail on Agora's first notification (a forgotten `await` above all). */
function checkReceiver(receiver: unknown): asserts receiver is WebhookReceiver {
  const candidate = receiver as { receiveWebhook?: unknown; then?: unknown } | null | undefined;
  if (typeof candidate?.receiveWebhook === 'function') return;
  throw new ConfigurationError(
    typeof candidate?.then === 'function'
      ? 'createWebhookHandler was given a Promise: await createSupervisor(...) first'
      : 'createWebhookHandler needs the supervisor (an object with receiveWebhook) as its first argument',
  );
}

const ABORTED: Reply = { status: 400, body: '{"error":"request aborted"}' };
const UNAVAILABLE: Reply = { status: 503, body: '{"error":"cannot store the notification now"}' };

/** What the fetch face reads a body under. */
interface BodyLimits {
  readonly maxBodyBytes: number;
  readonly bodyTimeoutMs: number;
  readonly clock: Clock;
  readonly admit: () => (() => void) | null;
}

async function fetchReply(
  request: Request,
  limits: BodyLimits,
  answer: (raw: Uint8Array, headers: HeaderSource) => Promise<Reply>,
): Promise<Reply> {
  if (request.method !== 'POST') return { status: 405, body: '{"error":"POST only"}' };
  // Hono's c.req.json() or a middleware read it first: the same answer as the Node face.
  if (request.bodyUsed) return BODY_ALREADY_READ;
  if (declaredLength(request.headers.get('content-length') ?? undefined) > limits.maxBodyBytes) {
    await request.body?.cancel().catch(() => {});
    return TOO_LARGE;
  }
  const release = limits.admit();
  if (release === null) {
    await request.body?.cancel().catch(() => {});
    return BUSY;
  }
  let read: Uint8Array | Reply;
  try {
    read = await readBody(request, limits);
  } finally {
    release();
  }
  if (!(read instanceof Uint8Array)) return read;
  try {
    return await answer(read, request.headers);
  } catch {
    return UNAVAILABLE;
  }
}

// The body's bytes, or the reply that ends its read: too large, too slow, or broken off.
async function readBody(request: Request, limits: BodyLimits): Promise<Uint8Array | Reply> {
  const reader = request.body?.getReader();
  if (reader === undefined) return new Uint8Array(0);
  let timer: ClockTimer | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = limits.clock.setTimeout(() => resolve('late'), limits.bodyTimeoutMs);
  });
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      // A client that goes away mid-body is answered as the Node face answers it.
      const next = await Promise.race([reader.read().catch(() => undefined), late]);
      if (next === 'late') {
        void reader.cancel().catch(() => {});
        return TOO_SLOW;
      }
      if (next === undefined) return ABORTED;
      const { done, value } = next;
      if (done) return Buffer.concat(chunks);
      size += value.byteLength;
      if (size > limits.maxBodyBytes) {
        await reader.cancel().catch(() => {});
        return TOO_LARGE;
      }
      chunks.push(value);
    }
  } finally {
    if (timer !== undefined) limits.clock.clearTimeout(timer);
  }
}

// Answers at once and stops reading: the rest of the body is never buffered.
function refuse(
  request: IncomingMessage,
  response: ServerResponse,
  send: (reply: Reply) => void,
  reply: Reply,
): void {
  if (!response.headersSent) response.setHeader('connection', 'close');
  send(reply);
  response.on('finish', () => request.destroy());
}

function declaredLength(header: string | undefined): number {
  const length = header === undefined ? Number.NaN : Number(header);
  return Number.isFinite(length) ? length : 0;
}

async function answerBody(
  receiver: WebhookReceiver,
  verify: ((raw: Uint8Array, headers: HeaderSource) => SignatureCheck) | undefined,
  raw: Uint8Array,
  headers: HeaderSource,
): Promise<Reply> {
  if (verify !== undefined) {
    const check = verify(raw, headers);
    if (!check.ok) return { status: 401, body: `{"error":"signature ${check.reason}"}` };
  }
  const text = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8');
  const body = parseJson(text);
  if (body === undefined) {
    // Kept as a reject, so what was received is never lost; Agora is told it was malformed.
    await receiver.receiveWebhook(text);
    return { status: 400, body: '{"error":"body is not JSON"}' };
  }
  const verdict = await receiver.receiveWebhook(body);
  if (verdict === 'accepted' || isTestEvent(body)) return OK;
  return { status: 400, body: '{"error":"not a cloud recording notification"}' };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isTestEvent(body: unknown): boolean {
  if (body === null || typeof body !== 'object' || !('payload' in body)) return false;
  const payload = body.payload;
  return (
    payload !== null &&
    typeof payload === 'object' &&
    'cname' in payload &&
    payload.cname === TEST_WEBHOOK_CNAME
  );
}
