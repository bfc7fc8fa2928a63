// `recwatch replay --json` prints the final picture of every recording of the trace
// (lifecycle-rules.md §2): one that finished and left the core's memory (retainFinishedMs) while
// the trace went on still has its final state.
import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { cliInProcess } from '../cli/recwatch.js';
import { tempDir } from '../fixtures/temp-dir.js';
import { alive, note, start, started, stop, stopResult, tick, traceText } from './trace.js';

const work = tempDir('recwatch-final-');
afterAll(() => work.remove());

const r2 = (line: Record<string, unknown>) => ({
  ...line,
  recording: 'r2',
  ...(line.type === 'start' && { cname: 'room2' }),
  ...('sid' in line && { sid: `${line.sid}-2`, resourceId: `RES-${line.sid}-2` }),
});

/** Two recordings that finish, then an hour and more of the trace: both leave memory. */
const LONG = [
  start(0),
  started(1),
  r2(start(0)),
  r2(started(1)),
  tick(6),
  alive(6, 5),
  r2(alive(6, 5)),
  stop(30),
  stopResult(31, 200, { sid: 'S1', serverResponse: {} }),
  note(600, 41, 0, { leaveCode: 4 }, { sid: 'S1-2', cname: 'room2' }),
  tick(7200),
];

describe('the final picture of a replay', () => {
  it('keeps a recording that finished more than retainFinishedMs before the trace ended', async () => {
    const path = work.file('long.jsonl');
    writeFileSync(path, traceText(LONG));
    const { code, out } = await cliInProcess('replay', path, '--json');
    expect(code).toBe(0);
    const { recordings } = JSON.parse(out);
    expect(Object.keys(recordings)).toEqual(['r1', 'r2']);
    expect(recordings.r1).toMatchObject({ state: 'stopped', quitReason: 'stopped', sid: 'S1' });
    expect(recordings.r2).toMatchObject({ state: 'quit', quitReason: 'idle', sid: 'S1-2' });
  });

  it('keeps it in a replay of a SQLite log too, as text and as JSON', async () => {
    const trace = work.file('long-log.jsonl');
    writeFileSync(trace, traceText(LONG));
    const log = work.file('long.db');
    expect((await cliInProcess('import', trace, '--to', log)).code).toBe(0);
    const json = await cliInProcess('replay', log, '--json');
    expect(json.code).toBe(0);
    const { recordings } = JSON.parse(json.out);
    expect(Object.keys(recordings)).toEqual(['r1', 'r2']);
    expect(recordings.r1).toMatchObject({ state: 'stopped', quitReason: 'stopped', sid: 'S1' });
    expect(recordings.r2).toMatchObject({ state: 'quit', quitReason: 'idle', sid: 'S1-2' });
    const text = await cliInProcess('replay', log);
    const picture = text.out.slice(text.out.lastIndexOf('\n\n'));
    expect(picture).toMatch(/r1\b.*stopped/);
    expect(picture).toMatch(/r2\b.*quit/);
  });

  it('shows the recording a new start of the same id made, not the one forgotten', async () => {
    const path = work.file('again.jsonl');
    writeFileSync(
      path,
      traceText([
        start(0),
        started(1),
        stop(30),
        stopResult(31, 200, {}),
        tick(7200),
        start(7300),
        started(7301, 'S9'),
      ]),
    );
    const { out } = await cliInProcess('replay', path, '--json');
    expect(JSON.parse(out).recordings.r1).toMatchObject({ state: 'starting', sid: 'S9' });
  });
});
