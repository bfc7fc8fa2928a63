#!/usr/bin/env node
import { runCli } from './run.js';

runCli(process.argv.slice(2), { out: process.stdout, err: process.stderr }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`recwatch: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 70;
  },
);
