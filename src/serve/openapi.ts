// The OpenAPI 3.1 document: the recording routes describe themselves (api-routes.ts); this adds
// the routes that are not JSON-in/JSON-out (the event stream, Agora's webhook, health, metrics).
import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { ProblemSchema } from './api-schemas.js';
import { PROBLEM_MEDIA_TYPE } from './problem.js';

/** The document's header. */
export const OPENAPI_INFO = {
  openapi: '3.1.0',
  info: {
    title: 'recwatch serve',
    // The API's version (its paths are under /v1), not the package's.
    version: '1.0.0',
    description:
      'The host API of recwatch serve: start, stop, update and read Agora cloud recordings that recwatch supervises, and follow what happens to them (docs/service.md).',
    license: { name: 'MIT', identifier: 'MIT' },
  },
} as const;

const problem = (description: string) => ({
  description,
  content: { [PROBLEM_MEDIA_TYPE]: { schema: ProblemSchema } },
});

/** Registers the routes served without a zod route declaration, so the document has them all. */
export function documentRoutes(app: OpenAPIHono, webhookPath: string): void {
  const registry = app.openAPIRegistry;
  registry.registerPath({
    method: 'get',
    path: '/v1/events',
    summary: 'Domain events as server-sent events',
    description:
      'Each event is named by its type (started, adopted, failover, resumed, uncertain, quit, restarting, restarted, stopped, orphanStopped, failed, filesReported, configurationError); its data is the event as JSON with `recording`, `position` (log position) and `index`. The last event of each log position carries `id: <position>`: reconnect with Last-Event-ID (or ?after=) to get every event after it, replayed from the log. Without either, the stream starts now.',
    security: [{ bearer: [] }],
    request: {
      headers: z.object({
        'last-event-id': z
          .string()
          .regex(/^\d+$/)
          .optional()
          .openapi({ description: 'Resume after this log position.' }),
      }),
      query: z.object({
        after: z.string().regex(/^\d+$/).optional().openapi({
          description: 'Resume after this log position (when a header cannot be set).',
        }),
      }),
    },
    responses: {
      200: { description: 'The stream.', content: { 'text/event-stream': { schema: z.string() } } },
      400: problem('Last-Event-ID or after is not a log position.'),
      401: problem('No bearer token, or one that is not known.'),
    },
  });
  registry.registerPath({
    method: 'post',
    path: webhookPath,
    summary: "Agora's notification service posts here",
    description:
      'Signed by Agora (Agora-Signature-V2, or Agora-Signature) with the notification secret. Answered 200 `{}` once the notification is durably in the log; 401 for a bad signature; 400 for a body that is not a notification (kept in the log as a reject); 413 over the size cap; 503 when the log cannot take it (Agora resends).',
    request: { body: { content: { 'application/json': { schema: z.object({}).passthrough() } } } },
    responses: {
      200: {
        description: 'Durably logged.',
        content: { 'application/json': { schema: z.object({}) } },
      },
      400: { description: 'Not a notification.' },
      401: { description: 'Bad signature.' },
      413: { description: 'Too large.' },
      503: { description: 'Cannot be logged now.' },
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/healthz',
    summary: 'Alive: the process answers',
    responses: {
      200: {
        description: 'Alive.',
        content: { 'application/json': { schema: z.object({ alive: z.literal(true) }) } },
      },
    },
  });
  const Readiness = z
    .object({ ready: z.boolean(), checks: z.record(z.string(), z.string()) })
    .openapi('Readiness');
  registry.registerPath({
    method: 'get',
    path: '/readyz',
    summary: 'Ready: the log is open, the webhook door open (and the lease held, on a shared log)',
    responses: {
      200: { description: 'Ready.', content: { 'application/json': { schema: Readiness } } },
      503: {
        description: 'Not ready (draining, log closed).',
        content: { 'application/json': { schema: Readiness } },
      },
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/metrics',
    summary: 'Metrics in the Prometheus text format',
    responses: {
      200: { description: 'The metrics.', content: { 'text/plain': { schema: z.string() } } },
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/openapi.json',
    summary: 'This document',
    responses: {
      200: {
        description: 'OpenAPI 3.1.',
        content: { 'application/json': { schema: z.object({}).passthrough() } },
      },
    },
  });
}
