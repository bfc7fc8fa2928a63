import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROFILE_NAMES } from '../../src/sim/index.js';

const doc = readFileSync(new URL('../../docs/simulator.md', import.meta.url), 'utf8');

describe('docs/simulator.md', () => {
  it('shows the host integration test exactly as it runs in test/sim/host-example.e2e.spec.ts', () => {
    const example = readFileSync(new URL('./host-example.e2e.spec.ts', import.meta.url), 'utf8');
    expect(doc).toContain(`\`\`\`ts\n${example}\`\`\``);
  });

  it('documents every profile', () => {
    for (const name of PROFILE_NAMES) expect(doc).toContain(`| \`${name}\` |`);
  });
});
