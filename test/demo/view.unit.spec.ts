// The demo's live view on an 80×24 terminal: log-update's output captured as a terminal gets it.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { emptyCounts } from '../../src/demo/counters.js';
import { RecentChanges } from '../../src/demo/recent.js';
import { createView, type DemoFrame, STATE_ORDER } from '../../src/demo/view.js';

/** A terminal of 80 columns and 24 rows that keeps what it is sent. */
function terminal(): Writable & { columns: number; rows: number; isTTY: boolean; text: string } {
  const out = new Writable({
    write(chunk, _encoding, done) {
      out.text += String(chunk);
      done();
    },
  }) as Writable & { columns: number; rows: number; isTTY: boolean; text: string };
  Object.assign(out, { columns: 80, rows: 24, isTTY: true, text: '' });
  return out;
}

// Control sequences (cursor moves, erase line) that log-update sends between frames.
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, 'g');

/** A busy fleet: every state, many quit reasons, large counts, long recording names. */
function busyFrame(): DemoFrame {
  const counts = emptyCounts();
  Object.assign(counts, {
    failovers: 1234,
    restarts: 456,
    quits: {
      abnormalExit: 31,
      idle: 12,
      lost: 9,
      webRecorderStopped: 7,
      haExhausted: 3,
      notStarted: 2,
    },
    webhookRequests: 1_234_567,
    notificationsLogged: 1_200_000,
    received: 2_345_678,
    decisions: {
      duplicate: 34_567,
      held: 2345,
      releasedAfterGap: 123,
      late: 456,
      stale: 7890,
      unrouted: 12,
      rejected: 3,
    },
    queries: 98_765,
    rateLimited: 4321,
  });
  const recent = new RecentChanges();
  const names = [
    'meeting-room-with-a-very-long-name-0001',
    'recording-07',
    'recording-31',
    'r',
    'recording-44',
    'recording-02',
  ];
  const events = [
    { kind: 'event', type: 'quit', recording: names[0], sid: 'S', reason: 'webRecorderStopped' },
    {
      kind: 'event',
      type: 'failover',
      recording: names[1],
      sid: 'S',
      uid: '2',
      haAttempts: 1,
      filePrefix: 'bak0_',
    },
    { kind: 'event', type: 'restarting', recording: names[2], restarts: 2, uid: '3' },
    { kind: 'event', type: 'started', recording: names[3], sid: 'S', uid: '4' },
    { kind: 'event', type: 'stopped', recording: names[4], sid: 'S' },
    { kind: 'event', type: 'resumed', recording: names[5], sid: 'S', uid: '5' },
  ] as const;
  for (const [i, event] of events.entries()) recent.note(event as never, 60_000 * i);
  const states = Object.fromEntries(STATE_ORDER.map((s, i) => [s, 1000 + i]));
  return {
    elapsedMs: 1_800_000,
    durationMs: 3_600_000,
    wallMs: 12_345,
    states,
    counts,
    recent: recent.list(),
  };
}

describe('the demo view on an 80×24 terminal', () => {
  it('draws every line within 80 columns, so nothing wraps, and the frame fits 24 rows', () => {
    const out = terminal();
    const view = createView(out, true);
    view.update(busyFrame());
    view.done(busyFrame());
    const lines = out.text.replace(ANSI, '').split('\n');
    for (const line of lines) expect([...line].length, line).toBeLessThanOrEqual(80);
    // log-update draws the frame twice (update, done): each drawing is whole, unwrapped.
    const frame = lines.filter((line) => line !== '');
    expect(frame.length % 2).toBe(0);
    expect(frame.length / 2).toBeLessThanOrEqual(24);
  });

  it('counts every state, and names the recordings that changed most recently, newest first', () => {
    const out = terminal();
    createView(out, true).done(busyFrame());
    const text = out.text.replace(ANSI, '');
    for (const [i, state] of STATE_ORDER.entries()) expect(text).toContain(`${state} ${1000 + i}`);
    const recent = text
      .split('\n')
      .filter((line) => /^(recent {4}| {10})\d\d:\d\d:\d\d {2}/.test(line));
    expect(recent.map((line) => line.slice(20).split('  ')[0])).toEqual([
      'recording-02',
      'recording-44',
      'r',
      'recording-31',
      'recording-07',
    ]);
    expect(recent[0]).toContain('recording again after the failover');
    expect(recent[4]).toContain('failing over to bak0_');
  });
});
