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

export const INSPECT_USAGE = `recwatch inspect <trace.jsonl | log.db> [--port N]
  Serves the inspector page on 127.0.0.1 (any free port unless --port) and prints its URL: the
  lifecycle statechart, every recording, the timeline of inputs with the core's decisions, and a
  scrubber. A log is opened read-only. Runs until Ctrl-C.`;
