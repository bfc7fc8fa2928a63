// The demo's --durability flag: its log at 'normal' unless asked, 'full' on request, anything
// else refused by name.
import { describe, expect, it } from 'vitest';
import { DemoUsageError, parseDemoArgs } from '../../src/demo/options.js';

describe('recwatch demo --durability', () => {
  it("is 'normal' unless asked, 'full' or 'normal' when asked", () => {
    expect(parseDemoArgs([]).durability).toBe('normal');
    expect(parseDemoArgs(['--durability', 'full']).durability).toBe('full');
    expect(parseDemoArgs(['--durability=normal']).durability).toBe('normal');
  });

  it('refuses any other value, naming the flag', () => {
    expect(() => parseDemoArgs(['--durability', 'off'])).toThrow(DemoUsageError);
    expect(() => parseDemoArgs(['--durability', 'FULL'])).toThrow(/--durability/);
  });
});
