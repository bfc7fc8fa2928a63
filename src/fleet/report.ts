// The report of truth under faults (docs/truth-under-faults.md): per profile, recwatch and the
// baselines side by side, the best of each row marked, and where recwatch is not the best.
import { introduction, READING, READING_OF_MISSES, ROW_DEFINITIONS } from './report-text.js';
import type { ScenarioReport, ScenarioRow } from './scenarios.js';

/** One row of a profile's table: its label, how to show a value, and which way is better. */
interface Metric {
  readonly label: string;
  readonly value: (row: ScenarioRow) => number | null;
  readonly show: (row: ScenarioRow) => string;
  /** `lower` or `higher` is better; `none`: shown, not ranked. */
  readonly better: 'lower' | 'higher' | 'none';
}

const pct = (share: number, digits = 1) => `${(share * 100).toFixed(digits)} %`;
const sec = (ms: number | null) => (ms === null ? '–' : `${(ms / 1000).toFixed(1)} s`);
const detect = (stats: ScenarioRow['detectWithNotification']) =>
  stats.detected + stats.missed === 0
    ? 'no quit'
    : `${sec(stats.medianMs)} / ${sec(stats.p95Ms)}${stats.missed > 0 ? ` (${stats.missed} of ${stats.detected + stats.missed} never seen)` : ''}`;
// A missed quit ranks as slower than any seen one.
const detectRank = (stats: ScenarioRow['detectWithNotification']) =>
  stats.detected + stats.missed === 0
    ? null
    : stats.missed > 0
      ? Number.POSITIVE_INFINITY
      : (stats.p95Ms ?? 0);

/** The rows of every profile's table, in order. */
export const METRICS: readonly Metric[] = [
  {
    label: 'final state right',
    value: (r) => r.finalAccuracy,
    show: (r) => pct(r.finalAccuracy),
    better: 'higher',
  },
  {
    label: 'time believing a wrong state',
    value: (r) => r.wrongTimeShare,
    show: (r) => pct(r.wrongTimeShare, 2),
    better: 'lower',
  },
  {
    label: 'quit seen in, median / p95 (notification arrived)',
    value: (r) => detectRank(r.detectWithNotification),
    show: (r) => detect(r.detectWithNotification),
    better: 'lower',
  },
  {
    label: 'quit seen in, median / p95 (notification lost)',
    value: (r) => detectRank(r.detectWithoutNotification),
    show: (r) => detect(r.detectWithoutNotification),
    better: 'lower',
  },
  {
    label: 'spurious restarts',
    value: (r) => r.spuriousRestarts,
    show: (r) => String(r.spuriousRestarts),
    better: 'lower',
  },
  {
    label: 'missed restarts',
    value: (r) => r.missedRestarts,
    show: (r) => String(r.missedRestarts),
    better: 'lower',
  },
  {
    label: 'double recordings',
    value: (r) => r.doubleRecordings,
    show: (r) => String(r.doubleRecordings),
    better: 'lower',
  },
  {
    label: 'coverage error (recorded time it reports vs the truth)',
    value: (r) => r.coverageError,
    show: (r) => (r.coverageError === null ? '–' : pct(r.coverageError, 2)),
    better: 'none',
  },
  {
    label: 'REST calls (429s)',
    value: (r) => r.restCalls,
    show: (r) => `${r.restCalls} (${r.rateLimited})`,
    better: 'none',
  },
];

/** Where recwatch is not the best (ties count as best) of a profile's ranked rows. */
export function notBest(report: ScenarioReport): { profile: string; metric: string }[] {
  const misses: { profile: string; metric: string }[] = [];
  for (const profile of profilesOf(report)) {
    const rows = report.rows.filter((r) => r.profile === profile);
    const ours = rows.find((r) => r.observer === 'recwatch');
    if (ours === undefined) continue;
    for (const metric of METRICS) {
      if (metric.better === 'none') continue;
      const mine = metric.value(ours);
      if (mine === null) continue;
      const beaten = rows.some((row) => {
        const theirs = metric.value(row);
        if (theirs === null || row === ours) return false;
        return metric.better === 'lower' ? theirs < mine : theirs > mine;
      });
      if (beaten) misses.push({ profile, metric: metric.label });
    }
  }
  return misses;
}

/** The tables of the report as Markdown, one per profile. */
export function reportTables(report: ScenarioReport): string {
  const observers = [...new Set(report.rows.map((r) => r.observer))];
  const parts: string[] = [];
  for (const profile of profilesOf(report)) {
    const rows = observers.map((o) =>
      report.rows.find((r) => r.profile === profile && r.observer === o),
    );
    parts.push(`### ${profile}\n`);
    parts.push(`| | ${observers.join(' | ')} |`);
    parts.push(`|---|${observers.map(() => '---').join('|')}|`);
    for (const metric of METRICS) {
      const values = rows.map((r) => (r === undefined ? null : metric.value(r)));
      const ranked = values.filter((v): v is number => v !== null);
      const best =
        metric.better === 'none' || ranked.length === 0
          ? null
          : metric.better === 'lower'
            ? Math.min(...ranked)
            : Math.max(...ranked);
      const cells = rows.map((r, i) => {
        if (r === undefined) return '';
        const text = metric.show(r);
        return best !== null && values[i] === best ? `**${text}**` : text;
      });
      parts.push(`| ${metric.label} | ${cells.join(' | ')} |`);
    }
    parts.push('');
  }
  return parts.join('\n');
}

function profilesOf(report: ScenarioReport): string[] {
  return [...new Set(report.rows.map((r) => r.profile))];
}

/**
 * The whole report as Markdown: how it was run, the tables, where recwatch is not the best, and
 * a reading of where each baseline fails (the prose is in report-text.ts).
 */
export function reportMarkdown(report: ScenarioReport): string {
  const misses = notBest(report);
  const lines = [
    '# Truth under faults',
    '',
    introduction(report),
    '',
    ROW_DEFINITIONS,
    '',
    reportTables(report),
    '## Where recwatch is not the best',
    '',
  ];
  if (misses.length === 0) lines.push('Nowhere: recwatch is best (or tied) on every ranked row.');
  else {
    for (const miss of misses) lines.push(`- ${miss.profile}: ${miss.metric}`);
    lines.push('', READING_OF_MISSES);
  }
  lines.push('', READING, '');
  return lines.join('\n');
}
