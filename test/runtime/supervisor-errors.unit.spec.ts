import { afterEach, describe, expect, it } from 'vitest';
import {
  ConfigurationError,
  createSupervisor,
  InvalidCommandError,
  isRecwatchError,
  NoSessionError,
  RecordingExistsError,
  type Supervisor,
  SupervisorClosedError,
  UnknownRecordingError,
  VirtualClock,
} from '../../src/index.js';

const agora = {
  appId: 'app',
  customerId: 'cid',
  customerSecret: 'very-secret-value',
  baseUrl: 'http://127.0.0.1:9',
  retryDelaysMs: [],
};
const base = {
  agora,
  clientRequest: () => ({}),
  log: 'memory',
  clock: new VirtualClock(0),
} as const;
let opened: Supervisor | undefined;
afterEach(async () => {
  await opened?.close();
  opened = undefined;
});

describe('the errors a host sees', () => {
  it.each([
    ['no credentials', { ...base, agora: { ...agora, appId: '' } }, 'agora.appId'],
    ['no clientRequest', { ...base, clientRequest: undefined }, 'clientRequest'],
    ['a QPS of 0', { ...base, qps: 0 }, 'qps'],
    ['a bad base URL', { ...base, agora: { ...agora, baseUrl: 'api.agora.io' } }, 'baseUrl'],
    ['an empty log path', { ...base, log: '' }, 'log'],
    // The log would refuse them (rule 12), and replay with the defaults: refused at start.
    [
      'a poll interval that is not a number',
      { ...base, core: { recording: { pollIntervalMs: 'x' } } },
      'core: options.recording.pollIntervalMs',
    ],
    [
      'no restart delays',
      { ...base, core: { recording: { restartDelaysMs: [] } } },
      'restartDelaysMs',
    ],
    ['core options that are null', { ...base, core: null }, 'core: options'],
    ['a meterProvider that is not one', { ...base, meterProvider: {} }, 'meterProvider'],
    ['a meterProvider of true', { ...base, meterProvider: true }, 'meterProvider'],
  ])(
    'refuses %s with a ConfigurationError naming the option, never the secret',
    async (_name, options, named) => {
      const error = await createSupervisor(options as never).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ConfigurationError);
      expect(isRecwatchError(error, 'CONFIGURATION')).toBe(true);
      expect((error as Error).message).toContain(named);
      expect((error as Error).message).not.toContain('very-secret-value');
    },
  );

  it('refuses bad commands with typed errors', async () => {
    const supervisor = await createSupervisor(base);
    opened = supervisor;
    await expect(
      supervisor.start({ recording: '', cname: 'c', uid: '1', mode: 'mix' }),
    ).rejects.toBeInstanceOf(InvalidCommandError);
    await expect(
      // A mode recwatch does not know yet is kept (docs/lifecycle.md); this is no mode name.
      supervisor.start({ recording: 'r1', cname: 'c', uid: '1', mode: 'mix/../acquire' }),
    ).rejects.toThrow(/mode/);
    await supervisor.start({ recording: 'r1', cname: 'c', uid: '1', mode: 'mix' });
    await expect(
      supervisor.start({ recording: 'r1', cname: 'c', uid: '1', mode: 'mix' }),
    ).rejects.toBeInstanceOf(RecordingExistsError);
    await expect(supervisor.stop('nope')).rejects.toBeInstanceOf(UnknownRecordingError);
    await expect(supervisor.update('nope', { clientRequest: {} })).rejects.toBeInstanceOf(
      UnknownRecordingError,
    );
    // r1's start could not reach Agora: no session to update.
    await expect(supervisor.update('r1', { clientRequest: {} })).rejects.toBeInstanceOf(
      NoSessionError,
    );
    await supervisor.close();
    await supervisor.close(); // idempotent
    await expect(
      supervisor.start({ recording: 'r2', cname: 'c', uid: '1', mode: 'mix' }),
    ).rejects.toBeInstanceOf(SupervisorClosedError);
    await expect(supervisor.receiveWebhook({})).rejects.toBeInstanceOf(SupervisorClosedError);
  });

  it('answers a repeat of the same junk webhook with the same verdict: rejected, both times', async () => {
    const supervisor = await createSupervisor({ ...base, clock: new VirtualClock(1_000) });
    opened = supervisor;
    const junk = { eventType: 'not-a-number', payload: 'nope' };
    expect(await supervisor.receiveWebhook(junk)).toBe('rejected');
    expect(await supervisor.receiveWebhook(junk)).toBe('rejected');
    expect(supervisor.state.position).toBe(1);
  });
});
