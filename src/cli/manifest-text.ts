// How `recwatch manifest` reads on a terminal: per recording, the time wanted against the time
// recorded, its sessions in order with their playlists and files, and every gap with its cause.
import type { FleetManifest, Interval, RecordingManifest } from '../core/index.js';
import { printable } from './printable.js';

/** A time of day, UTC, to the second (the header gives the date). */
function time(at: number): string {
  const date = new Date(at);
  return Number.isNaN(date.getTime()) ? String(at) : date.toISOString().slice(11, 19);
}

/**
 * A duration: `42.0 s`, `12m05s`, `1h02m03s`.
 * @example duration(725_000) // '12m05s'
 */
export function duration(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const total = Math.round(ms / 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  const h = Math.floor(total / 3600);
  const m = Math.floor(total / 60) % 60;
  return h > 0 ? `${h}h${pad(m)}m${pad(total % 60)}s` : `${m}m${pad(total % 60)}s`;
}

function span(interval: Interval): string {
  return `${time(interval.from)}–${time(interval.to)}`;
}

/** The lines of one recording's manifest. */
export function recordingLines(manifest: RecordingManifest): string[] {
  const { coverage } = manifest;
  const share = coverage.wantedMs === 0 ? 1 : coverage.recordedMs / coverage.wantedMs;
  const lines = [
    `${manifest.recording}  ${manifest.state}  ${manifest.mode ?? '-'}  channel ${manifest.cname ?? '-'}`,
    `  wanted ${span(coverage.wanted)} (${duration(coverage.wantedMs)}) · recorded ${duration(coverage.recordedMs)} (${(share * 100).toFixed(1)} %) · ${coverage.gaps.length} gap(s)`,
  ];
  for (const [i, session] of manifest.sessions.entries()) {
    const live = session.live.length === 0 ? 'never live' : session.live.map(span).join(', ');
    const end =
      session.end === null
        ? 'running'
        : `${session.end.how}${session.end.reason === null ? '' : ` (${session.end.reason})`} at ${time(session.end.at)}`;
    lines.push(
      `  session ${i + 1}: sid ${session.sid}  uid ${session.uid ?? '-'}  ${session.mode ?? '-'}  named ${time(session.namedAt)}  live ${live}  ${end}`,
    );
    for (const playlist of session.playlists) {
      const which = playlist.failover === null ? 'first' : `after failover ${playlist.failover}`;
      lines.push(
        `    playlist ${playlist.prefix === '' ? '(no prefix)' : playlist.prefix}  ${which}, uid ${playlist.uid ?? '-'}, since ${time(playlist.since)}: ${playlist.files.length} file(s)`,
      );
      for (const file of playlist.files) {
        const by =
          file.reportedBy === 'notification' ? `notification ${file.eventType}` : file.reportedBy;
        const pending = file.pending ? '  PENDING (upload stranded on Agora backup)' : '';
        lines.push(`      ${file.fileName}  (${by} at ${time(file.reportedAt)})${pending}`);
      }
    }
  }
  if (manifest.sessions.length === 0) lines.push('  no session: Agora never named a sid');
  for (const gap of coverage.gaps) {
    lines.push(
      `  gap ${span(gap)}  ${duration(gap.to - gap.from).padStart(7)}  ${gap.cause}: ${gap.detail}`,
    );
  }
  return lines.map(printable);
}

/** The whole manifest as text: the fleet's totals, then each recording. */
export function manifestText(manifest: FleetManifest): string {
  const wanted = manifest.recordings.reduce((sum, r) => sum + r.coverage.wantedMs, 0);
  const recorded = manifest.recordings.reduce((sum, r) => sum + r.coverage.recordedMs, 0);
  const date = new Date(manifest.until);
  const head = `${manifest.recordings.length} recording(s) up to ${Number.isNaN(date.getTime()) ? manifest.until : date.toISOString()}: recorded ${duration(recorded)} of ${duration(wanted)} wanted (${wanted === 0 ? '100.0' : ((recorded / wanted) * 100).toFixed(1)} %)`;
  const parts = [head, ''];
  for (const recording of manifest.recordings) parts.push(...recordingLines(recording), '');
  return parts.join('\n');
}
