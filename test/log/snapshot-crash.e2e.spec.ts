// A process killed (SIGKILL) while the SQLite log writes a snapshot's parts: reopened, the log
// holds the snapshot before it or (finished just before the kill) that one, never one of mixed
// or missing parts; the parts the kill left are dropped when the next writer opens.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteLog } from '../../src/log/index.js';
import { keep } from '../../src/log/sqlite-keep.js';
import { tempDir } from '../fixtures/temp-dir.js';

const WRITER = fileURLToPath(new URL('./snapshot-crash-writer.mjs', import.meta.url));
const BUILT = fileURLToPath(new URL('../../dist/src/log/index.js', import.meta.url));
const KILLS = 6;

/** Snapshot n's text, as the writer builds it. */
function snapshotText(n: number): string {
  return JSON.stringify(
    Array.from({ length: 1200 }, (_, i) => `${n}:${i}:${'語é😀a'.repeat(550)}`),
  );
}

/** Generations of parts in the file, and the one the snapshot's row points at. */
function partsIn(file: string): { pointed: number | null; generations: number[] } {
  const db = keep(new Database(file, { readonly: true }));
  try {
    const pointed = keep(
      db.prepare('SELECT parts_generation FROM snapshots WHERE schema_version = 1').pluck(),
    ).get() as number | null | undefined;
    const generations = keep(
      db.prepare('SELECT DISTINCT generation FROM snapshot_parts ORDER BY generation').pluck(),
    ).all() as number[];
    return { pointed: pointed ?? null, generations };
  } finally {
    db.close();
  }
}

/**
 * Runs the writer from snapshot `first`, waits until snapshot `first + 1` has parts in the file
 * that no row points at yet (a state of the file, polled: not a time), then SIGKILLs it.
 */
function killMidSnapshot(file: string, first: number) {
  return new Promise<{ saving: number[]; saved: number[]; signal: string | null; stderr: string }>(
    (resolve, reject) => {
      const child = spawn(process.execPath, [WRITER, file, String(first)], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const saving: number[] = [];
      const saved: number[] = [];
      let pending = '';
      let stderr = '';
      let watching = false;
      const watch = () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const { pointed, generations } = partsIn(file);
        if (generations.some((generation) => generation !== pointed)) child.kill('SIGKILL');
        else setImmediate(watch);
      };
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        pending += chunk;
        for (let end = pending.indexOf('\n'); end >= 0; end = pending.indexOf('\n')) {
          const event = JSON.parse(pending.slice(0, end)) as { saving?: number; saved?: number };
          pending = pending.slice(end + 1);
          if (event.saving !== undefined) saving.push(event.saving);
          if (event.saved !== undefined) saved.push(event.saved);
          if (event.saving === first + 1 && !watching) {
            watching = true;
            watch();
          }
        }
      });
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      child.on('error', reject);
      child.on('close', (_code, signal) => resolve({ saving, saved, signal, stderr }));
    },
  );
}

describe('a SQLite log killed in the middle of a snapshot in parts', () => {
  let dir: ReturnType<typeof tempDir>;

  beforeAll(() => {
    if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run npm run build first`);
    dir = tempDir();
  });

  afterAll(() => dir?.remove());

  it(`reads the previous snapshot or the new one, never a torn one, over ${KILLS} kills`, async () => {
    const file = dir.file('snapshot-crash.db');
    let tornLeft = 0;
    for (let kill = 0; kill < KILLS; kill += 1) {
      const first = kill * 10 + 1;
      const outcome = await killMidSnapshot(file, first);
      expect(outcome.signal, `kill ${kill} ended by itself: ${outcome.stderr}`).toBe('SIGKILL');
      expect(outcome.saved).toContain(first);
      const last = outcome.saved.at(-1) as number;
      const { pointed, generations } = partsIn(file);
      if (generations.some((generation) => generation !== pointed)) tornLeft += 1;
      // A reader (no writer: nothing dropped yet) sees a whole snapshot.
      const reader = await openSqliteLog(file, { readOnly: true });
      const read = await reader.loadSnapshot(1);
      await reader.close();
      const n = Number(String((read?.state as string[] | undefined)?.[0]).split(':')[0]);
      // Never older than the last save the writer reported done (a later one may have finished
      // before the kill landed, its line not yet read).
      expect(n).toBeGreaterThanOrEqual(last);
      expect(JSON.stringify(read?.state) === snapshotText(n), `kill ${kill}: snapshot ${n}`).toBe(
        true,
      );
      // The next writer drops what the kill left; the snapshot is unchanged.
      const writer = await openSqliteLog(file);
      const after = partsIn(file);
      expect(after.generations).toEqual([after.pointed]);
      expect(JSON.stringify((await writer.loadSnapshot(1))?.state) === snapshotText(n)).toBe(true);
      await writer.close();
    }
    // The kills came while parts were being written, not only between snapshots.
    expect(tornLeft).toBeGreaterThan(0);
  }, 120_000);
});
