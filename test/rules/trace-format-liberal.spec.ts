// The trace format (lifecycle-rules.md §2, docs/trace-format.md) read liberally: real payloads
// vary, and a bad line or body is a recorded reject or a skipped line with its reason, never a
// crash and never a wrong verdict.
import { describe, expect, it } from 'vitest';
import {
  alive,
  at,
  type Line,
  note,
  query,
  replayTrace,
  start,
  started,
  startFailed,
  tick,
} from './trace.js';

const noRestart = { at: at(0), type: 'options', options: { recording: { restartBudget: 0 } } };
const live = (): Line[] => [noRestart, start(0), started(1), tick(6), alive(6, 5)];
const rejected = (run: Awaited<ReturnType<typeof replayTrace>>) =>
  run.decisions.filter((d) => d.decision === 'rejected');

describe('notification bodies as they come', () => {
  const exit = (payload: Record<string, unknown>, top: Record<string, unknown> = {}) => ({
    at: at(100),
    type: 'notification',
    body: { noticeId: 'x1', productId: 3, eventType: 11, notifyMs: at(100) - 5, ...top, payload },
  });
  const base = {
    cname: 'room1',
    uid: '1001',
    sid: 'S1',
    sequence: 0,
    sendts: at(100) - 40,
    serviceType: 0,
  };

  it.each([
    [
      'numbers as text',
      {
        ...base,
        uid: '1001',
        sequence: '0',
        sendts: String(at(100) - 40),
        details: { exitStatus: '1' },
      },
      {},
      'abnormalExit',
    ],
    [
      'uid and cname as numbers',
      { ...base, uid: 1001, cname: 12345, details: { exitStatus: 1 } },
      {},
      'abnormalExit',
    ],
    [
      'eventType as text',
      { ...base, details: { exitStatus: 1 } },
      { eventType: '11' },
      'abnormalExit',
    ],
    [
      'no sendts (notifyMs stands in)',
      { cname: 'room1', uid: '1001', sid: 'S1', sequence: 0, details: { exitStatus: 1 } },
      {},
      'abnormalExit',
    ],
    [
      'the sid at the top only',
      {
        cname: 'room1',
        uid: '1001',
        sequence: 0,
        sendts: at(100) - 40,
        details: { exitStatus: 1 },
      },
      { sid: 'S1' },
      'abnormalExit',
    ],
    [
      'unknown fields everywhere',
      {
        ...base,
        extra: { a: 1 },
        details: { exitStatus: 1, msgName: 'session_exit', newField: [1, 2] },
      },
      { region: 'eu', serviceScene: 'rtsc/raw-recording' },
      'abnormalExit',
    ],
    ['no details', { ...base }, {}, 'exited'],
    ['details of another shape', { ...base, details: 'odd' }, {}, 'exited'],
    [
      'a productId as text',
      { ...base, details: { exitStatus: 1 } },
      { productId: '3' },
      'abnormalExit',
    ],
  ])('an 11 with %s is read', async (_n, payload, top, reason) => {
    const run = await replayTrace([...live(), exit(payload, top)]);
    expect(rejected(run)).toEqual([]);
    expect(run.r()).toMatchObject({ state: 'quit', quitReason: reason });
  });

  it('a body given as the JSON text received is read as its value', async () => {
    const body = JSON.stringify(note(100, 11, 0, { exitStatus: 1 }).body);
    const run = await replayTrace([...live(), { at: at(100), type: 'notification', body }]);
    expect(run.r()).toMatchObject({ state: 'quit', quitReason: 'abnormalExit' });
  });

  it.each([
    [
      'no sequence',
      { eventType: 11, noticeId: 'a', payload: { sid: 'S1', uid: '1001', sendts: at(99) } },
    ],
    [
      'a negative sequence',
      {
        eventType: 11,
        noticeId: 'a',
        payload: { sid: 'S1', uid: '1001', sequence: -1, sendts: at(99) },
      },
    ],
    [
      'no sid',
      { eventType: 11, noticeId: 'a', payload: { uid: '1001', sequence: 0, sendts: at(99) } },
    ],
    [
      'no noticeId',
      { eventType: 11, payload: { sid: 'S1', uid: '1001', sequence: 0, sendts: at(99) } },
    ],
    ['an array', [1, 2, 3]],
    ['null', null],
    ['text that is not JSON', '{"eventType": 11,'],
    [
      'a sendts that is not a time',
      { eventType: 11, noticeId: 'a', payload: { sid: 'S1', sequence: 0, sendts: 'yesterday' } },
    ],
  ])('a body with %s is a reject with its reason, and changes nothing', async (_n, body) => {
    const run = await replayTrace([
      ...live(),
      { at: at(100), type: 'notification', body },
      tick(101),
    ]);
    expect(rejected(run)).toHaveLength(1);
    expect(rejected(run)[0]?.reason).toMatch(/\S/);
    expect(run.r()).toMatchObject({ state: 'recording', quitReason: null });
  });

  it("the console's health-check event (cname test_webhook) is no recording's and changes nothing", async () => {
    const run = await replayTrace([
      ...live(),
      note(100, 11, 0, { exitStatus: 1 }, { sid: 'TEST', cname: 'test_webhook', uid: '0' }),
      tick(200),
    ]);
    expect(run.r()).toMatchObject({ state: 'recording' });
  });
});

