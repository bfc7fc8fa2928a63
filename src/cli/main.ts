#!/usr/bin/env node
import { EXIT } from './errors.js';
import { runCli } from './run.js';

// A reader that goes away (`recwatch replay t.jsonl | head`) is not an error to report.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') process.stderr.write(`recwatch: stdout: ${error.message}\n`);
  process.exit(error.code === 'EPIPE' ? EXIT.brokenPipe : EXIT.io);
});

runCli(process.argv.slice(2), {
  out: process.stdout,
  err: process.stderr,
  in: process.stdin,
  outFd: 1,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A bug in recwatch: the stack trace is what a report needs.
    process.stderr.write(`recwatch: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = EXIT.software;
  },
);
