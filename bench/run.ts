// `npm run bench`: every benchmark, each against a baseline measured in the same run; results
// go to bench/results.json. `npm run bench -- core` or `-- log` runs one suite and keeps the
// other suites' last figures (each suite carries the date and Node it ran with).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { runCoreBench } from './core.bench.js';
import { runLogBench } from './log.bench.js';
import { runSupervisorBench } from './supervisor.bench.js';

const SUITES: Record<string, () => Promise<Record<string, unknown>>> = {
  core: () => runCoreBench(),
  log: () => runLogBench(),
  supervisor: () => runSupervisorBench(),
};

const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !(name in SUITES));
if (unknown.length > 0) {
  console.error(
    `bench: no suite ${unknown.join(', ')} (suites: ${Object.keys(SUITES).join(', ')})`,
  );
  process.exit(64);
}
const names = asked.length > 0 ? asked : Object.keys(SUITES);
const path = new URL('../../bench/results.json', import.meta.url);
const previous = existsSync(path)
  ? (JSON.parse(readFileSync(path, 'utf8')) as { suites?: Record<string, unknown> })
  : {};
const suites: Record<string, unknown> = { ...previous.suites };
for (const name of names) {
  const started = performance.now();
  process.stderr.write(`bench: ${name}...\n`);
  const date = new Date().toISOString();
  const suite = await (SUITES[name] as () => Promise<Record<string, unknown>>)();
  suites[name] = { date, node: process.version, ...suite };
  process.stderr.write(
    `bench: ${name} done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );
}
const results = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  suites,
};
writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
console.log(JSON.stringify(results, null, 2));