describe('query bodies as they come', () => {
  it.each([
    [
      'a 200 with unknown keys',
      200,
      {
        sid: 'S1',
        code: 0,
        extra: true,
        serverResponse: { status: 5, fileList: 'S1.m3u8', more: {} },
      },
      'recording',
      false,
    ],
    [
      'a 200 whose file entry is odd',
      200,
      {
        serverResponse: { status: 5, fileListMode: 'json', fileList: [{ fileName: 5 }, 'x', null] },
      },
      'recording',
      false,
    ],
    ['a 200 with no serverResponse', 200, { sid: 'S1' }, 'recording', true],
    ['a 200 with no body', 200, null, 'recording', true],
    [
      'a 200 with status of another shape',
      200,
      { serverResponse: { status: 'five' } },
      'recording',
      true,
    ],
    ['a 500 with the gateway message', 500, { message: 'oops' }, 'recording', true],
  ])('%s', async (_n, status, body, state, uncertain) => {
    const run = await replayTrace([...live(), tick(66), query(66, status, body)]);
    expect(rejected(run)).toEqual([]);
    expect(run.r()).toMatchObject({ state, uncertain });
  });

  it.each([
    [
      'a 404 body given as its JSON text',
      404,
      '{"code":404,"reason":"failed to find worker"}',
      'notFound',
    ],
    [
      'a 200 body given as its JSON text',
      200,
      '{"sid":"S1","serverResponse":{"status":5}}',
      'alive',
    ],
  ])('%s reads as that body', async (_n, status, body, kind) => {
    const run = await replayTrace([...live(), tick(66), query(66, status, body)]);
    expect(run.r()).toMatchObject({ state: 'recording', quitReason: null });
    expect(run.r().lastQuery).toMatchObject({ kind });
  });

  it('a start failure whose body is its JSON text reads as that body (406: retry later)', async () => {
    const run = await replayTrace([
      start(0),
      startFailed(1, 400, '{"code":406,"reason":"vendor_over_load"}'),
      tick(2),
    ]);
    expect(run.r()).toMatchObject({ state: 'starting', quitReason: null });
  });
});

describe('lines that are not records', () => {
  it('are reported with their line number and skipped; the rest still decides', async () => {
    const run = await replayTrace([
      start(0),
      '{"at": 1700000000500, "type": "started", ',
      '{"type": "tick"}',
      { at: at(0.7), type: 'warp' },
      '',
      started(1),
      tick(6),
      alive(6, 5),
    ]);
    expect(run.problems.map((p) => p.line)).toEqual([2, 3, 4]);
    expect(run.problems[0]?.message).toMatch(/^not JSON/);
    expect(run.r()).toMatchObject({ state: 'recording', sid: 'S1' });
  });

  it('unknown fields on a record are ignored', async () => {
    const run = await replayTrace([
      { ...start(0), note: 'x', tenant: 7 },
      { ...started(1), latencyMs: 80 },
      { ...tick(6), source: 'timer' },
      { ...alive(6, 5), attempt: 1, sentAt: at(5.9) },
    ]);
    expect(run.problems).toEqual([]);
    expect(run.r().state).toBe('recording');
  });

  it('a uid given as a number on start and started is read as text', async () => {
    const run = await replayTrace([
      start(0, { uid: 1001 }),
      started(1, 'S1', { uid: 1001 }),
      tick(6),
      alive(6, 5),
    ]);
    expect(run.problems).toEqual([]);
    expect(run.r()).toMatchObject({ state: 'recording', uid: '1001' });
  });

  it('an input for a recording never started is a reject with its reason', async () => {
    const run = await replayTrace([...live(), { ...tick(7), type: 'stop', recording: 'nobody' }]);
    expect(rejected(run)[0]?.reason).toMatch(/nobody/);
    expect(run.r().state).toBe('recording');
  });

  it('a reject line kept by the log is recorded at its position', async () => {
    const run = await replayTrace([
      ...live(),
      { at: at(7), type: 'reject', reason: 'body: not JSON', raw: '{' },
      tick(8),
    ]);
    expect(rejected(run)).toEqual([
      expect.objectContaining({ position: 6, reason: 'body: not JSON' }),
    ]);
  });
});

describe('call records with their status as text', () => {
  it('an httpStatus written as numeric text reads as the number', async () => {
    const run = await replayTrace([
      start(0),
      started(1),
      tick(6),
      { ...alive(6, 5), httpStatus: '200' },
      tick(66),
      { ...query(66, 404, { code: 404, reason: 'failed to find worker' }), httpStatus: ' 404 ' },
    ]);
    expect(run.problems).toEqual([]);
    expect(run.r()).toMatchObject({
      state: 'recording',
      lastQuery: { kind: 'notFound', httpStatus: 404 },
    });
  });

  it.each([0, '000'])(
    'an httpStatus of %j (no response, as curl says) is no response: uncertain',
    async (status) => {
      const run = await replayTrace([
        start(0),
        started(1),
        tick(6),
        alive(6, 5),
        tick(66),
        { ...query(66, 503, null), httpStatus: status },
      ]);
      expect(run.problems).toEqual([]);
      expect(run.r()).toMatchObject({
        state: 'recording',
        uncertain: true,
        lastQuery: { kind: 'serverError', httpStatus: null },
      });
    },
  );

  it('an httpStatus that is no status is a skipped line with its reason', async () => {
    const run = await replayTrace([start(0), started(1), { ...alive(6, 5), httpStatus: 'OK' }]);
    expect(run.problems).toEqual([{ line: 3, message: expect.stringMatching(/^httpStatus: /) }]);
    expect(run.r().state).toBe('starting');
  });
});
