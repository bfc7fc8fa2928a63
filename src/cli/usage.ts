// What each command takes: for its usage errors and for `recwatch --help`, which must not load
// the commands themselves (SQLite, zod) to print it.

export const REPLAY_USAGE = `recwatch replay <trace.jsonl | log.db> [--json]
  Rebuilds every recording's state from a trace (JSON Lines, format v1) or a SQLite event log,
  with no network and no clock. Prints a timeline (time, position, decision, input, state after)
  and the final picture; --json prints only the final picture as JSON. Unreadable trace lines are
  reported with their line number and skipped.`;

export const EXPORT_USAGE = `recwatch export <log.db> [--out trace.jsonl]
  Writes the trace (JSON Lines, format v1) of a SQLite event log: every input in log order,
  rejects included as {"type":"reject"} lines. Prints to stdout unless --out is given.`;

export const SIM_USAGE = `recwatch sim [--profile <name>] [--seed <n>] [--speed <x>] [--webhook <url>]
             [--secret <s>] [--port <n>] [--truth <file.jsonl>]
  Runs a fake Agora cloud recording service on loopback until interrupted (Ctrl-C): the REST API
  under /v1/apps/<appId>/cloud_recording/, signed notifications posted to --webhook, failovers
  and faults by profile (clean, lossy, redundantReordered, failoverStorm, flakyApi, chaos;
  default clean), all drawn from --seed (default 1). --speed 60 runs an hour of simulated time in
  a minute. Prints the base URL and credentials; on exit prints a summary and, with --truth,
  writes what really happened to each recording as JSON Lines. See docs/simulator.md.`;

export const DEMO_USAGE = `recwatch demo [--recordings 50] [--profile chaos] [--seed 7] [--duration 1h]
              [--speed max] [--keep] [--json]
  Runs the Agora simulator on loopback with faults (profiles: clean, lossy, redundantReordered,
  failoverStorm, flakyApi, chaos) and a recwatch supervisor in this process, on a simulated clock
  driven as fast as the machine allows (--speed N: at most N simulated seconds per real second).
  Shows the fleet live, then every recording's true final state against recwatch's and the
  score of the run. The SQLite log goes to a fresh temporary folder, kept with --keep; --json
  prints only the score as JSON. Ctrl-C ends the run early with the summary so far.`;

export const SCENARIOS_USAGE = `recwatch scenarios [--seeds 3] [--recordings 12] [--duration 1h]
                   [--profiles clean,lossy,...] [--md report.md] [--json report.json]
  Truth under faults: runs recwatch and three baselines (webhook-only, query-only strict,
  Agora's advice) on every simulator profile and seed, scores each against the ground truth and
  prints the side-by-side report as Markdown (or writes it to --md, the figures to --json).`;
