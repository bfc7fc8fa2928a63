// The host API's recording routes: start (idempotent by recording id), stop, update, get, list,
// the whole picture and a recording's manifest. On a log shared by several instances, each route
// first catches up with the log, so any instance answers for every recording: a read shows what
// any instance acknowledged before it, and a command for a recording another instance drives is
// appended here and acted on by its owner (the supervisors share the work through the log). Each route is declared once, with its zod schemas, and the OpenAPI
// document is generated from the declarations.
import { createRoute, type OpenAPIHono, type z } from '@hono/zod-openapi';
import { deriveBackupUid } from '../../machines/index.js';
import type { CoreState } from '../core/index.js';
import { picture } from '../core/index.js';
import { isRecwatchError } from '../errors/index.js';
import type { StartCommand, SupervisedRecording, Supervisor } from '../runtime/index.js';
import {
  CallOutcomeSchema,
  ListQuerySchema,
  PictureSchema,
  ProblemSchema,
  RecordingListSchema,
  RecordingParamSchema,
  RecordingSchema,
  StartRequestSchema,
  UpdateRequestSchema,
} from './api-schemas.js';
import { type ManifestBody, ManifestSchema } from './manifest-schema.js';
import { PROBLEM_MEDIA_TYPE, ProblemError } from './problem.js';

const security = [{ bearer: [] }];
const json = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});
const problemOf = (description: string) => ({
  content: { [PROBLEM_MEDIA_TYPE]: { schema: ProblemSchema } },
  description,
});
/** Answers every route may give besides its own. */
const common = {
  401: problemOf('No bearer token, or one that is not known.'),
  403: problemOf('A read-only token asked for a change.'),
  503: problemOf('The service is draining or the log cannot take the command now.'),
};

export const startRoute = createRoute({
  method: 'post',
  path: '/v1/recordings',
  summary: 'Start supervising a recording',
  description:
    'Logged, then acquire+start is sent to Agora. Idempotent by recording id: the same body again answers 200 with the recording; another body for that id answers 409.',
  security,
  request: {
    body: { content: { 'application/json': { schema: StartRequestSchema } }, required: true },
  },
  responses: {
    201: json(RecordingSchema, 'Started: the command is durable; `started` events follow.'),
    200: json(RecordingSchema, 'Already started with this same body.'),
    400: problemOf('The body is not a start command.'),
    409: problemOf('The recording id was started with another body.'),
    413: problemOf('The body is too large.'),
    ...common,
  },
});

export const listRoute = createRoute({
  method: 'get',
  path: '/v1/recordings',
  summary: 'List supervised recordings, sorted by id',
  security,
  request: { query: ListQuerySchema },
  responses: {
    200: json(RecordingListSchema, 'The recordings.'),
    400: problemOf('A bad filter.'),
    ...common,
  },
});

export const getRoute = createRoute({
  method: 'get',
  path: '/v1/recordings/{recording}',
  summary: "One recording's picture",
  security,
  request: { params: RecordingParamSchema },
  responses: {
    200: json(RecordingSchema, 'The recording.'),
    404: problemOf('Not supervised (never started, or finished and forgotten).'),
    ...common,
  },
});

export const stopRoute = createRoute({
  method: 'post',
  path: '/v1/recordings/{recording}/stop',
  summary: 'Stop a recording',
  description: "Logged, then Agora's stop is sent; supervised until it ends (a `stopped` event).",
  security,
  request: { params: RecordingParamSchema },
  responses: {
    202: json(RecordingSchema, 'The stop is durable and under way.'),
    404: problemOf('Not supervised.'),
    ...common,
  },
});

export const updateRoute = createRoute({
  method: 'post',
  path: '/v1/recordings/{recording}/update',
  summary: "Send Agora's update (or updateLayout) for the current sid",
  security,
  request: {
    params: RecordingParamSchema,
    body: { content: { 'application/json': { schema: UpdateRequestSchema } }, required: true },
  },
  responses: {
    200: json(CallOutcomeSchema, "Agora's answer, classified."),
    400: problemOf('The body is not an update command.'),
    404: problemOf('Not supervised.'),
    409: problemOf('The recording has no session now.'),
    413: problemOf('The body is too large.'),
    ...common,
  },
});

export const pictureRoute = createRoute({
  method: 'get',
  path: '/v1/picture',
  summary: 'Every recording by id (as `recwatch replay --json` prints it)',
  security,
  responses: { 200: json(PictureSchema, 'The picture.'), ...common },
});

export const manifestRoute = createRoute({
  method: 'get',
  path: '/v1/recordings/{recording}/manifest',
  summary: 'What the recording really produced: sessions, playlists, files and coverage',
  description:
    "Its sessions (sids) in order, the playlists of each (the first recorder, then bak<n>_ after each failover) with the files Agora reported, and the coverage: the time wanted against the time recorded, with every gap and its cause (docs/manifest.md). Read from recwatch's evidence, so recorded time is a lower bound. The first call reads the log once; later calls are answered from memory.",
  security,
  request: { params: RecordingParamSchema },
  responses: {
    200: json(ManifestSchema, 'The manifest.'),
    404: problemOf('The log never named this recording.'),
    ...common,
  },
});

