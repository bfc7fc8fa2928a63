// The demo's end: a table of every recording (the truth against recwatch's picture), the run's
// score, and the commands to look closer at its log.
import Table from 'cli-table3';
import type { CoverageScore } from '../fleet/coverage.js';
import type { DetectionStats, Score } from '../fleet/score.js';
import type { SupervisedRecording } from '../runtime/index.js';

/** What the per-recording table shows, and what its `same class` column compares. */
export const RECORDINGS_CAPTION = [
  "Every recording at the end of the run: its true final state (the simulator's ground truth)",
  "and recwatch's. 'same class' compares the two as the score does: live (starting, recording,",
  'failing over, stopping), ended (quit, restarting, failed) or stopped by the host; a change in',
  'the last 3 minutes counts as right either way (src/fleet/score.ts).',
];

/** The per-recording table. */
export function recordingsTable(
  score: Score,
  pictures: ReadonlyMap<string, SupervisedRecording>,
  plain: boolean,
): string {
  const table = new Table({
    head: [
      'recording',
      'true final state',
      "recwatch's",
      'same class',
      'failovers',
      'restarts',
      'quits seen in',
    ],
    // One line per recording, no rule between rows: 50 rows stay readable.
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    style: plain ? { head: [], border: [] } : {},
  });
  for (const row of score.perRecording) {
    const picture = pictures.get(row.recording);
    const believed =
      picture === undefined
        ? '-'
        : picture.quitReason !== null &&
            picture.state !== 'recording' &&
            picture.state !== 'starting'
          ? `${picture.state} (${picture.quitReason})`
          : picture.state;
    table.push([
      row.recording,
      row.trueDetail,
      believed,
      row.correct ? 'yes' : 'NO',
      row.failovers,
      row.restarts,
      row.detectMs.length === 0
        ? ''
        : row.detectMs.map((ms) => (ms === null ? 'missed' : seconds(ms))).join(', '),
    ]);
  }
  return table.toString();
}

/** The score as lines. */
export function scoreLines(score: Score): string[] {
  const right = Math.round(score.finalAccuracy * score.recordings);
  return [
    `final state right      ${right}/${score.recordings} (${percent(score.finalAccuracy)})`,
    `time believing wrong   ${percent(score.wrongTimeShare, 2)} of recording time`,
    `quits seen             ${detection(score.detectWithNotification)} with their notification; ${detection(score.detectWithoutNotification)} without`,
    `spurious restarts      ${score.spuriousRestarts}`,
    `missed restarts        ${score.missedRestarts}`,
    `double recordings      ${score.doubleRecordings}`,
    `REST calls             ${score.restCalls} (${score.rateLimited} answered 429)`,
  ];
}

function detection(stats: DetectionStats): string {
  const count = stats.detected + stats.missed;
  if (count === 0) return 'none';
  const missed = stats.missed > 0 ? `, ${stats.missed} missed` : '';
  return `${count} (median ${seconds(stats.medianMs ?? 0)}, p95 ${seconds(stats.p95Ms ?? 0)}${missed})`;
}

/** The fleet's coverage as lines: what recwatch says was recorded, what really was. */
export function coverageLines(coverage: CoverageScore): string[] {
  const hours = (ms: number) => `${(ms / 3_600_000).toFixed(2)} h`;
  const share = (ms: number) => percent(coverage.wantedMs === 0 ? 1 : ms / coverage.wantedMs, 1);
  return [
    `coverage               ${hours(coverage.recordedMs)} recorded of ${hours(coverage.wantedMs)} wanted (${share(coverage.recordedMs)}); truly ${hours(coverage.trueRecordedMs)} (${share(coverage.trueRecordedMs)})`,
    `coverage error         ${percent(coverage.error, 2)} of wanted time (recwatch's recorded time against the truth's)`,
  ];
}

/** A duration, ms, as seconds with one decimal. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** A share 0..1 as a percentage. */
export function percent(share: number, digits = 0): string {
  return `${(share * 100).toFixed(digits)} %`;
}
