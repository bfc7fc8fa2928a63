// `recwatch scenarios`: truth under faults, recwatch against the baselines on every profile.
import { existsSync, writeFileSync } from 'node:fs';
import { parseDuration } from '../../demo/options.js';
import { reportMarkdown } from '../../fleet/report.js';
import { runScenarios } from '../../fleet/scenarios.js';
import { PROFILE_NAMES, type ProfileName } from '../../sim/index.js';
import { parseCommand } from '../args.js';
import { CliError, EXIT, shortPath, UsageError } from '../errors.js';
import type { CliIo } from '../run.js';

/** `recwatch scenarios`: resolves to the exit code (0, or 64 for a usage error). */
export async function scenariosCommand(args: readonly string[], io: CliIo): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  let durationMs: number;
  let profiles: ProfileName[];
  let seeds: number;
  let recordings: number;
  try {
    ({ values } = parseCommand(
      {
        options: {
          seeds: { type: 'string' },
          recordings: { type: 'string' },
          duration: { type: 'string' },
          profiles: { type: 'string' },
          md: { type: 'string' },
          json: { type: 'string' },
          force: { type: 'boolean' },
        },
        positionals: [],
      },
      args,
    ));
    durationMs = parseDuration(typeof values.duration === 'string' ? values.duration : '60m');
    profiles = (
      typeof values.profiles === 'string' ? values.profiles.split(',') : [...PROFILE_NAMES]
    ).map((name) => {
      if (!(PROFILE_NAMES as readonly string[]).includes(name))
        throw new Error(`unknown profile '${name}'`);
      return name as ProfileName;
    });
    seeds = Number(values.seeds ?? 5);
    recordings = Number(values.recordings ?? 40);
    if (!Number.isInteger(seeds) || seeds < 1 || seeds > 20)
      throw new Error('--seeds must be 1..20');
    if (!Number.isInteger(recordings) || recordings < 1 || recordings > 200)
      throw new Error('--recordings must be 1..200');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    // One line naming the problem; `recwatch scenarios --help` shows the usage.
    throw new UsageError((error as Error).message);
  }
  // Checked before the long run: an existing report is replaced only with --force.
  for (const path of [values.md, values.json]) {
    if (typeof path === 'string' && existsSync(path) && values.force !== true)
      throw new CliError(`${shortPath(path)} exists; add --force to replace it`, EXIT.cantCreate);
  }
  const report = await runScenarios({
    profiles,
    seeds: Array.from({ length: seeds }, (_, i) => i + 1),
    recordings,
    durationMs,
    onRun: (run) =>
      io.err.write(
        `${run.profile} seed ${run.seed} ${run.observer}: final ${(run.score.finalAccuracy * 100).toFixed(0)} %, spurious ${run.score.spuriousRestarts}, doubles ${run.score.doubleRecordings} (${(run.wallMs / 1000).toFixed(1)} s)\n`,
      ),
  });
  const markdown = reportMarkdown(report);
  if (typeof values.md === 'string') writeFileSync(values.md, markdown);
  else io.out.write(markdown);
  if (typeof values.json === 'string')
    writeFileSync(values.json, `${JSON.stringify(report, null, 2)}\n`);
  return 0;
}
