// Issue 26, kind 3: Individual Recording v2 (mode `raw`, Agora's 2026 migration guide) through the
// core, on both interpreters: its start reads, its notifications (`serviceScene:
// "rtsc/raw-recording"`) and a stop answered `uploadingStatus: "stranded"` decide as any mode's.
import { describe, expect, it } from 'vitest';
import { type CoreOutput, type Decision, picture, replayUntrusted } from '../../src/index.js';
import { alive, at, note, started, stop } from './inputs.js';

const rawNote = (s: number, sequence: number, eventType: number) => {
  const record = note(s, 'S1', sequence, eventType);
  const payload = record.body.payload as Record<string, unknown>;
  return {
    ...record,
    body: { ...record.body, payload: { ...payload, serviceScene: 'rtsc/raw-recording' } },
  };
};

describe('a raw recording (Individual Recording v2)', () => {
  it('is supervised like any mode: started, alive, stopped with its upload stranded', () => {
    const outputs: CoreOutput[] = [];
    const { state } = replayUntrusted(
      [
        { at: at(0), type: 'start', recording: 'r1', cname: 'room-r1', uid: '1001', mode: 'raw' },
        started(0.8, 'S1'),
        rawNote(1, 0, 40),
        rawNote(3, 1, 30),
        alive(10, 'S1'),
        stop(20),
        {
          at: at(21),
          type: 'stopResult',
          recording: 'r1',
          sid: 'S1',
          httpStatus: 200,
          body: {
            resourceId: 'RES-S1',
            sid: 'S1',
            serverResponse: { uploadingStatus: 'stranded' },
          },
        },
      ],
      { onOutput: (output) => outputs.push(output) },
    );
    const decisions = outputs.filter((o): o is Decision => o.kind === 'decision');
    expect(decisions.filter((d) => d.decision !== 'applied')).toEqual([]);
    expect(decisions.map((d) => d.state)).toEqual([
      'starting',
      'starting',
      'recording',
      'recording',
      'recording',
      'stopping',
      'stopped',
    ]);
    expect(picture(state).recordings.r1).toMatchObject({ state: 'stopped', sid: 'S1' });
  });
});
