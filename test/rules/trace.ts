// The rule audit's driver: a trace (format v1, as lines of JSON) goes through the path
// `recwatch replay --json` takes (readTraceLine, then the core's Replay fold, then the picture),
// and once more through the CLI's own entry in this process: both pictures must agree.
import { writeFileSync } from 'node:fs';
import { afterAll, expect } from 'vitest';
import type { RecordingOutput } from '../../machines/index.js';
import {
  type CoreOutput,
  createCore,
  type Decision,
  type Picture,
  picture,
  Replay,
  readTraceLine,
} from '../../src/core/index.js';
import { cliInProcess } from '../cli/recwatch.js';
import { tempDir } from '../fixtures/temp-dir.js';

export { at, T0 } from '../core/inputs.js';

import { at, T0 } from '../core/inputs.js';

const work = tempDir('recwatch-rules-');
afterAll(() => work.remove());
let files = 0;

/** A trace line: a record object, or a line of text exactly as a trace file holds it. */
export type Line = Record<string, unknown> | string;

/** The text of a trace file holding these lines. */
export function traceText(lines: readonly Line[]): string {
  return `${lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n')}\n`;
}

/** What a replay of a trace gave: the picture, the decisions, the machines' outputs. */
export interface Run {
  readonly picture: Picture;
  readonly decisions: readonly Decision[];
  readonly outputs: readonly RecordingOutput[];
  /** Lines the reader skipped, with their number and why. */
  readonly problems: readonly { line: number; message: string }[];
  /** The picture of one recording (r1 by default). */
  r(id?: string): Picture['recordings'][string];
  /**
   * When the machine asked to be woken after the input on this line (0-based index of the
   * lines given), in seconds after T0; null when that step asked nothing.
   */
  wakeAfter(index: number): number | null;
  /** The effects of a type, in order. */
  effects(type: string): RecordingOutput[];
  /** The domain events of a type, in order. */
  events(type: string): RecordingOutput[];
}

/**
 * Replays a trace as `recwatch replay` does, and checks `recwatch replay <file> --json` (the
 * CLI's entry, in this process) prints the same picture.
 */
export async function replayTrace(lines: readonly Line[]): Promise<Run> {
  const text = traceText(lines);
  const fold = new Replay(createCore(), { outputs: true, keepForgotten: true });
  const outputs: CoreOutput[] = [];
  const byLine: CoreOutput[][] = [];
  const problems: { line: number; message: string }[] = [];
  for (const [index, content] of text.split('\n').entries()) {
    const read = readTraceLine(content, index + 1);
    if (read === null) continue;
    if (!('kind' in read)) problems.push(read);
    else {
      const made = fold.line(read);
      byLine[index] = [...made];
      outputs.push(...made);
    }
  }
  const seen = picture(fold.finish(), fold.forgotten);
  files += 1;
  const path = work.file(`trace-${files}.jsonl`);
  writeFileSync(path, text);
  const cli = await cliInProcess('replay', path, '--json');
  expect(cli.code).toBe(0);
  expect(JSON.parse(cli.out)).toEqual(seen);
  const machine = outputs.filter(
    (o): o is RecordingOutput => o.kind === 'effect' || o.kind === 'event',
  );
  return {
    picture: seen,
    decisions: outputs.filter((o): o is Decision => o.kind === 'decision'),
    outputs: machine,
    problems,
    wakeAfter: (index) => {
      const wake = (byLine[index] ?? [])
        .filter((o) => o.kind === 'effect' && o.type === 'wakeAt')
        .at(-1);
      return wake === undefined ? null : ((wake as { at: number }).at - T0) / 1000;
    },
    r: (id = 'r1') => seen.recordings[id] as Picture['recordings'][string],
    effects: (type) => machine.filter((o) => o.kind === 'effect' && o.type === type),
    events: (type) => machine.filter((o) => o.kind === 'event' && o.type === type),
  };
}

