// kill -9 the host at random points of a run against the simulator, many times: no acknowledged
// webhook is lost, no recording is left unsupervised, none is recorded twice.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  allEntries,
  openSqliteLog,
  picture,
  rebuildFromLog,
  type SupervisedRecording,
} from '../../src/index.js';
import { startSimulator, type TrueRecording } from '../../src/sim/index.js';
import { freePort } from '../fixtures/free-port.js';
import { rng } from '../fixtures/random.js';
import { sharedClock } from '../fixtures/shared-clock.js';
import { tempDir } from '../fixtures/temp-dir.js';

const HOST = fileURLToPath(new URL('./host-child.mjs', import.meta.url));
const BUILT = fileURLToPath(new URL('../../dist/src/index.js', import.meta.url));
const KILLS = 8;
const SPEED = 10;
const RECORDINGS = ['r0', 'r1', 'r2', 'r3'];

const work = tempDir('recwatch-kill-');
afterAll(() => work.remove());

/** Runs the host; `until` decides from its printed pictures when to end it, by SIGKILL or SIGTERM. */
function runHost(
  options: object,
  until: (list: SupervisedRecording[] | null, ready: boolean) => 'kill' | 'term' | null,
) {
  return new Promise<{
    stderr: string;
    last: SupervisedRecording[] | null;
    final: SupervisedRecording[] | null;
  }>((resolve, reject) => {
    const child = spawn(process.execPath, [HOST, JSON.stringify(options)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let pending = '';
    let stderr = '';
    let ready = false;
    let last: SupervisedRecording[] | null = null;
    let final: SupervisedRecording[] | null = null;
    let ended = false;
    const decide = () => {
      if (ended) return;
      const verdict = until(last, ready);
      if (verdict === null) return;
      ended = true;
      child.kill(verdict === 'kill' ? 'SIGKILL' : 'SIGTERM');
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      pending += chunk;
      for (let end = pending.indexOf('\n'); end >= 0; end = pending.indexOf('\n')) {
        const line = JSON.parse(pending.slice(0, end)) as {
          ready?: true;
          list?: SupervisedRecording[];
          final?: SupervisedRecording[];
        };
        pending = pending.slice(end + 1);
        if (line.ready === true) ready = true;
        if (line.list !== undefined) last = line.list;
        if (line.final !== undefined) final = line.final;
        decide();
      }
    });
    const timer = setInterval(decide, 10);
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', () => {
      clearInterval(timer);
      resolve({ stderr, last, final });
    });
  });
}

describe('the host killed with SIGKILL at random points', () => {
  it(`keeps every acknowledged webhook and every recording supervised once, over ${KILLS} kills`, async () => {
    if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run npm run build first`);
    const anchor = Date.UTC(2026, 0, 1);
    const clock = sharedClock(anchor, Date.now(), SPEED);
    const port = await freePort();
    const sim = await startSimulator({
      seed: 21,
      profile: 'redundantReordered',
      overrides: { life: { processKillPerHour: 2, abnormalExitPerHour: 1 } },
      clock,
      webhookUrl: `http://127.0.0.1:${port}/agora`,
    });
    const { appId, customerId, customerSecret, secret } = sim.credentials;
    const log = work.file('host.db');
    const options = {
      log,
      port,
      secret,
      baseUrl: sim.baseUrl,
      credentials: { appId, customerId, customerSecret },
      anchor,
      wallAnchor: Date.now() - (clock.now() - anchor) / SPEED,
      speed: SPEED,
      start: RECORDINGS,
    };
    const random = rng(20_261_129);
    try {
      for (let run = 0; run < KILLS; run += 1) {
        // Killed 0–1.5 s (real) after it is up: anywhere in a start, a query, a webhook, a tick.
        const lifeMs = Math.floor(random() * 1_500);
        let readyAt = 0;
        const outcome = await runHost(options, (_list, ready) => {
          if (!ready) return null;
          readyAt ||= Date.now();
          return Date.now() - readyAt >= lifeMs ? 'kill' : null;
        });
        expect(outcome.stderr).toBe('');
      }
      // The last run lives until every recording is supervised as the simulator has it.
      const live = () =>
        sim.truth().filter((r): r is TrueRecording => r.type === 'recording' && r.quit === null);
      const settledWith = (list: SupervisedRecording[] | null) => {
        if (list === null || list.length !== RECORDINGS.length) return false;
        const sessions = live();
        const sids = new Set(list.map((p) => p.sid));
        return (
          sessions.every((s) => sids.has(s.sid)) &&
          list.every((p) => p.state === 'recording' && sessions.some((s) => s.sid === p.sid))
        );
      };
      let stable = 0;
      const final = await runHost(options, (list, ready) => {
        if (!ready) return null;
        stable = settledWith(list) ? stable + 1 : 0;
        return stable >= 5 ? 'term' : null;
      });
      expect(final.stderr).toBe('');
      // No double recording: one live session per channel, each the current sid of its recording.
      const sessions = live();
      const cnames = sessions.map((s) => s.cname).sort();
      expect(cnames).toEqual([...new Set(cnames)]);
      expect(sessions).toHaveLength(RECORDINGS.length);
      expect(new Set(final.last?.map((p) => p.sid))).toEqual(new Set(sessions.map((s) => s.sid)));
      // No acknowledged webhook lost.
      const acknowledged = sim
        .deliveries()
        .filter((d) => d.outcome?.kind === 'answered' && d.outcome.httpStatus === 200);
      expect(acknowledged.length).toBeGreaterThan(10);
      const store = await openSqliteLog(log);
      const logged = new Set<string>();
      for await (const entry of allEntries(store)) {
        if (entry.item.kind === 'input' && entry.item.record.type === 'notification') {
          logged.add((entry.item.record.body as { noticeId: string }).noticeId);
        }
      }
      // Recovery is an input (rule 12): the log, kills and all, replays to what the last host
      // believed when it closed, every field of every recording, with the snapshot and without.
      const believed = Object.fromEntries(
        (final.final ?? []).map(({ recording, ...picture }) => [recording, picture]),
      );
      expect(Object.keys(believed).sort()).toEqual(RECORDINGS);
      for (const useSnapshot of [true, false]) {
        const { state } = await rebuildFromLog(store, { useSnapshot });
        expect(picture(state).recordings).toEqual(believed);
      }
      await store.close();
      for (const delivery of acknowledged) expect(logged).toContain(delivery.noticeId);
      // Never two recorders for one recording: the sessions of a channel never overlap in time.
      const byChannel = new Map<string, TrueRecording[]>();
      for (const r of sim.truth())
        if (r.type === 'recording') byChannel.set(r.cname, [...(byChannel.get(r.cname) ?? []), r]);
      for (const [cname, sessions] of byChannel) {
        const spans = sessions
          .map((r) => [r.startedAt, r.quit?.at ?? Number.POSITIVE_INFINITY] as const)
          .sort((a, b) => a[0] - b[0]);
        for (let i = 1; i < spans.length; i += 1)
          expect(spans[i]?.[0], `${cname}: two recorders at once`).toBeGreaterThanOrEqual(
            spans[i - 1]?.[1] ?? 0,
          );
      }
    } finally {
      await sim.close();
    }
  }, 120_000);
});
