// The options of several instances: an instance name needs a log that can be shared.
import { describe, expect, it } from 'vitest';
import { ConfigurationError, createSupervisor, VirtualClock } from '../../src/index.js';

const base = {
  agora: { appId: 'app', customerId: 'cid', customerSecret: 'very-secret-value' },
  clientRequest: () => ({}),
  clock: new VirtualClock(0),
} as const;

describe('instance and heartbeatMs', () => {
  it.each([
    ['an instance on a SQLite path', { log: 'x.db', instance: 'host-a' }, /needs a log shared/],
    ['an instance on the memory log', { log: 'memory', instance: 'host-a' }, /needs a log shared/],
    ['an empty instance name', { log: 'memory', instance: '' }, /non-empty string/],
    ['a heartbeat of 0 ms', { log: 'memory', heartbeatMs: 0 }, /heartbeatMs/],
  ])('refuses %s with a ConfigurationError', async (_name, extra, message) => {
    const opening = createSupervisor({ ...base, ...extra });
    await expect(opening).rejects.toBeInstanceOf(ConfigurationError);
    await expect(opening).rejects.toThrow(message);
  });
});
