import { describe, expect, it } from 'vitest';
import { isRecwatchError } from '../../src/errors/index.js';
import {
  resolveProfile,
  SimulatorOptionsError,
  startSimulator,
  type TrueRecording,
  truthStateAt,
} from '../../src/sim/index.js';

describe('simulator options', () => {
  it.each([
    [{ profile: 'nope' as never }, /unknown profile 'nope'/],
    [{ overrides: { delivery: { lost: 1.5 } } }, /delivery\.lost must be a probability/],
    [
      { overrides: { life: { processKillPerHour: -1 } } },
      /processKillPerHour must be a finite number >= 0/,
    ],
    [{ webhookUrl: 'ftp://x' }, /webhookUrl/],
    [{ port: 70_000 }, /port/],
    [{ seed: 1.5 }, /seed/],
    [{ qpsLimit: 0 }, /qpsLimit/],
  ])('refuses %j with a SimulatorOptionsError', async (options, message) => {
    const error = await startSimulator(options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SimulatorOptionsError);
    expect(isRecwatchError(error, 'SIM_OPTIONS')).toBe(true);
    expect((error as Error).message).toMatch(message);
  });

  it('never puts a secret in an error message', async () => {
    const error = await startSimulator({
      customerSecret: 'top-secret-value',
      secret: 'webhook-secret-value',
      port: -1,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SimulatorOptionsError);
    expect((error as Error).message).not.toContain('secret-value');
  });

  it('applies overrides on top of a named profile', () => {
    const profile = resolveProfile('chaos', { delivery: { lost: 0 } });
    expect(profile.delivery.lost).toBe(0);
    expect(profile.delivery.reordered).toBe(0.1);
    expect(profile.name).toBe('chaos');
  });
});

describe('truthStateAt', () => {
  const recording: TrueRecording = {
    type: 'recording',
    sid: 'S',
    resourceId: 'R',
    cname: 'c',
    mode: 'mix',
    uid: '1',
    startedAt: 100,
    uids: ['1', '2'],
    states: [
      { at: 100, state: 'starting' },
      { at: 2_100, state: 'recording' },
      { at: 5_000, state: 'failoverPending' },
      { at: 20_000, state: 'recording' },
      { at: 30_000, state: 'quit' },
    ],
    failovers: [{ n: 0, kind: 'processKill', at: 5_000, resumedAt: 20_000, newUid: '2' }],
    quit: { at: 30_000, cause: 'abnormalExit' },
    files: [],
    faults: [],
  };

  it('reads the state in force at a time', () => {
    expect(truthStateAt(recording, 99)).toBeUndefined();
    expect(truthStateAt(recording, 100)).toBe('starting');
    expect(truthStateAt(recording, 4_999)).toBe('recording');
    expect(truthStateAt(recording, 5_000)).toBe('failoverPending');
    expect(truthStateAt(recording, 25_000)).toBe('recording');
    expect(truthStateAt(recording, 1e12)).toBe('quit');
  });
});
