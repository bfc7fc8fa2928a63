// The page's pictures: every recording's view at any step, through the checkpoints it keeps.
import { describe, expect, it } from 'vitest';
import { Pictures } from '../../src/inspect/page/pictures.js';
import type { WireRecording, WireStep } from '../../src/inspect/page/wire.js';

const view = (state: string, restarts: number) => ({ state, restarts }) as unknown as WireRecording;
const step = (position: number, id: string, after: WireRecording) =>
  ({
    position,
    at: position,
    received: { kind: 'input', record: {} },
    decisions: [],
    changed: { [id]: { after, events: [], path: [] } },
  }) as WireStep;

describe('Pictures', () => {
  it('keeps a recording changed only before the first checkpoint, at every later step', () => {
    const pictures = new Pictures({ base: view('recording', 0) });
    pictures.push(step(1, 'early', view('stopped', 0)));
    for (let i = 2; i <= 1000; i += 1) pictures.push(step(i, 'busy', view('recording', i)));
    for (const index of [0, 254, 255, 256, 511, 512, 999]) {
      const at = pictures.at(index);
      expect(at.early?.state, `at ${index}`).toBe('stopped');
      expect(at.base?.state).toBe('recording');
    }
    expect(pictures.at(-1)).toEqual({ base: view('recording', 0) });
    expect(pictures.at(999).busy).toEqual(view('recording', 1000));
    expect(pictures.at(300).busy).toEqual(view('recording', 301));
  });

  it('gives the same view through checkpoints as folding every step from the base', () => {
    const pictures = new Pictures({});
    const steps: WireStep[] = [];
    for (let i = 1; i <= 900; i += 1) {
      const s = step(i, `r${(i * 7) % 13}`, view(i % 5 === 0 ? 'failoverPending' : 'recording', i));
      steps.push(s);
      pictures.push(s);
    }
    for (const index of [0, 255, 256, 257, 640, 899]) {
      const folded: Record<string, WireRecording> = {};
      for (const s of steps.slice(0, index + 1))
        for (const [id, c] of Object.entries(s.changed)) folded[id] = c.after;
      expect(pictures.at(index), `at ${index}`).toEqual(folded);
    }
  });
});
