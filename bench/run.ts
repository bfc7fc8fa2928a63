// `npm run bench`: every benchmark, each against a baseline measured in the same run; results
// go to bench/results.json. `npm run bench -- core` or `-- log` runs one suite.
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { runCoreBench } from './core.bench.js';
import { runLogBench } from './log.bench.js';

const SUITES: Record<string, () => Promise<Record<string, unknown>>> = {
  core: () => runCoreBench(),
  log: () => runLogBench(),
};

const wanted = process.argv.slice(2).filter((name) => name in SUITES);
const names = wanted.length > 0 ? wanted : Object.keys(SUITES);
const results: Record<string, unknown> = {
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  date: new Date().toISOString(),
  suites: {},
};
for (const name of names) {
  const started = performance.now();
  process.stderr.write(`bench: ${name}...\n`);
  const suite = await (SUITES[name] as () => Promise<Record<string, unknown>>)();
  (results.suites as Record<string, unknown>)[name] = suite;
  process.stderr.write(
    `bench: ${name} done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );
}
const path = new URL('../../bench/results.json', import.meta.url);
writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
console.log(JSON.stringify(results, null, 2));
