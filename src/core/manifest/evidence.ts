// What a received input tells the manifest beyond the core's outputs: the files it names (also
// those of a previous sid, which the core keeps but never applies), whether Agora said their
// upload is stranded, and whether it is a sign that the current recorder lives.
import type { Mode } from '../../../machines/index.js';
import { normalizeInput, parseStopResponse, type RecordedFile } from '../../signals/index.js';
import type { ReceivedLine } from '../step.js';

/**
 * Notifications that are no sign of the current recorder's life: those saying it ended
 * (docs/lifecycle.md rule 2), and 12, sent when a new recorder has taken over after a failover.
 */
const NOT_ALIVE: ReadonlySet<number> = new Set([11, 12, 31, 32, 41, 71, 72]);

/** What one input says, in the manifest's terms; null for what says nothing (ticks, rejects). */
export type InputFacts =
  | {
      readonly kind: 'start';
      readonly recording: string;
      readonly cname: string;
      readonly uid: string;
      readonly mode: Mode;
    }
  | {
      readonly kind: 'started';
      readonly recording: string;
      readonly sid: string;
      readonly resourceId: string;
      readonly uid: string;
    }
  | { readonly kind: 'hostStop'; readonly recording: string }
  | {
      readonly kind: 'files';
      /** The recording, when the input names it (queries and stops); else found by `sid`. */
      readonly recording: string | null;
      /** The sid the files belong to; null: the recording's current one (a stop without sid). */
      readonly sid: string | null;
      readonly files: readonly string[];
      readonly reportedBy: 'query' | 'notification' | 'stop';
      readonly eventType?: number;
      /** `uploadingStatus: "stranded"`: the files wait on Agora's backup storage. */
      readonly stranded: boolean;
      /** A report that the files reached storage (31, 32, a stop that says uploaded). */
      readonly uploaded: boolean;
      /** A sign that the sid's recorder is alive (a 200 query, a notification not ending it). */
      readonly alive: boolean;
    };

/**
 * Reads one received line. Never throws: an input the core rejects says nothing here either.
 * @example inputFacts({ kind: 'input', record: { at: 1, type: 'stop', recording: 'r1' } }) // { kind: 'hostStop', recording: 'r1' }
 */
export function inputFacts(line: ReceivedLine): InputFacts | null {
  if (line.kind !== 'input') return null;
  const read = normalizeInput(line.record);
  if (!read.ok) return null;
  const signal = read.value;
  switch (signal.type) {
    case 'start':
      return {
        kind: 'start',
        recording: signal.recording,
        cname: signal.cname,
        uid: signal.uid,
        mode: signal.mode,
      };
    case 'started':
      return {
        kind: 'started',
        recording: signal.recording,
        sid: signal.sid,
        resourceId: signal.resourceId,
        uid: signal.uid,
      };
    case 'stop':
      return { kind: 'hostStop', recording: signal.recording };
    case 'query': {
      const { outcome } = signal;
      const alive = outcome.kind === 'alive' && outcome.status !== 8 && outcome.status !== 20;
      return {
        kind: 'files',
        recording: signal.recording,
        sid: signal.sid,
        files: outcome.kind === 'alive' ? names(outcome.files) : [],
        reportedBy: 'query',
        stranded: false,
        uploaded: false,
        alive,
      };
    }
    case 'stopResult': {
      const { outcome } = signal;
      if (outcome.kind !== 'ok') return null;
      const response = parseStopResponse(outcome.body);
      if (!response.ok) return null;
      const status = response.value.uploadingStatus;
      const sid = (line.record as { sid?: unknown }).sid;
      return {
        kind: 'files',
        recording: signal.recording,
        sid: typeof sid === 'string' && sid !== '' ? sid : (response.value.sid ?? null),
        files: names(response.value.serverResponse.files),
        reportedBy: 'stop',
        stranded: status === 'stranded',
        uploaded: status === 'uploaded' || status === 'backuped',
        alive: false,
      };
    }
    case 'notification': {
      const n = signal.notification;
      const details = n.details as Readonly<Record<string, unknown>>;
      const listed = n.known
        ? (details.fileList as readonly RecordedFile[] | undefined)
        : undefined;
      const stranded = details.uploadingStatus === 'stranded';
      return {
        kind: 'files',
        recording: null,
        sid: n.sid,
        files: Array.isArray(listed) ? names(listed) : [],
        reportedBy: 'notification',
        eventType: n.eventType,
        stranded,
        uploaded: !stranded && (n.eventType === 31 || n.eventType === 32),
        alive: !NOT_ALIVE.has(n.eventType),
      };
    }
    default:
      return null;
  }
}

function names(files: readonly RecordedFile[]): string[] {
  return files.map((file) => file.fileName);
}

/**
 * n of a `bak<n>_` file name, or null for a name without the prefix.
 * @example failoverOf('bak1_S1_room1.m3u8') // 1
 */
export function failoverOf(fileName: string): number | null {
  const match = /^bak(\d{1,2})_/.exec(fileName);
  return match === null ? null : Number(match[1]);
}
