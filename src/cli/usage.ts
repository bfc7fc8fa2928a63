// What each command takes: for its usage errors and for `recwatch --help`, which must not load
// the commands themselves (SQLite, zod) to print it.

export const REPLAY_USAGE = `recwatch replay <trace.jsonl | log.db | -> [--json] [--options <file.json>]
  Rebuilds every recording's state from a trace (JSON Lines, format v1; a file, a pipe, or
  stdin as '-') or a SQLite event log, with no network and no clock. Reads its input only,
  never changes or creates it. Prints a timeline (time, position, decision, input, state after)
  and the final picture; --json prints only the final picture as JSON. Unreadable trace lines
  are reported with their line number and skipped; a file with no valid line is an error.
  Decisions read the options the input recorded (its 'options' records); --options replaces
  them with a file's (JSON, the core options, defaults for what it leaves out) and says on
  stderr which of them differ from the recorded ones.`;

export const MANIFEST_USAGE = `recwatch manifest <trace.jsonl | log.db | -> [--json]
  What was really recorded, per recording of a trace or SQLite event log (read-only): the time
  the host wanted (start to stop) against the time recorded, every gap with its cause (starting,
  failover, quit until a restart is live, gave up), and the sessions in order (sid, uid, mode,
  when each was live, how it ended), each with its playlists by failover (bak<n>_) and the
  files Agora reported (pending: an upload Agora said is stranded). --json prints it as JSON.`;

export const EXPORT_USAGE = `recwatch export <log.db> [--out trace.jsonl [--force]]
  Writes the trace (JSON Lines, format v1) of a SQLite event log: every input in log order,
  rejects included as {"type":"reject"} lines. Reads the log only, never changes or creates it.
  Prints to stdout unless --out is given; an existing --out file is replaced only with --force,
  and never when it is the log itself.`;

export const SIM_USAGE = `recwatch sim [--profile <name>] [--seed <n>] [--speed <x>] [--webhook <url>]
             [--secret <s>] [--port <n>] [--truth <file.jsonl> [--force]]
  Runs a fake Agora cloud recording service on loopback until interrupted (Ctrl-C): the REST API
  under /v1/apps/<appId>/cloud_recording/, signed notifications posted to --webhook, failovers
  and faults by profile (clean, lossy, redundantReordered, failoverStorm, flakyApi, chaos,
  lostExits, realWorld; default clean), all drawn from --seed (default 1). --speed 60 runs an
  hour of simulated time in a minute. Prints the AGORA_* variables of the quick start (App ID,
  customer id and secret, token, webhook secret, base URL); on exit prints a summary and, with --truth,
  writes what really happened to each recording as JSON Lines (an existing file is replaced
  only with --force). See docs/simulator.md.`;

export const MIGRATE_USAGE = `recwatch migrate <postgres://...> [--schema name]
  Creates the event log's tables in a PostgreSQL schema (default "recwatch"), or upgrades an
  older one; safe to run again. Opening a log migrates it too: this is for deploy scripts.`;

export const IMPORT_USAGE = `recwatch import <trace.jsonl | -> --to <log.db | postgres://...> [--schema name] [--append]
  Appends a trace (JSON Lines, format v1, as recwatch export writes it; - reads stdin) to a
  SQLite or PostgreSQL event log, in order. Refuses a log that is not empty unless --append
  (entries already there are then skipped by their keys). Moving a SQLite log to PostgreSQL:
  recwatch export log.db | recwatch import - --to postgres://...`;

export const INSPECT_USAGE = `recwatch inspect <trace.jsonl | log.db> [--port N]
  Serves the inspector page on 127.0.0.1 (any free port unless --port) and prints its URL: the
  lifecycle statechart, every recording, the timeline of inputs with the core's decisions, and a
  scrubber. A log is opened read-only. Runs until Ctrl-C.`;

export const DEMO_USAGE = `recwatch demo [--recordings 50] [--profile chaos] [--seed 7] [--duration 1h]
              [--speed max] [--keep] [--json] [--no-inspect] [--inspect-port 0]
              [--durability normal]
  Runs the Agora simulator on loopback with faults (profiles: clean, lossy, redundantReordered,
  failoverStorm, flakyApi, chaos) and a recwatch supervisor in this process, on a simulated clock
  driven as fast as the machine allows (--speed N: at most N simulated seconds per real second).
  Shows the fleet live, then every recording's true final state against recwatch's and the
  score of the run. The SQLite log goes to a fresh temporary folder, kept with --keep, with
  durability 'normal' (fsync at checkpoints: a throwaway log) or 'full' (fsync at every commit,
  a host's default) by --durability; the run names it and counts its commits. --json
  prints only the score as JSON. Ctrl-C ends the run early with the summary so far. The
  inspector page (every recording, input and decision, live) is served on 127.0.0.1 and its URL
  printed first; on a terminal it stays open after the run until Ctrl-C. --no-inspect: no page.`;

export const SCENARIOS_USAGE = `recwatch scenarios [--seeds 5] [--recordings 40] [--duration 1h]
                   [--profiles clean,lossy,...] [--md report.md] [--json report.json] [--force]
  Truth under faults: runs recwatch and three baselines (webhook-only, query-only strict,
  Agora's advice) on every simulator profile and seed, scores each against the ground truth and
  prints the side-by-side report as Markdown (or writes it to --md, the figures to --json; an
  existing file is replaced only with --force).`;

export const SERVE_USAGE = `recwatch serve [--config recwatch.json] [--port N] [--host H] [--openapi]
  Runs recwatch as a service any backend can use: Agora's webhook, a JSON host API with bearer
  tokens (start, stop, update, get, list, picture), server-sent events, signed outbound webhooks,
  /healthz, /readyz, /metrics (Prometheus) and /openapi.json. Configuration from the JSON file
  (or RECWATCH_CONFIG) and the environment; secrets only from the environment (or NAME_FILE).
  SIGTERM or SIGINT drains (bounded by drainTimeoutMs, default 10 s); a second signal exits at
  once. --openapi prints the OpenAPI document. See docs/service.md.`;
