// The host API's shapes, as zod schemas: they check every request and generate the OpenAPI
// document (docs/openapi.json), so the two cannot drift apart.
import { z } from '@hono/zod-openapi';
import { LIFECYCLE_STATES, QUIT_REASONS } from '../../machines/index.js';
import { KNOWN_MODES, MODE_NAME, MODE_PROBLEM } from '../signals/mode.js';

/** The lifecycle states of docs/lifecycle.md. */
export { LIFECYCLE_STATES };

const id = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[\w.:@-]+$/, 'letters, digits and . : @ - _ only');

/** The body of POST /v1/recordings. */
export const StartRequestSchema = z
  .strictObject({
    recording: id.openapi({ description: 'Your id of the logical recording.', example: 'r1' }),
    cname: z
      .string()
      .min(1)
      .max(64)
      .openapi({ description: "Agora's channel name.", example: 'room1' }),
    uid: z
      .string()
      .regex(/^\d{1,10}$/, 'a numeric uid')
      .openapi({ description: 'The recorder uid (numeric, as a string).', example: '1001' }),
    mode: z
      .string()
      .regex(MODE_NAME, MODE_PROBLEM)
      .openapi({
        description: `Agora's recording mode: ${KNOWN_MODES.join(', ')}, or another mode name Agora adds (kept as it comes: a letter, then up to 31 letters, digits, _ or -).`,
        examples: [...KNOWN_MODES],
        example: 'mix',
      }),
    backupUid: z
      .string()
      .regex(/^\d{1,10}$/, 'a numeric uid')
      .optional()
      .openapi({ description: 'The uid to alternate with. Default uid + 1.', example: '1002' }),
  })
  .openapi('StartRequest');

/** The body of POST /v1/recordings/{recording}/update. */
export const UpdateRequestSchema = z
  .strictObject({
    clientRequest: z
      .record(z.string(), z.unknown())
      .openapi({ description: "The clientRequest of Agora's update (or updateLayout) call." }),
    layout: z.boolean().optional().openapi({ description: 'Call updateLayout. Default false.' }),
  })
  .openapi('UpdateRequest');

const LastQuerySchema = z
  .object({
    at: z.number().openapi({ description: 'When its answer was observed (ms since the epoch).' }),
    kind: z.enum(['alive', 'notFound', 'transient', 'rateLimited', 'serverError', 'clientError']),
    httpStatus: z.number().int().nullable(),
    status: z.number().int().nullable(),
  })
  .openapi('LastQuery');

/** What a host sees of one recording (docs/lifecycle.md). */
export const RecordingSchema = z
  .object({
    recording: z.string(),
    state: z.enum(LIFECYCLE_STATES),
    sid: z.string().nullable(),
    uid: z.string().nullable(),
    haAttempts: z.number().int(),
    filePrefix: z.string(),
    restarts: z.number().int(),
    quitReason: z.enum(QUIT_REASONS).nullable(),
    uncertain: z.boolean(),
    uncertainSince: z.number().nullable(),
    resourceId: z.string().nullable(),
    files: z.array(z.string()),
    lastQuery: LastQuerySchema.nullable(),
    updatedAt: z.number().nullable(),
  })
  .openapi('Recording');

/** GET /v1/recordings. */
export const RecordingListSchema = z
  .object({ recordings: z.array(RecordingSchema) })
  .openapi('RecordingList');

/** GET /v1/picture: every recording by id, as `recwatch replay --json` prints it. */
export const PictureSchema = z
  .object({ recordings: z.record(z.string(), RecordingSchema.omit({ recording: true })) })
  .openapi('Picture');

/** Agora's answer to an update. */
export const CallOutcomeSchema = z
  .object({
    kind: z.enum(['ok', 'notFound', 'transient', 'rateLimited', 'serverError', 'clientError']),
    httpStatus: z.number().int().nullable(),
    code: z.number().int().optional(),
    reason: z.string().optional(),
    body: z.unknown().optional(),
  })
  .openapi('CallOutcome');

/** An error, as RFC 9457 problem details (application/problem+json). */
export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: 'urn:recwatch:problem:unauthorized' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .openapi({ description: 'What is wrong in the request, by field.' }),
  })
  .openapi('Problem');

export const RecordingParamSchema = z.object({
  recording: id.openapi({ param: { name: 'recording', in: 'path' }, example: 'r1' }),
});

export const ListQuerySchema = z.object({
  state: z
    .enum(LIFECYCLE_STATES)
    .optional()
    .openapi({
      param: { name: 'state', in: 'query' },
      description: 'Only recordings in this state.',
    }),
});
