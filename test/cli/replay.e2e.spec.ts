import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Journal, openSqliteLog } from '../../src/index.js';
import { at, start, started } from '../core/inputs.js';
import { notificationBody } from '../fixtures/agora.js';
import { tempDir } from '../fixtures/temp-dir.js';
import { recwatch, root } from './recwatch.js';

const traces = join(root, 'test/traces');
const work = tempDir('recwatch-cli-');
afterAll(() => work.remove());

const ruleTraces = readdirSync(traces)
  .filter((name) => name.endsWith('.jsonl'))
  .sort();

describe('recwatch replay', () => {
  it('has a trace for each lifecycle rule', () => {
    expect(ruleTraces.map((name) => name.slice(0, 7))).toEqual(
      Array.from({ length: 13 }, (_, i) => `rule-${String(i + 1).padStart(2, '0')}`),
    );
  });

  it.each(ruleTraces)('prints the right final picture for %s', (name) => {
    const result = recwatch('replay', join(traces, name), '--json');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const expected = JSON.parse(
      readFileSync(join(traces, name.replace('.jsonl', '.expected.json')), 'utf8'),
    );
    expect(JSON.parse(result.stdout)).toEqual(expected);
    expect(result.stdout.trim()).toBe(JSON.stringify(expected));
  });

  it('prints a timeline: time, position, decision, input, state after; then the picture', () => {
    const result = recwatch('replay', join(traces, 'rule-08-redundancy.jsonl'));
    expect(result.status).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(
      /^2023-11-14T22:13:20\.000Z +1 +applied +start r1 \(uid 1001, mix\) +r1 starting$/,
    );
    expect(lines.some((l) => /\s7\s+duplicate\s+notification 11 session_exit S1#1/.test(l))).toBe(
      true,
    );
    expect(
      lines.some((l) => /stale\s+notification 31 uploaded S1#2 .*\(a previous sid\)$/.test(l)),
    ).toBe(true);
    expect(result.stdout).toContain('→ event restarted r1 sid=S2 restarts=1');
    expect(result.stdout).toMatch(/Final picture:\n {2}r1 {2}recording {2}sid=S2/);
  });

  it('reports bad lines with their number, skips them, and still gives the picture', () => {
    const lines = readFileSync(join(traces, 'rule-10-host-stop.jsonl'), 'utf8')
      .trimEnd()
      .split('\n');
    lines.splice(2, 0, '{"at": oops', '{"type":"tick"}');
    const path = work.file('broken.jsonl');
    writeFileSync(path, `${lines.join('\n')}\n`);
    const result = recwatch('replay', path, '--json');
    expect(result.status).toBe(0);
    expect(result.stderr).toContain(`${path}:3: skipped: not JSON`);
    expect(result.stderr).toContain(`${path}:4: skipped: at: `);
    expect(JSON.parse(result.stdout).recordings.r1.state).toBe('stopped');
  });

  it('refuses a missing file and a missing argument with clear exit codes', () => {
    expect(recwatch('replay').status).toBe(64);
    const missing = recwatch('replay', work.file('nope.jsonl'));
    expect(missing.status).toBe(66);
    expect(missing.stderr).toContain('nope.jsonl');
  });
});

describe('recwatch replay and export on a SQLite log', () => {
  it('replays a log to the same picture as its trace, and exports the trace back', async () => {
    const trace = readFileSync(join(traces, 'rule-07-restart.jsonl'), 'utf8');
    const file = work.file('rule-07.db');
    const log = await openSqliteLog(file);
    const journal = await Journal.open(log, { snapshotEvery: 3 });
    for (const [t, line] of trace.trimEnd().split('\n').entries()) {
      await journal.receiveUntrusted(JSON.parse(line), t + 1);
    }
    await journal.receiveUntrusted({ type: 'broken' }, 99);
    await log.close();

    const fromLog = recwatch('replay', file, '--json');
    expect(fromLog.status).toBe(0);
    const expected = JSON.parse(
      readFileSync(join(traces, 'rule-07-restart.expected.json'), 'utf8'),
    );
    expect(JSON.parse(fromLog.stdout)).toEqual(expected);

    const exported = recwatch('export', file);
    expect(exported.status).toBe(0);
    const lines = exported.stdout.trimEnd().split('\n');
    expect(lines.slice(0, -1).map((l) => JSON.parse(l))).toEqual(
      trace
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l)),
    );
    expect(JSON.parse(lines.at(-1) as string)).toMatchObject({
      at: 99,
      type: 'reject',
      raw: { type: 'broken' },
    });

    const out = work.file('exported.jsonl');
    expect(recwatch('export', file, '--out', out).status).toBe(0);
    const again = recwatch('replay', out, '--json');
    expect(JSON.parse(again.stdout)).toEqual(expected);
  });

  it('exports bodies received as bytes as their text, so the export replays like the log', async () => {
    const file = work.file('bytes.db');
    const log = await openSqliteLog(file);
    const journal = await Journal.open(log);
    const bytes = (value: unknown) =>
      new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));
    await journal.receiveUntrusted(start(0), 1);
    await journal.receiveUntrusted(started(1, 'S1'), 2);
    const body = notificationBody({ eventType: 40, sid: 'S1', sequence: 0, sendts: at(2) });
    await journal.receiveUntrusted({ at: at(2), type: 'notification', body: bytes(body) }, 3);
    await journal.receiveUntrusted(bytes('{"eventType":'), 4);
    await log.close();

    const fromLog = JSON.parse(recwatch('replay', file, '--json').stdout);
    expect(fromLog.recordings.r1.state).toBe('recording');
    const out = work.file('bytes.jsonl');
    expect(recwatch('export', file, '--out', out).status).toBe(0);
    const lines = readFileSync(out, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines[2].body).toBe(JSON.stringify(body));
    expect(lines[3]).toMatchObject({ type: 'reject', raw: '{"eventType":' });
    expect(JSON.parse(recwatch('replay', out, '--json').stdout)).toEqual(fromLog);
  });

  it('names the file when it is not a recwatch log', () => {
    const file = work.file('foreign.db');
    writeFileSync(file, Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(4080)]));
    const result = recwatch('replay', file);
    expect(result.status).toBe(66);
    expect(result.stderr).toContain(file);
  });
});