/**
 * Mounts the recording routes on `app`. Authentication runs before them (see server.ts).
 */
export function mountRecordingRoutes(app: OpenAPIHono, supervisor: Supervisor): void {
  // Starts of one recording id run one after the other, so a repeat sent while the first is
  // being logged sees it (200 or 409) instead of starting it again.
  const starting = new Map<string, Promise<unknown>>();
  app.openapi(startRoute, async (context) => {
    const command: StartCommand = context.req.valid('json');
    const previous = starting.get(command.recording) ?? Promise.resolve();
    const turn = previous.then(async () => {
      await supervisor.catchUp();
      const before = compareStart(supervisor, command);
      if (before !== undefined) return { status: 200 as const, body: repeated(before) };
      let started: SupervisedRecording;
      try {
        started = await supervisor.start(command);
      } catch (error) {
        // On a shared log, another instance's start of this id was stepped meanwhile.
        const other =
          isRecwatchError(error, 'RECORDING_EXISTS') && compareStart(supervisor, command);
        if (other) return { status: 200 as const, body: repeated(other) };
        throw error;
      }
      // Two instances that both found the id free both append their start; the first in the log
      // is the one the core keeps, so a later one with another body is told so.
      const after = compareStart(supervisor, command);
      if (after !== undefined && !after.same) repeated(after);
      return { status: 201 as const, body: started as z.infer<typeof RecordingSchema> };
    });
    const settled = turn.catch(() => {});
    starting.set(command.recording, settled);
    settled.then(() => {
      if (starting.get(command.recording) === settled) starting.delete(command.recording);
    });
    const { status, body } = await turn;
    return status === 201 ? context.json(body, 201) : context.json(body, 200);
  });

  app.openapi(listRoute, async (context) => {
    const { state } = context.req.valid('query');
    await supervisor.catchUp();
    const recordings = supervisor
      .list()
      .filter((one) => state === undefined || one.state === state) as z.infer<
      typeof RecordingSchema
    >[];
    return context.json({ recordings }, 200);
  });

  app.openapi(getRoute, async (context) => {
    const { recording } = context.req.valid('param');
    await supervisor.catchUp();
    const found = supervisor.get(recording);
    if (found === undefined) return notFound(recording);
    return context.json(found as z.infer<typeof RecordingSchema>, 200);
  });

  app.openapi(stopRoute, async (context) => {
    const { recording } = context.req.valid('param');
    await supervisor.catchUp();
    try {
      const stopping = await supervisor.stop(recording);
      return context.json(stopping as z.infer<typeof RecordingSchema>, 202);
    } catch (error) {
      if (isRecwatchError(error, 'UNKNOWN_RECORDING')) return notFound(recording);
      throw error;
    }
  });

  app.openapi(updateRoute, async (context) => {
    const { recording } = context.req.valid('param');
    const { clientRequest, layout } = context.req.valid('json');
    await supervisor.catchUp();
    try {
      const outcome = await supervisor.update(recording, {
        clientRequest,
        ...(layout !== undefined && { layout }),
      });
      return context.json(outcome as z.infer<typeof CallOutcomeSchema>, 200);
    } catch (error) {
      if (isRecwatchError(error, 'UNKNOWN_RECORDING')) return notFound(recording);
      if (isRecwatchError(error, 'NO_SESSION')) {
        throw new ProblemError('conflict', `${recording} has no session now`);
      }
      throw error;
    }
  });

  app.openapi(pictureRoute, async (context) => {
    await supervisor.catchUp();
    return context.json(picture(supervisor.state) as z.infer<typeof PictureSchema>, 200);
  });

  app.openapi(manifestRoute, async (context) => {
    const { recording } = context.req.valid('param');
    await supervisor.catchUp();
    const manifest = await supervisor.manifest(recording);
    if (manifest === undefined) return notFound(recording);
    return context.json(manifest as ManifestBody, 200);
  });
}

/** A repeated start: the same body (200 with the recording) or another one (409). */
type Repeat =
  | { readonly same: true; readonly picture: SupervisedRecording }
  | { readonly same: false };

function compareStart(supervisor: Supervisor, command: StartCommand): Repeat | undefined {
  const host = startedWith(supervisor.state, command.recording);
  const current = supervisor.get(command.recording);
  if (host === undefined || current === undefined) return undefined;
  const same =
    host.cname === command.cname &&
    host.mode === command.mode &&
    host.primaryUid === command.uid &&
    host.backupUid === (command.backupUid ?? deriveBackupUid(command.uid));
  return same ? { same, picture: current } : { same };
}

function startedWith(
  state: CoreState,
  recording: string,
): { cname: string; mode: string; primaryUid: string; backupUid: string } | undefined {
  return state.recordings.get(recording)?.snapshot.context.host ?? undefined;
}

function repeated(repeat: Repeat): z.infer<typeof RecordingSchema> {
  if (!repeat.same) {
    throw new ProblemError('conflict', 'this recording id was started with another body');
  }
  return repeat.picture as z.infer<typeof RecordingSchema>;
}

function notFound(recording: string): never {
  throw new ProblemError('not-found', `no recording ${recording} is supervised`);
}
