// `recwatch sim` prints the variables the README's quick start reads, ready to export.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SIM_APP_CERTIFICATE, simEnvLines } from '../../src/cli/commands/sim.js';
import { VirtualClock } from '../../src/clock/index.js';
import { startSimulator } from '../../src/sim/index.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('recwatch sim: AGORA_* lines', () => {
  it('gives every variable the quick start reads, with the simulator’s values', async () => {
    const sim = await startSimulator({ clock: new VirtualClock(0) });
    try {
      const lines = simEnvLines(sim, false);
      const env = Object.fromEntries(lines.map((line) => line.split('=') as [string, string]));
      const read = new Set([...readme.matchAll(/process\.env\.(AGORA_[A-Z_]+)/g)].map((m) => m[1]));
      expect(new Set(Object.keys(env))).toEqual(read);
      expect(env).toEqual({
        AGORA_APP_ID: sim.credentials.appId,
        AGORA_CUSTOMER_ID: sim.credentials.customerId,
        AGORA_CUSTOMER_SECRET: sim.credentials.customerSecret,
        AGORA_APP_CERTIFICATE: SIM_APP_CERTIFICATE,
        AGORA_NCS_SECRET: sim.credentials.secret,
        AGORA_BASE_URL: sim.baseUrl,
      });
    } finally {
      await sim.close();
    }
  });

  it('does not echo a webhook secret the user gave', async () => {
    const sim = await startSimulator({ clock: new VirtualClock(0), secret: 'mine' });
    try {
      const lines = simEnvLines(sim, true).join('\n');
      expect(lines).not.toContain('mine');
      expect(lines).toContain('# AGORA_NCS_SECRET');
    } finally {
      await sim.close();
    }
  });
});
