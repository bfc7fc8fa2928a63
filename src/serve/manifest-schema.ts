// The host API's shape of a recording's manifest (docs/manifest.md): what `supervisor.manifest`
// gives, as a zod schema, so GET /v1/recordings/{recording}/manifest is described in the OpenAPI
// document. The compile-time checks at the end keep it equal to the core's `RecordingManifest`.
import { z } from '@hono/zod-openapi';
import { LIFECYCLE_STATES, QUIT_REASONS } from '../../machines/index.js';
import type { RecordingManifest } from '../core/index.js';

const ms = (description: string) => z.number().openapi({ description });

const IntervalSchema = z
  .object({
    from: ms('Start, inclusive (ms since the epoch).'),
    to: ms('End, exclusive (ms since the epoch).'),
  })
  .openapi('Interval');

const ManifestFileSchema = z
  .object({
    fileName: z.string(),
    reportedAt: ms('When recwatch first observed it reported (ms).'),
    reportedBy: z.enum(['query', 'notification', 'stop']),
    eventType: z.number().int().optional().openapi({ description: 'The notification that told.' }),
    pending: z.boolean().openapi({
      description: 'Agora said "stranded": it waits on Agora\'s backup storage, not yours yet.',
    }),
  })
  .openapi('ManifestFile');

const PlaylistSchema = z
  .object({
    prefix: z
      .string()
      .openapi({ description: "'' for the first recorder, bak<n>_ after the n-th failover." }),
    failover: z.number().int().nullable(),
    uid: z.string().nullable(),
    since: ms('When recwatch first knew of it (ms).'),
    evidence: z.enum(['session', 'failover', 'files']),
    files: z.array(ManifestFileSchema),
  })
  .openapi('Playlist');

const SessionManifestSchema = z
  .object({
    sid: z.string(),
    uid: z.string().nullable(),
    resourceId: z.string().nullable(),
    mode: z.string().nullable(),
    namedAt: ms('When the sid was named (ms).'),
    live: z.array(IntervalSchema),
    end: z
      .object({
        at: z.number(),
        how: z.enum(['quit', 'stopped', 'failed']),
        reason: z.enum(QUIT_REASONS).nullable(),
      })
      .nullable(),
    playlists: z.array(PlaylistSchema),
  })
  .openapi('SessionManifest');

const CoverageSchema = z
  .object({
    wanted: IntervalSchema,
    recorded: z.array(IntervalSchema),
    wantedMs: z.number(),
    recordedMs: z.number(),
    gaps: z.array(
      IntervalSchema.extend({
        cause: z.enum(['starting', 'failover', 'quit', 'failed']),
        detail: z.string(),
        sid: z.string().nullable(),
      }).openapi('CoverageGap'),
    ),
  })
  .openapi('Coverage', {
    description: 'The time wanted (host start to stop, or to now) against the time recorded.',
  });

/** GET /v1/recordings/{recording}/manifest: what the recording really produced. */
export const ManifestSchema = z
  .object({
    recording: z.string(),
    cname: z.string().nullable(),
    mode: z.string().nullable(),
    state: z.enum(LIFECYCLE_STATES),
    until: ms('The end of the time considered (ms): the latest input seen.'),
    sessions: z.array(SessionManifestSchema),
    coverage: CoverageSchema,
    states: z.array(z.object({ at: z.number(), state: z.enum(LIFECYCLE_STATES) })),
    marks: z.array(
      z.object({
        at: z.number(),
        kind: z.enum([
          'start',
          'started',
          'failover',
          'resumed',
          'quit',
          'restarting',
          'restarted',
          'hostStop',
          'stopped',
          'failed',
        ]),
        sid: z.string().nullable(),
        detail: z.string().optional(),
      }),
    ),
  })
  .openapi('Manifest');

/** The manifest as the API gives it. */
export type ManifestBody = z.infer<typeof ManifestSchema>;

// Equal to the core's types, both ways, level by level (a deep comparison in one go is not
// followed all the way down): a field added to one and not the other fails to compile.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Mutable<T> = T extends string | number | boolean | null | undefined
  ? T
  : T extends readonly (infer U)[]
    ? Mutable<U>[]
    : T extends object
      ? { -readonly [K in keyof T]: Mutable<T[K]> }
      : T;
type Core = Mutable<RecordingManifest>;
type Session = Core['sessions'][number];
type Ours = ManifestBody;
type OurSession = Ours['sessions'][number];
const sameShape: [
  Same<
    Omit<Ours, 'sessions' | 'coverage' | 'states' | 'marks'>,
    Omit<Core, 'sessions' | 'coverage' | 'states' | 'marks'>
  >,
  Same<Omit<OurSession, 'playlists' | 'live' | 'end'>, Omit<Session, 'playlists' | 'live' | 'end'>>,
  Same<OurSession['live'][number], Session['live'][number]>,
  Same<OurSession['end'], Session['end']>,
  Same<Omit<OurSession['playlists'][number], 'files'>, Omit<Session['playlists'][number], 'files'>>,
  Same<
    OurSession['playlists'][number]['files'][number],
    Session['playlists'][number]['files'][number]
  >,
  Same<
    Omit<Ours['coverage'], 'gaps' | 'wanted' | 'recorded'>,
    Omit<Core['coverage'], 'gaps' | 'wanted' | 'recorded'>
  >,
  Same<Ours['coverage']['wanted'], Core['coverage']['wanted']>,
  Same<Ours['coverage']['gaps'][number], Core['coverage']['gaps'][number]>,
  Same<Ours['states'][number], Core['states'][number]>,
  Same<Ours['marks'][number], Core['marks'][number]>,
] = [true, true, true, true, true, true, true, true, true, true, true];
void sameShape;
