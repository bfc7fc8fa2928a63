// A finished recording leaves the core's memory after a retention time or past a cap (issue 10:
// 20,000 stopped recordings held 38.5 MB of heap and a 21 MB snapshot); the log keeps it.
import { describe, expect, it } from 'vitest';
import {
  type CoreState,
  createCore,
  type Decision,
  deserializeCore,
  picture,
  recordingPicture,
  recordingState,
  replayUntrusted,
  resolveCoreOptions,
  serializeCore,
  stepUntrusted,
} from '../../src/core/index.js';
import { fold } from './fold.js';
import { alive, at, note, start, started, stop, tick } from './inputs.js';

const stopped = (s: number, recording: string, sid: string) => ({
  at: at(s),
  type: 'stopResult',
  recording,
  sid,
  httpStatus: 200,
  body: { resourceId: `RES-${sid}`, sid, serverResponse: { uploadingStatus: 'uploaded' } },
});

/** One recording's life: started, confirmed, stopped by the host, the stop confirmed. */
const life = (s: number, recording: string, sid = `S-${recording}`) => [
  start(s, recording),
  started(s, sid, recording),
  alive(s, sid, 5, recording),
  stop(s, recording),
  stopped(s, recording, sid),
];

const decisionsOf = (outputs: readonly unknown[], position: number) =>
  outputs.filter(
    (o): o is Decision =>
      (o as Decision).kind === 'decision' && (o as Decision).position === position,
  );

describe('finished recordings in the core', () => {
  it('holds at most maxFinishedRecordings of 20,000 stopped recordings, and a snapshot to match', () => {
    const options = resolveCoreOptions();
    let state: CoreState = createCore();
    for (let i = 0; i < 20_000; i += 1)
      for (const input of life(i / 1000, `r${i}`))
        state = stepUntrusted(state, input, options).state;
    expect(state.recordings.size).toBe(options.maxFinishedRecordings);
    expect(state.sidOwners.size).toBe(options.maxFinishedRecordings);
    // The earliest finished left first; the latest are still known.
    expect(recordingState(state, 'r0')).toBeUndefined();
    expect(recordingState(state, 'r19999')).toBe('stopped');
    const bytes = JSON.stringify(serializeCore(state, options)).length;
    // About 1 KB per recording held: 20,000 would be twice this.
    expect(bytes).toBeLessThan(options.maxFinishedRecordings * 1_500);
  });

  it('forgets a finished recording on the first tick after retainFinishedMs', () => {
    const options = resolveCoreOptions({ retainFinishedMs: 60_000 });
    const { state } = fold([...life(0, 'r1'), start(10, 'r2'), tick(59)], createCore(), options);
    expect(recordingState(state, 'r1')).toBe('stopped');
    const later = fold([tick(60)], state, options).state;
    expect(recordingState(later, 'r1')).toBeUndefined();
    expect(recordingPicture(later, 'r1')).toBeUndefined();
    expect(Object.keys(picture(later).recordings)).toEqual(['r2']);
    expect(later.sidOwners.has('S-r1')).toBe(false);
  });

  it('never forgets a recording that is still live', () => {
    const options = resolveCoreOptions({ retainFinishedMs: 1_000, maxFinishedRecordings: 1 });
    const inputs = [start(0, 'live'), started(0, 'S-live', 'live'), alive(1, 'S-live', 5, 'live')];
    const { state: capped } = fold(
      [...inputs, ...life(2, 'a'), ...life(3, 'b')],
      createCore(),
      options,
    );
    // Past the cap of one, the earlier finished left; the live one stays.
    expect([...capped.recordings.keys()].sort()).toEqual(['b', 'live']);
    const { state } = fold([tick(3_600)], capped, options);
    expect([...state.recordings.keys()]).toEqual(['live']);
    expect(state.sidOwners.get('S-live')).toBe('live');
  });

  it('decides late news of a forgotten recording’s sid as unrouted, and never brings it back', () => {
    const options = resolveCoreOptions({ retainFinishedMs: 60_000 });
    const head = fold([...life(0, 'r1'), tick(700)], createCore(), options);
    expect(recordingState(head.state, 'r1')).toBeUndefined();
    const late = fold([note(701, 'S-r1', 9, 41, { leaveCode: 2 }), tick(740)], head.state, options);
    const position = head.state.position + 1;
    const decided = decisionsOf(late.outputs, position);
    expect(decided.map((d) => d.decision)).toEqual(['held', 'held', 'unrouted']);
    expect(decided[1]?.reason).toBe('sid S-r1 not known yet');
    const unrouted = decided[2];
    expect(unrouted?.reason).toContain('left memory');
    expect(recordingState(late.state, 'r1')).toBeUndefined();
    expect(late.state.recordings.size).toBe(0);
    // The stray sid is not remembered either: dedupe and reorder forget it.
    expect(late.state.reorder.sids.has('S-r1')).toBe(false);
    expect(late.state.dedupe.sids.get('S-r1')?.finishedAt).not.toBeNull();
  });

  it('rejects a host command for a forgotten recording, and starts a new one of that id', () => {
    const options = resolveCoreOptions({ retainFinishedMs: 60_000 });
    const head = fold([...life(0, 'r1'), tick(700)], createCore(), options);
    const stopAgain = fold([stop(701, 'r1')], head.state, options);
    expect(decisionsOf(stopAgain.outputs, head.state.position + 1)).toMatchObject([
      { decision: 'rejected', reason: "unknown recording 'r1'" },
    ]);
    const again = fold([start(702, 'r1')], head.state, options);
    expect(recordingState(again.state, 'r1')).toBe('starting');
  });

  it('rebuilds from a snapshot exactly as a replay does, forgetting at the same points', () => {
    const options = resolveCoreOptions({ retainFinishedMs: 30_000, maxFinishedRecordings: 3 });
    const inputs = [];
    for (let i = 0; i < 12; i += 1) inputs.push(...life(i * 10, `r${i}`), tick(i * 10 + 5));
    const whole = fold(inputs, createCore(), options);
    for (let cut = 0; cut <= inputs.length; cut += 7) {
      const head = fold(inputs.slice(0, cut), createCore(), options);
      const saved = JSON.parse(JSON.stringify(serializeCore(head.state, options)));
      const tail = fold(inputs.slice(cut), deserializeCore(saved, options), options);
      expect(JSON.stringify(serializeCore(tail.state, options))).toBe(
        JSON.stringify(serializeCore(whole.state, options)),
      );
    }
    const replayed = replayUntrusted(inputs, {
      options: { retainFinishedMs: 30_000, maxFinishedRecordings: 3 },
    }).state;
    expect(JSON.stringify(serializeCore(replayed, options))).toBe(
      JSON.stringify(serializeCore(whole.state, options)),
    );
    expect(whole.state.recordings.size).toBeLessThanOrEqual(3);
  });
});
