// Errors a host reacts to are one family: each a RecwatchError subclass with a stable code, told
// apart by `isRecwatchError(error, code)`; a parse issue carries a code as well as a message.
import { describe, expect, it } from 'vitest';
import { MachineError, restoreRecording } from '../../machines/index.js';
import { initialContext } from '../../machines/recording.machine.js';
import { Replay, ReplayFinishedError } from '../../src/core/index.js';
import {
  createCore,
  createMemoryLog,
  InvalidArgumentError,
  isRecwatchError,
  Journal,
  LogGapError,
  parseNotification,
  parseTraceRecord,
  RecwatchError,
  VirtualClock,
} from '../../src/index.js';
import { delegate } from '../runtime/delegate.js';

const T0 = 1_700_000_000_000;

describe('typed errors', () => {
  it('gives a bad argument an InvalidArgumentError with its code, not a bare RangeError', () => {
    const thrown = (() => {
      try {
        new VirtualClock(-1);
      } catch (error) {
        return error;
      }
    })();
    expect(thrown).toBeInstanceOf(InvalidArgumentError);
    expect(thrown).toBeInstanceOf(RecwatchError);
    expect(isRecwatchError(thrown, 'INVALID_ARGUMENT')).toBe(true);
    expect(isRecwatchError(thrown, 'LOG_CLOSED')).toBe(false);
    expect(isRecwatchError(new RangeError('x'))).toBe(false);
  });

  it("recognises the machine's own errors by their code, though they cannot extend RecwatchError", () => {
    const thrown = (() => {
      try {
        restoreRecording({ value: 'paused', context: initialContext({ recording: 'r1' }) });
      } catch (error) {
        return error;
      }
    })();
    expect(thrown).toBeInstanceOf(MachineError);
    expect(isRecwatchError(thrown, 'UNKNOWN_STATE_VALUE')).toBe(true);
    expect(isRecwatchError(thrown, 'MACHINE_COMPILE')).toBe(false);
    expect(isRecwatchError(new Error('paused'))).toBe(false);
  });

  it('narrows the code when a code is asked for', () => {
    const error: unknown = new ReplayFinishedError();
    if (isRecwatchError(error, 'REPLAY_FINISHED')) {
      const code: 'REPLAY_FINISHED' = error.code;
      expect(code).toBe('REPLAY_FINISHED');
    } else expect.unreachable();
  });

  it('refuses a misspelt code at compile time (a typo would otherwise never match)', () => {
    const error: unknown = new ReplayFinishedError();
    // @ts-expect-error: 'REPLAY_FINISHD' is no recwatch error code (npm test's tsc checks this).
    expect(isRecwatchError(error, 'REPLAY_FINISHD')).toBe(false);
    expect(isRecwatchError(error, 'REPLAY_FINISHED')).toBe(true);
  });

  it('refuses a replay fold used after finish with ReplayFinishedError', () => {
    const fold = new Replay(createCore());
    fold.input({ at: T0, type: 'tick' });
    fold.finish();
    expect(() => fold.input({ at: T0 + 1, type: 'tick' })).toThrow(ReplayFinishedError);
  });

  it('says LogGapError, with the positions, when log entries before a receive cannot be read', async () => {
    const log = createMemoryLog();
    const journal = await Journal.open({ ...delegate(log), readAll: async () => [] });
    // Another writer's entries the journal has not stepped, then lost to its reads.
    await log.append('clock', [{ kind: 'input', at: T0, record: { at: T0, type: 'tick' } }], {
      expectedVersion: 'any',
    });
    const receiving = journal.receive({ at: T0 + 1, type: 'tick' });
    await expect(receiving).rejects.toThrow(LogGapError);
    await expect(receiving).rejects.toMatchObject({ code: 'LOG_GAP', from: 1, to: 1 });
    await journal.close();
  });
});

describe('parse issues carry a code', () => {
  it.each([
    ['a body that is not JSON', () => parseNotification('{'), 'not_json'],
    [
      'a notification without its noticeId',
      () =>
        parseNotification({
          productId: 3,
          eventType: 40,
          notifyMs: T0,
          payload: { cname: 'c', uid: '1', sid: 'S1', sequence: 1, sendts: T0, details: {} },
        }),
      'missing',
    ],
    [
      'a field of the wrong type',
      () => parseTraceRecord({ at: 'soon', type: 'tick' }),
      'invalid_type',
    ],
    [
      // A mode recwatch does not know yet is kept; one that is no mode name is refused.
      'a mode that is no mode name',
      () =>
        parseTraceRecord({
          at: T0,
          type: 'start',
          recording: 'r',
          cname: 'c',
          uid: '1',
          mode: 'mix/../x',
        }),
      'invalid_value',
    ],
    [
      'an empty recording id',
      () => parseTraceRecord({ at: T0, type: 'stop', recording: '' }),
      'too_small',
    ],
    [
      'a value that throws when read',
      () =>
        parseTraceRecord(
          new Proxy(
            {},
            {
              get: () => {
                throw new Error('boom');
              },
              has: () => {
                throw new Error('boom');
              },
              ownKeys: () => {
                throw new Error('boom');
              },
            },
          ),
        ),
      'unreadable',
    ],
  ])('codes %s', (_what, parse, code) => {
    const result = parse();
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.issues[0]?.code).toBe(code);
    expect(result.error.message).toBe(
      `${result.error.issues[0]?.path}: ${result.error.issues[0]?.problem}`,
    );
  });
});
