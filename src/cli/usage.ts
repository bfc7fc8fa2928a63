// What each command takes: for its usage errors and for `recwatch --help`, which must not load
// the commands themselves (SQLite, zod) to print it.

export const REPLAY_USAGE = `recwatch replay <trace.jsonl | log.db | -> [--json]
  Rebuilds every recording's state from a trace (JSON Lines, format v1; a file, a pipe, or
  stdin as '-') or a SQLite event log, with no network and no clock. Reads its input only,
  never changes or creates it. Prints a timeline (time, position, decision, input, state after)
  and the final picture; --json prints only the final picture as JSON. Unreadable trace lines
  are reported with their line number and skipped; a file with no valid line is an error.`;

export const EXPORT_USAGE = `recwatch export <log.db> [--out trace.jsonl [--force]]
  Writes the trace (JSON Lines, format v1) of a SQLite event log: every input in log order,
  rejects included as {"type":"reject"} lines. Reads the log only, never changes or creates it.
  Prints to stdout unless --out is given; an existing --out file is replaced only with --force,
  and never when it is the log itself.`;
