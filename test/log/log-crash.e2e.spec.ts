import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allEntries, type LogEntry, type LogItem, openSqliteLog } from '../../src/index.js';
import { rng } from '../fixtures/random.js';
import { tempDir } from '../fixtures/temp-dir.js';

const WRITER = fileURLToPath(new URL('./crash-writer.mjs', import.meta.url));
const BUILT = fileURLToPath(new URL('../../dist/src/log/index.js', import.meta.url));
const SEED = 20_261_125;
const KILLS = 25;

interface Sent {
  readonly send: string;
  readonly stream: string;
  readonly items: readonly LogItem[];
}

interface Ack {
  readonly ack: string;
  readonly positions: readonly number[];
  readonly version: number;
  readonly retry?: true;
}

type WriterEvent = Sent | Ack | { readonly ready: true };

/** Runs the writer and SIGKILLs it once it has printed `killAt` lines; resolves when it is gone. */
function runUntilKilled(args: readonly string[], killAt: number) {
  return new Promise<{ events: WriterEvent[]; signal: string | null; stderr: string }>(
    (resolve, reject) => {
      const child = spawn(process.execPath, [WRITER, ...args], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const events: WriterEvent[] = [];
      let pending = '';
      let stderr = '';
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        pending += chunk;
        for (let end = pending.indexOf('\n'); end >= 0; end = pending.indexOf('\n')) {
          events.push(JSON.parse(pending.slice(0, end)) as WriterEvent);
          pending = pending.slice(end + 1);
          if (events.length === killAt) child.kill('SIGKILL');
        }
      });
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      child.on('error', reject);
      // A line cut short by the kill was a `send` whose append never started: it is dropped.
      child.on('close', (_code, signal) => resolve({ events, signal, stderr }));
    },
  );
}

describe('a SQLite log written by a process killed at random points', () => {
  let dir: ReturnType<typeof tempDir>;

  beforeAll(() => {
    if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run npm run build first`);
    dir = tempDir();
  });

  afterAll(() => dir?.remove());

  it(`loses no acknowledged input and writes no partial batch, over ${KILLS} kills`, async () => {
    const file = dir.file('crash.db');
    const retryFile = dir.file('retry.json');
    const random = rng(SEED);
    const sent = new Map<string, Sent>();
    const acked = new Map<string, Ack>();
    let unackedAtKill = 0;
    for (let run = 1; run <= KILLS; run += 1) {
      const retries = [...sent.values()].filter((batch) => !acked.has(batch.send));
      writeFileSync(retryFile, JSON.stringify(retries));
      const killAt = 1 + Math.floor(random() * 60);
      const seed = String(Math.floor(random() * 2 ** 32));
      const outcome = await runUntilKilled([file, String(run), seed, retryFile], killAt);
      expect(outcome.signal, `run ${run} ended by itself: ${outcome.stderr}`).toBe('SIGKILL');
      for (const event of outcome.events) {
        if ('send' in event) sent.set(event.send, event);
        if ('ack' in event) acked.set(event.ack, event);
      }
      unackedAtKill += [...sent.keys()].filter((id) => !acked.has(id)).length;
      await expectConsistent(file, sent, acked, `run ${run} (seed ${SEED})`);
    }
    expect(acked.size).toBeGreaterThan(KILLS);
    expect(unackedAtKill).toBeGreaterThan(0);
  }, 60_000);
});

/** The log after a crash: whole batches only, every acknowledged one, exactly as sent, gapless. */
async function expectConsistent(
  file: string,
  sent: ReadonlyMap<string, Sent>,
  acked: ReadonlyMap<string, Ack>,
  where: string,
): Promise<void> {
  const log = await openSqliteLog(file);
  const entries: LogEntry[] = [];
  for await (const entry of allEntries(log)) entries.push(entry);
  await log.close();

  const byAt = new Map<number, LogEntry>();
  const versions = new Map<string, number>();
  entries.forEach((entry, index) => {
    expect(entry.position, `${where}: positions gapless`).toBe(index + 1);
    const version = (versions.get(entry.stream) ?? 0) + 1;
    expect(entry.version, `${where}: versions of ${entry.stream} gapless`).toBe(version);
    versions.set(entry.stream, version);
    expect(byAt.has(entry.at), `${where}: input at ${entry.at} stored twice`).toBe(false);
    byAt.set(entry.at, entry);
  });

  let stored = 0;
  for (const batch of sent.values()) {
    const found = batch.items.map((item) => byAt.get(item.at));
    const present = found.filter((entry) => entry !== undefined);
    expect([0, batch.items.length], `${where}: batch ${batch.send} partly present`).toContain(
      present.length,
    );
    const ack = acked.get(batch.send);
    if (ack !== undefined) {
      expect(present.length, `${where}: acknowledged batch ${batch.send} lost`).toBe(
        batch.items.length,
      );
      expect(present.map((entry) => entry.position)).toEqual(ack.positions);
    }
    if (present.length === 0) continue;
    stored += present.length;
    expect(present.map((entry) => entry.item)).toEqual(batch.items);
    expect(new Set(present.map((entry) => entry.stream))).toEqual(new Set([batch.stream]));
    const first = present[0]!;
    expect(present.map((entry) => entry.position)).toEqual(
      present.map((_, offset) => first.position + offset),
    );
    if (ack !== undefined && ack.retry !== true) expect(ack.version).toBe(present.at(-1)?.version);
  }
  expect(stored, `${where}: entries that were never sent`).toBe(entries.length);
}
