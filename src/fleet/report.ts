// The report of truth under faults (docs/truth-under-faults.md): per profile, recwatch and the
// baselines side by side, the best of each row marked, and where recwatch is not the best.
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
 * a reading of where each baseline fails.
 */
export function reportMarkdown(report: ScenarioReport): string {
  const misses = notBest(report);
  const minutes = Math.round(report.durationMs / 60_000);
  const lines = [
    '# Truth under faults',
    '',
    'Generated by `npm run scenarios` (`recwatch scenarios`); the figures of this run are in',
    '`truth-under-faults.json` beside this file. Each profile of the simulator (docs/simulator.md)',
    `ran with ${report.recordings} recordings for ${minutes} simulated minutes, seeds ${report.seeds.join(', ')},`,
    'once with recwatch and once with each baseline (src/sim/baselines/). Every run has its own',
    'simulator with the same seed, profile and host plan (the same recordings started and stopped',
    'at the same times); faults drawn per call (API errors) follow the calls each observer makes.',
    'Every observer acts: it restarts what it believes ended, against the simulator.',
    'recwatch runs with one setting changed from its defaults: 404 probing of 5, 10, 15, 30, 35 s',
    '(`notFoundBackoffMs`) instead of the 5, 10, 15 s of rule 3. A server lost for 60–90 s answers 404',
    'all that time; with every notice of it lost, the default gives up after 30 s and restarts a',
    'recording that is only moving (a double recording). The longer probing sees a quit whose',
    'notification was lost about 65 s later.',
    '',
    'What the rows mean (src/fleet/score.ts):',
    '',
    '- **final state right**: at the end of the run, the observer believes what is true: live',
    '  (a recorder is recording), ended, or stopped by the host. A change in the last 3 minutes',
    '  counts as right either way (nobody can know a lost notification that fast).',
    '- **time believing a wrong state**: the share of recording time its belief differed from the truth.',
    '- **quit seen in**: from a quit the host did not ask for to the observer no longer believing',
    '  the recording live (or deciding to restart it), median / p95, split by whether that',
    "  session's end notification (11, 31, 32, 71, 72) reached the webhook or was lost.",
    '- **spurious restarts**: restarts decided while the recording was in fact alive.',
    '- **missed restarts**: a quit (not idle, not asked) with no recording again within 5 minutes.',
    '- **double recordings**: recordings that had two live sessions at some moment (paid twice,',
    '  two sets of files).',
    '- **REST calls (429s)**: every call the simulator answered, and how many were rate limited.',
    '',
    'The best value of each row is in bold (ties all bold). The profiles clean, lossy and',
    'redundantReordered have no recording faults and hosts that stay, so nothing quits there: every',
    'observer ties on them, and their notification faults show in chaos, where recordings do quit.',
    '',
    reportTables(report),
    '## Where recwatch is not the best',
    '',
  ];
  if (misses.length === 0) lines.push('Nowhere: recwatch is best (or tied) on every ranked row.');
  else {
    for (const miss of misses) lines.push(`- ${miss.profile}: ${miss.metric}`);
    lines.push('', READING_OF_MISSES);
    lines.push(
      '',
      'REST calls are not ranked: webhook-only makes fewest because it never queries.',
    );
  }
  lines.push('', READING, '');
  return lines.join('\n');
}

const READING_OF_MISSES = `Why, for the time to see a quit (ranked by its p95; a quit never seen ranks last):

- With its notification arriving, the slow quits are 4th failures. The recording is over the
  moment its recorder fails the 4th time, but Agora (and the simulator) sends the 11 only when
  the failover window runs out, 5 to 90 s later, and answers 404 in between, exactly as during a
  failover that will succeed. recwatch does not restart on 404s that may be a failover: it waits
  for the 11, or for its probing to outlast the 90 s bound. A baseline that acts on the first
  404s is quicker on these few, by the same rule that gives it the spurious restarts and double
  recordings of its column. (Each observer also meets different quits: the faults follow the
  sessions it starts.)
- With its notification lost, recwatch finds a quit at its next poll (60 s, up to 2 s of jitter),
  then probes 404s for 95 s (5, 10, 15, 30, 35 s) so that a server lost for 60–90 s, which answers
  404 and sends nothing meanwhile, is not restarted while it moves. Agora's advice gives up after
  30 s and query-only at once: quicker, and wrong whenever the 404 was a failover.`;

const READING = `## Reading

- **webhook-only** never queries. A lost 11/31 leaves it believing a dead recording is live: it is
  never restarted (missed restarts, long wrong-state time; see lossy and chaos). Keyed by channel
  with no dedupe and no sid check, a duplicated or late 11/31 of an old session restarts a recording
  that is live again: a double recording, and the next copy makes another (chaos). When nothing
  is lost it does well: notifications are fast.
- **query-only, strict** takes any answer but a 200 as the end. A failover answers 404 for up to
  90 s, a flaky API answers 50x, 206 and 429: each one restarts a live recording, which then runs
  twice (failoverStorm, flakyApi, chaos). It sees a real quit only at its next poll.
- **Agora's advice as written** backs off 5, 10, 15 s on 404, which does not cover a 60–90 s server
  loss (Agora's own page says so): those recordings are restarted while they move, then resume, and
  run twice (failoverStorm, chaos). Without notifications, every quit takes a poll and 30 s.
- **recwatch** uses both: notifications for speed (deduplicated, reordered, stale sids set
  aside), queries for truth, 404 probing that outlasts a failover, and restarts only on evidence.`;
