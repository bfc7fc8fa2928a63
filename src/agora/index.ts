export type {
  AgoraAnswer,
  AgoraClient,
  AgoraClientOptions,
  CallOptions,
  SessionRef,
} from './client.js';
export { createAgoraClient } from './client.js';
export type { CallFailureReason, RawResponse, RefusedAnswer } from './transport.js';
export {
  AGORA_DOMAINS,
  DEFAULT_MAX_ANSWER_BYTES,
  DOMAIN_RETRY_DELAYS_MS,
} from './transport.js';
export type {
  WebhookHandler,
  WebhookHandlerOptions,
  WebhookReceiver,
  WebhookVerdict,
} from './webhook.js';
export { createWebhookHandler, TEST_WEBHOOK_CNAME } from './webhook.js';
