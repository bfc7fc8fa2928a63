// The shape of a saved core state, checked before it is trusted: a snapshot is input like any
// other (a corrupt file, a foreign or older writer), and a wrong one must be refused, never
// misread. Loose where the core keeps values it does not interpret (normalized notifications).
import { z } from 'zod';
import { QUIT_REASONS } from '../../machines/index.js';

const time = z.number().finite();
const count = z.number().int().nonnegative();
const nullableTime = time.nullable();
const text = z.string();

const stateValue: z.ZodType<string | Record<string, unknown>> = z.union([
  text,
  z.record(
    text,
    z.lazy(() => stateValue),
  ),
]);

const quitReason = z.enum(QUIT_REASONS);

// A mode recwatch does not know yet is kept (docs/lifecycle.md): any text the record allowed.
const mode = text;

const context = z.object({
  recording: text,
  host: z.object({ cname: text, mode, primaryUid: text, backupUid: text }).nullable(),
  attempt: z
    .object({ uid: text, retries: count, resourceId: text.min(1).nullable(), failed: z.boolean() })
    .nullable(),
  session: z
    .object({ sid: text.min(1), resourceId: text.min(1), mode, cname: text, uid: text })
    .nullable(),
  failover: z.object({
    haAttempts: count,
    filePrefix: text,
    recorder: text.nullable(),
    recorderSince: nullableTime,
    newRecorders: z.array(text),
    hint: nullableTime,
  }),
  monitoring: z.object({
    uncertainSince: nullableTime,
    backoff: z
      .object({
        reason: z.enum(['notFound', 'startingNotFound', 'serverError', 'transient', 'rateLimited']),
        step: count,
      })
      .nullable(),
    answered: z.boolean(),
  }),
  lastQuery: z
    .object({
      at: time,
      sentAt: time.optional(),
      kind: z.enum(['alive', 'notFound', 'transient', 'rateLimited', 'serverError', 'clientError']),
      httpStatus: z.number().int().nullable(),
      status: z.number().nullable(),
      webRecorderState: text.optional(),
    })
    .nullable(),
  outrankedQuit: z.object({ reason: quitReason, sendts: time }).nullable(),
  deadlines: z.object({
    startBy: nullableTime,
    failoverBy: nullableTime,
    queryAt: nullableTime,
    startAt: nullableTime,
    settleBy: nullableTime,
  }),
  restarts: count,
  quitReason: quitReason.nullable(),
  files: z.array(text),
  previousSids: z.array(text),
  orphans: z.array(
    // sid null: a start given up before Agora named its session (rule 13).
    z.object({
      sid: text.min(1).nullable(),
      resourceId: text.min(1),
      mode,
      cname: text,
      uid: text,
    }),
  ),
  updatedAt: nullableTime,
});

// Every field the parser may give, in the order it gives them (src/signals/notification.ts):
// zod's output lists declared keys first, so a field left undeclared came back after
// `details`, and a restored state's text differed from the one it was read from.
const notification = z.looseObject({
  noticeId: text,
  eventType: count,
  eventName: text,
  sid: text,
  uid: text,
  cname: text,
  sequence: count,
  sendts: time,
  legacy: z.boolean(),
  notifyMs: z.number().optional(),
  productId: z.number().optional(),
  serviceType: z.number().optional(),
  serviceScene: text.optional(),
  known: z.boolean(),
  details: z.record(text, z.unknown()),
});

const parked = z.object({ position: count, at: time, notification });

/** The JSON shape of a core state (version 6), as zod checks it. */
export const coreStateJsonSchema = z.object({
  version: z.literal(6),
  position: count,
  now: time,
  optionsFingerprint: text,
  options: z.record(z.string(), z.unknown()),
  recordings: z.array(z.tuple([text, z.object({ value: stateValue, context })])),
  sidOwners: z.array(z.tuple([text, text])),
  dedupe: z.object({
    sids: z.array(
      z.tuple([
        text,
        z.object({
          keys: z.array(text),
          previousKeys: z.array(text),
          since: time,
          maxSequence: z.number().int(),
          finishedAt: nullableTime,
        }),
      ]),
    ),
    keyCount: count,
    finished: z.array(z.object({ sid: text, at: time })),
  }),
  reorder: z.object({
    sids: z.array(
      z.tuple([
        text,
        z.array(
          z.object({
            uid: text,
            next: count,
            held: z.array(z.object({ sequence: count, item: parked, heldAt: time })),
          }),
        ),
      ]),
    ),
    nextDue: nullableTime,
  }),
  unknownSids: z.array(z.tuple([text, z.array(parked)])),
  finished: z.array(z.tuple([text, time])),
});
