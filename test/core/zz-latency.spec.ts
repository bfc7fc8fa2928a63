import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'vitest';
import { holdLatency } from './hold-latency.js';

it('prints', () => {
  const dir = '/work/wt/truth/test/traces';
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .map((f) => join(dir, f));
  console.log(JSON.stringify(holdLatency(files)));
});
