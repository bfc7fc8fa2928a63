// What one logical recording really produced: its sessions, their playlists and files, and the
// time it covered against the time the host wanted. The shapes `manifestOf` and
// `supervisor.manifest` give (docs/manifest.md).
import type { LifecycleState, Mode, QuitReason } from '../../../machines/index.js';

/** A span of time, ms since the epoch: `from` inclusive, `to` exclusive. */
export interface Interval {
  readonly from: number;
  readonly to: number;
}

/** A file Agora reported, and how far its upload has gone. */
export interface ManifestFile {
  readonly fileName: string;
  /** When recwatch first observed it reported (ms). */
  readonly reportedAt: number;
  /**
   * Who reported it first: a `query`, a notification (`eventType` says which: 3, 4, 31, 32,
   * 71), or the answer to a `stop`.
   */
  readonly reportedBy: 'query' | 'notification' | 'stop';
  readonly eventType?: number;
  /**
   * Agora said `uploadingStatus: "stranded"`: the file waits on Agora's backup storage and is
   * uploaded later (agora-cloud-recording.md §5), so it is not in your storage yet. Cleared by a
   * later report of it that is not stranded (31, 32, or a stop that says `uploaded`).
   */
  readonly pending: boolean;
}

/**
 * One playlist of a session: the files of one recorder. A session starts with the playlist
 * without prefix; the n-th failover (n from 0) starts `bak<n>_` (agora-cloud-recording.md §3).
 */
export interface Playlist {
  /** `''` for the session's first recorder, `bak<n>_` after the n-th failover. */
  readonly prefix: string;
  /** n of `bak<n>_`, or null for the first playlist. */
  readonly failover: number | null;
  /** The recorder's uid, when known (event 12's `newUid` after a failover). */
  readonly uid: string | null;
  /** When recwatch first knew of it (ms): the session's start, the failover, or its first file. */
  readonly since: number;
  /** What shows it exists: the session itself, a failover (12 or other evidence), or a file name. */
  readonly evidence: 'session' | 'failover' | 'files';
  readonly files: readonly ManifestFile[];
}

/** How a session ended, as recwatch saw it. */
export interface SessionEnd {
  readonly at: number;
  readonly how: 'quit' | 'stopped' | 'failed';
  /** The quit or failure reason (docs/lifecycle.md); null for a host stop. */
  readonly reason: QuitReason | null;
}

/** One session (one sid) of a logical recording. */
export interface SessionManifest {
  readonly sid: string;
  /** The uid the session was started with (a failover's recorder uid is its playlist's). */
  readonly uid: string | null;
  readonly resourceId: string | null;
  readonly mode: Mode | null;
  /** When Agora's start response named the sid (ms), or when recwatch first saw it. */
  readonly namedAt: number;
  /** When it was live: recording, as recwatch saw it (its evidence of life). */
  readonly live: readonly Interval[];
  readonly end: SessionEnd | null;
  /** Its playlists, the first recorder's first, then by failover. */
  readonly playlists: readonly Playlist[];
}

/** Why a part of the wanted time was not recorded. */
export type GapCause =
  /** From the host's start to the first evidence that the recorder runs. */
  | 'starting'
  /** A failover: from the old recorder's last sign of life to the new one's first. */
  | 'failover'
  /** A quit (its reason in `detail`), until a restarted session is live again. */
  | 'quit'
  /** recwatch gave up (restart budget, configuration): nothing records until the host stops. */
  | 'failed';

/** A part of the wanted time with no recording, and why. */
export interface CoverageGap extends Interval {
  readonly cause: GapCause;
  /** A readable account: `quit (abnormalExit) of S1, restarted as S2`, `failover to bak0_`. */
  readonly detail: string;
  /** The session before the gap, when there was one. */
  readonly sid: string | null;
}

/** The time the host wanted recorded against the time that was. */
export interface Coverage {
  /** From the host's start to its stop (or to `until`). */
  readonly wanted: Interval;
  /** The live intervals of every session, within `wanted`, merged. */
  readonly recorded: readonly Interval[];
  readonly wantedMs: number;
  readonly recordedMs: number;
  /** Every part of `wanted` outside `recorded`, in time order, with its cause. */
  readonly gaps: readonly CoverageGap[];
}

/** A change of the recording's lifecycle state (docs/lifecycle.md), at observed time. */
export interface StateChange {
  readonly at: number;
  readonly state: LifecycleState;
}

/** What happened to a recording, for a timeline: the domain events and the host's commands. */
export interface ManifestMark {
  readonly at: number;
  readonly kind:
    | 'start'
    | 'started'
    | 'failover'
    | 'resumed'
    | 'quit'
    | 'restarting'
    | 'restarted'
    | 'hostStop'
    | 'stopped'
    | 'failed';
  readonly sid: string | null;
  /** The quit reason, the failover's prefix, the restart count. */
  readonly detail?: string;
}

/** Everything one logical recording produced. */
export interface RecordingManifest {
  readonly recording: string;
  readonly cname: string | null;
  readonly mode: Mode | null;
  /** Its lifecycle state at `until`. */
  readonly state: LifecycleState;
  /** The end of the time considered (ms): the latest input seen, or the time asked for. */
  readonly until: number;
  /** Its sessions, in the order they were named. */
  readonly sessions: readonly SessionManifest[];
  readonly coverage: Coverage;
  /** Its state changes, in order (the first is `starting` at the host's start). */
  readonly states: readonly StateChange[];
  /** Its events, in order. */
  readonly marks: readonly ManifestMark[];
}

/** Every recording's manifest, sorted by recording id. */
export interface FleetManifest {
  readonly until: number;
  readonly recordings: readonly RecordingManifest[];
}
