// Agora's notifications, received: raw body under a size cap, signatures checked on the raw
// bytes, and 200 only once the input is durable, so Agora resends whatever a dying host missed.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ConfigurationError } from '../errors/index.js';
import { type HeaderSource, verifySignature } from '../signals/index.js';

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
}

/** A webhook endpoint for any HTTP server: Node's `(req, res)` and the web-standard `fetch`. */
export interface WebhookHandler {
  /** For `http.createServer`, Express and Fastify (`reply.hijack()`), or any Node-style router. */
  readonly node: (request: IncomingMessage, response: ServerResponse) => void;
  /** For Hono, Next.js, Bun, Deno: a web-standard Request in, a Response out. */
  readonly fetch: (request: Request) => Promise<Response>;
}

interface Reply {
  readonly status: number;
  readonly body: string;
}

const OK: Reply = { status: 200, body: '{}' };
const TOO_LARGE: Reply = { status: 413, body: '{"error":"body too large"}' };
const BODY_ALREADY_READ: Reply = {
  status: 500,
  body: '{"error":"the body was read before recwatch: mount the webhook handler before any body parser"}',
};

/** The console's health check sends events for this channel name; they must get 200. */
export const TEST_WEBHOOK_CNAME = 'test_webhook';

/**
 * The webhook endpoint of a supervisor. Answers 200 `{}` once the notification is durably in the
 * log; 401 for a missing or wrong signature (when a secret is set: nothing appended); 413 for a
 * body over the cap; 400 for a body that is not a notification (kept in the log as a reject);
 * 405 for a method other than POST; 503 when the log cannot take it (Agora will resend).
 * @throws ConfigurationError when `receiver` is not a supervisor (a Promise of one included), the
 *   secret is missing without `unsigned: true`, or `maxBodyBytes` is not a positive whole number.
 * @example
 * const webhook = createWebhookHandler(supervisor, { secret: process.env.AGORA_NCS_SECRET });
 * http.createServer(webhook.node).listen(3000);
 */
export function createWebhookHandler(
  receiver: WebhookReceiver,
  options: WebhookHandlerOptions = {},
): WebhookHandler {
  checkReceiver(receiver);
  const maxBodyBytes = options.maxBodyBytes ?? 65_536;
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes < 1) {
    throw new ConfigurationError(
      `maxBodyBytes must be a positive whole number of bytes, not ${maxBodyBytes}`,
    );
  }
  const secret = options.secret === '' ? undefined : options.secret;
  if (secret !== undefined && typeof secret !== 'string') {
    throw new ConfigurationError('the webhook secret must be a string');
  }
  if (secret === undefined && options.unsigned !== true) {
    throw new ConfigurationError(
      'createWebhookHandler needs the notification secret ({ secret }); pass { unsigned: true } to accept unsigned notifications',
    );
  }
  const answer = (raw: Uint8Array, headers: HeaderSource) =>
    answerBody(receiver, secret, raw, headers);

  return {
    node(request, response) {
      const send = (reply: Reply) => {
        if (response.headersSent) return;
        response.writeHead(reply.status, { 'content-type': 'application/json' });
        response.end(reply.body);
      };
      if (request.method !== 'POST') return send({ status: 405, body: '{"error":"POST only"}' });
      // A body parser (express.json()) got there first: the raw bytes are gone, and waiting for
      // them would leave Agora without an answer. Say so, loudly (docs/webhooks.md).
      if (request.readableEnded || (request as { body?: unknown }).body !== undefined)
        return send(BODY_ALREADY_READ);
      if (declaredLength(request.headers['content-length']) > maxBodyBytes)
        return refuse(request, response, send);
      const chunks: Buffer[] = [];
      let size = 0;
      let refused = false;
      request.on('data', (chunk: Buffer) => {
        if (refused) return;
        size += chunk.length;
        if (size > maxBodyBytes) {
          refused = true;
          refuse(request, response, send);
          return;
        }
        chunks.push(chunk);
      });
      request.on('end', () => {
        if (refused) return;
        answer(Buffer.concat(chunks), request.headers).then(send, () => send(UNAVAILABLE));
      });
      request.on('error', () => send(ABORTED));
    },
    async fetch(request) {
      const reply = await fetchReply(request, maxBodyBytes, answer);
      return new Response(reply.body, {
        status: reply.status,
        headers: { 'content-type': 'application/json' },
      });
    },
  };
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

async function fetchReply(
  request: Request,
  maxBodyBytes: number,
  answer: (raw: Uint8Array, headers: HeaderSource) => Promise<Reply>,
): Promise<Reply> {
  if (request.method !== 'POST') return { status: 405, body: '{"error":"POST only"}' };
  // Hono's c.req.json() or a middleware read it first: the same answer as the Node face.
  if (request.bodyUsed) return BODY_ALREADY_READ;
  if (declaredLength(request.headers.get('content-length') ?? undefined) > maxBodyBytes) {
    await request.body?.cancel().catch(() => {});
    return TOO_LARGE;
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body?.getReader();
  if (reader !== undefined) {
    for (;;) {
      // A client that goes away mid-body is answered as the Node face answers it.
      const next = await reader.read().catch(() => undefined);
      if (next === undefined) return ABORTED;
      const { done, value } = next;
      if (done) break;
      size += value.byteLength;
      if (size > maxBodyBytes) {
        await reader.cancel().catch(() => {});
        return TOO_LARGE;
      }
      chunks.push(value);
    }
  }
  try {
    return await answer(Buffer.concat(chunks), request.headers);
  } catch {
    return UNAVAILABLE;
  }
}

// Answers at once and stops reading: the rest of the body is never buffered.
function refuse(
  request: IncomingMessage,
  response: ServerResponse,
  send: (reply: Reply) => void,
): void {
  response.setHeader('connection', 'close');
  send(TOO_LARGE);
  response.on('finish', () => request.destroy());
}

function declaredLength(header: string | undefined): number {
  const length = header === undefined ? Number.NaN : Number(header);
  return Number.isFinite(length) ? length : 0;
}

async function answerBody(
  receiver: WebhookReceiver,
  secret: string | undefined,
  raw: Uint8Array,
  headers: HeaderSource,
): Promise<Reply> {
  if (secret !== undefined) {
    const check = verifySignature(raw, headers, secret);
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
