// `recwatch/serve`: the standalone service and its parts, for hosts that embed it.
export type { Access, ApiTokens } from './auth.js';
export type { ClientRequestSettings } from './client-request.js';
export { clientRequestFactory, tokenFor } from './client-request.js';
export type { ConfigSources, ServeConfig } from './config.js';
export { CONFIG_ENV, loadConfig, SECRET_ENV, ServeConfigSchema } from './config.js';
export type { FeedSource, PositionedEvent } from './event-feed.js';
export { eventFeed, RecentEvents } from './event-feed.js';
export { createServeLogger, REDACTED_PATHS } from './logger.js';
export type { ServeMetrics } from './metrics.js';
export { createServeMetrics } from './metrics.js';
export type {
  DeliveryCursor,
  OutboundBody,
  OutboundOptions,
  OutboundWebhooks,
} from './outbound.js';
export { fileCursor, memoryCursor, startOutboundWebhooks } from './outbound.js';
export type { Problem, ProblemKind } from './problem.js';
export { PROBLEM_MEDIA_TYPE, PROBLEMS, problem } from './problem.js';
export type { RecwatchServer, ServeLogger, ServerOptions } from './server.js';
export { createServer, openapiDocument } from './server.js';
export type { RunningService, ServiceLogger } from './service.js';
export { startService } from './service.js';
