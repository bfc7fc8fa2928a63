// The sample traces shipped in docs/traces/ are the rule traces of test/traces/, byte for byte,
// so the pictures a user replays them to are the ones the rule trace tests expect.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const DOCS = new URL('../../docs/traces/', import.meta.url);
const RULES = new URL('../traces/', import.meta.url);

const SAMPLES: Readonly<Record<string, string>> = {
  'failover.jsonl': 'rule-04-failover.jsonl',
  'restart.jsonl': 'rule-07-restart.jsonl',
  'host-stop.jsonl': 'rule-10-host-stop.jsonl',
};

describe('the sample traces shipped in docs/traces/', () => {
  it('are exactly the listed samples', () => {
    expect(readdirSync(DOCS).sort()).toEqual(Object.keys(SAMPLES).sort());
  });

  it.each(Object.entries(SAMPLES))('%s is %s, byte for byte', (sample, rule) => {
    expect(readFileSync(new URL(sample, DOCS))).toEqual(readFileSync(new URL(rule, RULES)));
  });
});
