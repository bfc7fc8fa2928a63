// The manifest fold: what each logical recording produced, from a replay of its inputs.
import { describe, expect, it } from 'vitest';
import { manifestOf, type RecordingManifest } from '../../../src/core/index.js';
import type { TraceRecord } from '../../../src/index.js';
import { alive, at, note, notFound, query, start, started, stop, tick } from '../inputs.js';

function only(inputs: TraceRecord[], until?: number): RecordingManifest {
  const { recordings } = manifestOf(inputs, until === undefined ? {} : { until });
  expect(recordings).toHaveLength(1);
  return recordings[0] as RecordingManifest;
}

const stopAnswer = (
  s: number,
  sid: string,
  files: string[],
  uploadingStatus: string,
): TraceRecord => ({
  at: at(s),
  type: 'stopResult',
  recording: 'r1',
  sid,
  httpStatus: 200,
  body: {
    sid,
    serverResponse: { fileList: files.map((fileName) => ({ fileName })), uploadingStatus },
  },
});

describe('manifestOf', () => {
  it('lists a failed-over session’s playlists in failover order, each with its recorder and files', () => {
    const m = only([
      start(0),
      started(0.8, 'S1'),
      note(1, 'S1', 0, 40),
      alive(6, 'S1'),
      note(20, 'S1', 1, 12, { newUid: 2002 }),
      note(22, 'S1', 2, 40, {}, { uid: '2002' }),
      note(30, 'S1', 3, 4, { fileList: 'bak0_S1_room.m3u8' }, { uid: '2002' }),
      note(50, 'S1', 4, 12, { newUid: 3003 }, { uid: '2002' }),
      note(52, 'S1', 5, 4, { fileList: 'bak1_S1_room.m3u8' }, { uid: '3003' }),
    ]);
    expect(m.sessions.map((s) => s.sid)).toEqual(['S1']);
    const playlists = m.sessions[0]?.playlists ?? [];
    expect(
      playlists.map((p) => [p.prefix, p.failover, p.uid, p.files.map((f) => f.fileName)]),
    ).toEqual([
      ['', null, '1001', ['S1_room.m3u8']],
      ['bak0_', 0, '2002', ['bak0_S1_room.m3u8']],
      ['bak1_', 1, '3003', ['bak1_S1_room.m3u8']],
    ]);
    expect(playlists[1]?.files[0]).toMatchObject({ reportedBy: 'notification', eventType: 4 });
  });

  it('counts a failover as a gap from the old recorder’s last sign of life to the new one’s first', () => {
    const m = only([
      start(0),
      started(0.8, 'S1'),
      note(1, 'S1', 0, 40),
      alive(6, 'S1'),
      notFound(66, 'S1'),
      note(80, 'S1', 1, 12, { newUid: 2002 }),
      note(82, 'S1', 2, 40, {}, { uid: '2002' }),
      tick(100),
    ]);
    expect(m.coverage.wanted).toEqual({ from: at(0), to: at(100) });
    expect(m.coverage.recorded).toEqual([
      { from: at(1), to: at(6) },
      { from: at(82), to: at(100) },
    ]);
    expect(m.coverage.gaps.map((g) => [g.from, g.to, g.cause])).toEqual([
      [at(0), at(1), 'starting'],
      [at(6), at(82), 'failover'],
    ]);
    expect(m.coverage.gaps[1]?.detail).toContain('bak0_');
    expect(m.coverage.recordedMs).toBe(5_000 + 18_000);
  });

  it('lists a restarted recording’s sessions in order, the quit → restart-live gap with its cause', () => {
    const m = only([
      start(0),
      started(0.8, 'S1'),
      note(1, 'S1', 0, 40),
      note(30, 'S1', 1, 11, { exitStatus: 1 }),
      tick(31),
      started(31.5, 'S2'),
      note(32, 'S2', 0, 40),
      tick(60),
    ]);
    expect(
      m.sessions.map((s) => [s.sid, s.uid, s.end?.how ?? null, s.end?.reason ?? null]),
    ).toEqual([
      ['S1', '1001', 'quit', 'abnormalExit'],
      ['S2', '1001', null, null],
    ]);
    expect(m.sessions[0]?.live).toEqual([{ from: at(1), to: at(30) }]);
    const gap = m.coverage.gaps.find((g) => g.cause === 'quit');
    expect(gap).toMatchObject({ from: at(30), to: at(32), sid: 'S1' });
    expect(gap?.detail).toBe('quit (abnormalExit) of S1; restarted as S2');
  });

  it('ends a quit found only by queries at the last sign of life, not when it was found', () => {
    const m = only([
      start(0),
      started(0.8, 'S1'),
      note(1, 'S1', 0, 40),
      alive(6, 'S1'),
      alive(66, 'S1'),
      notFound(126, 'S1'),
      notFound(131, 'S1'),
      notFound(141, 'S1'),
      notFound(156, 'S1'),
      // Rule 3: probing outlasts a lost server's 60-90 s of 404s (5, 10, 15, 30, 35 s).
      notFound(186, 'S1'),
      notFound(221, 'S1'),
      tick(260),
    ]);
    const s1 = m.sessions[0];
    expect(s1?.end?.how).toBe('quit');
    expect(s1?.live).toEqual([{ from: at(1), to: at(66) }]);
  });

  it('marks files pending while Agora says their upload is stranded, and clears it when uploaded', () => {
    const inputs = [
      start(0),
      started(0.8, 'S1'),
      note(1, 'S1', 0, 40),
      stop(10),
      stopAnswer(11, 'S1', ['S1_room.m3u8', 'S1_room_0.mp4'], 'stranded'),
    ];
    const pending = only(inputs).sessions[0]?.playlists[0]?.files ?? [];
    expect(pending.map((f) => [f.fileName, f.reportedBy, f.pending])).toEqual([
      ['S1_room.m3u8', 'stop', true],
      ['S1_room_0.mp4', 'stop', true],
    ]);
    const later = only([
      ...inputs,
      note(300, 'S1', 1, 31, { status: 0, fileList: [{ fileName: 'S1_room.m3u8' }] }),
    ]);
    expect(later.sessions[0]?.playlists[0]?.files.map((f) => f.pending)).toEqual([false, true]);
    expect(later.coverage.wanted).toEqual({ from: at(0), to: at(10) });
  });

  it('keeps the files a previous sid reports after a restart (its 31 is stale to the lifecycle)', () => {
    const m = only([
      start(0),
      started(0.8, 'S1'),
      note(1, 'S1', 0, 40),
      note(30, 'S1', 1, 11, { exitStatus: 1 }),
      tick(31),
      started(31.5, 'S2'),
      note(32, 'S2', 0, 40),
      note(33, 'S1', 2, 31, { status: 0, fileList: [{ fileName: 'S1_room.m3u8' }] }),
    ]);
    expect(m.sessions.map((s) => s.playlists[0]?.files.map((f) => f.fileName))).toEqual([
      ['S1_room.m3u8'],
      [],
    ]);
  });

  it('gives the files of a notification that came before its start named the sid to that sid', () => {
    const m = only([
      start(0),
      note(0.5, 'S1', 0, 4, { fileList: 'S1_room.m3u8' }),
      started(0.8, 'S1'),
      note(1, 'S1', 1, 40),
    ]);
    expect(m.sessions[0]?.playlists[0]?.files.map((f) => f.fileName)).toEqual(['S1_room.m3u8']);
  });

  it('puts a bak<n>_ file with no failover seen in its own playlist, by file evidence', () => {
    const m = only([
      start(0),
      started(0.8, 'S1'),
      note(1, 'S1', 0, 40),
      query(70, 'S1', 200, {
        sid: 'S1',
        serverResponse: { status: 5, fileList: 'bak0_S1_room.m3u8' },
      }),
    ]);
    expect(m.sessions[0]?.playlists.map((p) => [p.prefix, p.evidence])).toEqual([
      ['', 'session'],
      ['bak0_', 'failover'],
    ]);
  });

  it('extends a recording still live to `until`, and the wanted time with it', () => {
    const m = only([start(0), started(0.8, 'S1'), note(1, 'S1', 0, 40)], at(600));
    expect(m.coverage).toMatchObject({ wantedMs: 600_000, recordedMs: 599_000 });
    expect(m.state).toBe('recording');
  });
});