// Builders. Times are seconds after T0; bodies are Agora's shapes.

export const start = (s: number, extra: Record<string, unknown> = {}) => ({
  at: at(s),
  type: 'start',
  recording: 'r1',
  cname: 'room1',
  uid: '1001',
  mode: 'mix',
  ...extra,
});

export const started = (s: number, sid = 'S1', extra: Record<string, unknown> = {}) => ({
  at: at(s),
  type: 'started',
  recording: 'r1',
  resourceId: `RES-${sid}`,
  sid,
  uid: '1001',
  ...extra,
});

export const startSent = (s: number, uid = '1001', resourceId = 'RES-1') => ({
  at: at(s),
  type: 'startSent',
  recording: 'r1',
  resourceId,
  uid,
});

export const startFailed = (s: number, httpStatus: number | null, body: unknown = null) => ({
  at: at(s),
  type: 'startFailed',
  recording: 'r1',
  httpStatus,
  body,
});

export const tick = (s: number) => ({ at: at(s), type: 'tick' });
export const stop = (s: number) => ({ at: at(s), type: 'stop', recording: 'r1' });

export const stopResult = (s: number, httpStatus: number | null, body: unknown, sid = 'S1') => ({
  at: at(s),
  type: 'stopResult',
  recording: 'r1',
  sid,
  httpStatus,
  body,
});

export const query = (
  s: number,
  httpStatus: number | null,
  body: unknown,
  sid = 'S1',
  extra: Record<string, unknown> = {},
) => ({ at: at(s), type: 'query', recording: 'r1', sid, httpStatus, body, ...extra });

/** A 200 query with this `serverResponse`. */
export const answered = (
  s: number,
  serverResponse: Record<string, unknown>,
  sid = 'S1',
  extra: Record<string, unknown> = {},
) =>
  query(
    s,
    200,
    { cname: 'room1', uid: '1001', resourceId: `RES-${sid}`, sid, serverResponse },
    sid,
    extra,
  );

/** A 200 query answering `status`. */
export const alive = (
  s: number,
  status: unknown = 5,
  sid = 'S1',
  extra: Record<string, unknown> = {},
) => answered(s, { status, fileListMode: 'string', fileList: `${sid}_room1.m3u8` }, sid, extra);

export const notFound = (s: number, sid = 'S1', extra: Record<string, unknown> = {}) =>
  query(s, 404, { code: 404, reason: 'failed to find worker' }, sid, extra);

/** A notification as Agora's NCS posts it (REST API 1.3.0 and after). */
export function note(
  s: number,
  eventType: number,
  sequence: number,
  details: Record<string, unknown> = {},
  o: {
    sid?: string;
    uid?: unknown;
    sentAt?: number;
    noticeId?: string;
    cname?: string;
    payload?: Record<string, unknown>;
    top?: Record<string, unknown>;
  } = {},
) {
  const sid = o.sid ?? 'S1';
  return {
    at: at(s),
    type: 'notification',
    body: {
      noticeId: o.noticeId ?? `n-${sid}-${eventType}-${sequence}-${String(o.uid ?? '1001')}`,
      productId: 3,
      eventType,
      notifyMs: at(s) - 10,
      ...o.top,
      payload: {
        cname: o.cname ?? 'room1',
        uid: o.uid ?? '1001',
        sid,
        sequence,
        sendts: o.sentAt === undefined ? at(s) - 50 : at(o.sentAt),
        serviceType: 0,
        details,
        ...o.payload,
      },
    },
  };
}

/** The uid of each acquire+start effect, in order. */
export const startUids = (run: Run) =>
  run.effects('acquireAndStart').map((o) => (o as unknown as { uid: string }).uid);

/** The decisions taken on a position (1-based line of records). */
export const decisionAt = (run: Run, position: number) =>
  run.decisions.filter((d) => d.position === position).map((d) => d.decision);
