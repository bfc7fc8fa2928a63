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
