// `npm run bench`: every suite of bench/suites.ts, each row against a baseline measured in the
// same run; results go to bench/results.json (the other suites' last figures are kept).
// `-- --only <suite|row>` runs what is named; `-- --check` exits 1 when a row misses its target.
import { fileURLToPath } from 'node:url';
import { BenchUsageError, parseArgs, runBench } from './harness.js';
import { SUITES } from './suites.js';

const out = fileURLToPath(new URL('../../bench/results.json', import.meta.url));
try {
  const request = parseArgs(process.argv.slice(2), out);
  const { misses } = await runBench(SUITES, request);
  if (misses.length > 0) {
    console.error(`bench: ${misses.length} target(s) missed:`);
    for (const miss of misses) console.error(`  ${miss.suite}/${miss.row}: ${miss.why}`);
    if (request.check) process.exitCode = 1;
  } else console.error('bench: every target met');
} catch (error) {
  if (!(error instanceof BenchUsageError)) throw error;
  console.error(`bench: ${error.message}`);
  process.exitCode = 64;
}
