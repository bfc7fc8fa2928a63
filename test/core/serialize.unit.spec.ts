import { describe, expect, it } from 'vitest';
import {
  CORE_STATE_VERSION,
  CoreStateError,
  deserializeCore,
  recordingState,
  serializeCore,
} from '../../src/index.js';
import { fold } from './fold.js';
import { alive, at, start, started, stop } from './inputs.js';

const stopped = (s: number) => ({
  at: at(s),
  type: 'stopResult',
  recording: 'r1',
  sid: 'S1',
  httpStatus: 200,
  body: { resourceId: 'RES-S1', sid: 'S1', serverResponse: { uploadingStatus: 'uploaded' } },
});

const reload = (json: unknown) => deserializeCore(JSON.parse(JSON.stringify(json)));

describe('a serialized core state', () => {
  it('restores a stopped recording as ended, like the state it was saved from', () => {
    const { state } = fold([start(0), started(1, 'S1'), alive(6, 'S1'), stop(10), stopped(11)]);
    const restored = reload(serializeCore(state));
    expect(recordingState(restored, 'r1')).toBe('stopped');
    expect(restored.recordings.get('r1')?.snapshot.status).toBe('done');
    expect(restored.recordings.get('r1')?.wake).toBeNull();
  });

  it('is refused with a CoreStateError when its version is another', () => {
    const json = serializeCore(fold([start(0)]).state);
    expect(() => reload({ ...json, version: CORE_STATE_VERSION + 1 })).toThrow(CoreStateError);
  });

  it('is refused with a CoreStateError naming a state the machine does not have', () => {
    const json = serializeCore(fold([start(0), started(1, 'S1')]).state);
    const recordings = json.recordings.map(([id, persisted]) => [
      id,
      { ...persisted, value: 'paused' },
    ]);
    const broken = { ...json, recordings };
    expect(() => reload(broken)).toThrow(CoreStateError);
    expect(() => reload(broken)).toThrow(/no state "paused"/);
  });
});
