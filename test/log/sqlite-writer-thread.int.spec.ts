import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ConfigurationError,
  createSupervisor,
  InvalidArgumentError,
  LogFileError,
  openSqliteLog,
} from '../../src/index.js';
import { prepareItems } from '../../src/log/prepare-items.js';
import { keep } from '../../src/log/sqlite-keep.js';
import { SqliteWriter, threadExecArgv } from '../../src/log/sqlite-writer.js';
import { tempDir } from '../fixtures/temp-dir.js';
import { tick } from './items.js';

const BUILT = fileURLToPath(new URL('../../dist/src/log/index.js', import.meta.url));
const FAILING_THREAD = new URL('./failing-writer-thread.ts', import.meta.url);

describe("the SQLite log's writer thread", () => {
  let dir: ReturnType<typeof tempDir>;

  beforeEach(() => {
    dir = tempDir();
  });

  afterEach(() => dir.remove());

  it('leaves the event loop free while an append waits for the file', async () => {
    const file = dir.file('busy.db');
    const log = await openSqliteLog(file, { busyTimeoutMs: 10_000 });
    const other = keep(new Database(file));
    other.exec('BEGIN IMMEDIATE');
    let settled = false;
    const appended = log.append('clock', [tick(1)], { expectedVersion: 0 });
    void appended.finally(() => {
      settled = true;
    });
    // Turns of the loop go by while the commit waits for the other connection's lock (on the
    // event loop, the commit would hold this turn until the busy timeout, then fail).
    for (let turn = 0; turn < 3; turn += 1) await new Promise((done) => setImmediate(done));
    expect(settled).toBe(false);
    other.exec('ROLLBACK');
    other.close();
    await expect(appended).resolves.toEqual({ positions: [1], repeated: [false], version: 1 });
    await log.close();
  });

  it("commits with durability 'full' unless told 'normal', and refuses anything else", async () => {
    const full = await openSqliteLog(dir.file('full.db'));
    expect(full.durability).toBe('full');
    await full.close();
    // The thread reads `PRAGMA synchronous` back: 'normal' is reported only once SQLite has it.
    const normal = await openSqliteLog(dir.file('normal.db'), { durability: 'normal' });
    expect(normal.durability).toBe('normal');
    await normal.append('clock', [tick(1)], { expectedVersion: 0 });
    await normal.close();
    const reopened = await openSqliteLog(dir.file('normal.db'), { readOnly: true });
    expect(reopened.durability).toBeNull();
    expect(await reopened.readAll()).toHaveLength(1);
    await reopened.close();
    await expect(openSqliteLog(dir.file('off.db'), { durability: 'off' as never })).rejects.toThrow(
      InvalidArgumentError,
    );
    expect(existsSync(dir.file('off.db'))).toBe(false);
  });

  it('fails what a broken thread was asked with LogFileError, and starts a new one after', async () => {
    const file = dir.file('broken.db');
    await (await openSqliteLog(file)).close();
    const writer = await SqliteWriter.start(
      { file, busyTimeoutMs: 0, durability: 'full' },
      FAILING_THREAD,
    );
    const group = (stream: string, at: number) => [
      { stream, items: prepareItems([tick(at)]), expected: 'any' as const },
    ];
    const failed = writer.commit(group('crash', 1));
    await expect(failed).rejects.toThrow(LogFileError);
    await expect(failed).rejects.toThrow(/writer thread failed: the writer thread broke/);
    expect(await writer.commit(group('clock', 2))).toEqual([
      { kind: 'write', rows: 1, result: { positions: [1], repeated: [false], version: 1 } },
    ]);
    await writer.close();
    const log = await openSqliteLog(file, { readOnly: true });
    expect((await log.readAll()).map((entry) => entry.stream)).toEqual(['clock']);
    await log.close();
  });

  it("copies a busy log's WAL into the file on a thread of its own, not in a commit", async () => {
    const file = dir.file('busy-wal.db');
    const log = await openSqliteLog(file);
    const empty = statSync(file).size;
    // 150 commits start the checkpointer (at 100); the writer's own backstop (16,000 pages) is
    // far off, so only the checkpointer copies pages into the file while the log is open.
    for (let at = 1; at <= 150; at += 1) {
      await log.append('clock', [tick(at)], { expectedVersion: at - 1 });
    }
    await vi.waitFor(() => expect(statSync(file).size).toBeGreaterThan(empty), {
      timeout: 10_000,
      interval: 50,
    });
    await log.close();
  });

  it("starts the thread with the host's Node options, less what a worker refuses", () => {
    expect(threadExecArgv(['--expose-gc', '--import', 'hooks.mjs'])).toBeUndefined();
    expect(
      threadExecArgv([
        '--input-type=module',
        '--expose-gc',
        '--import',
        'hooks.mjs',
        '--conditions=dev',
        '-e',
        'code',
      ]),
    ).toEqual(['--import', 'hooks.mjs', '--conditions=dev']);
  });

  it('passes the supervisor its SQLite options', async () => {
    const options = {
      agora: { appId: 'app', customerId: 'c', customerSecret: 's', baseUrl: 'http://127.0.0.1:9' },
      clientRequest: () => ({}),
    };
    await expect(
      createSupervisor({ ...options, log: dir.file('s.db'), sqlite: { maxItemsPerCommit: 0 } }),
    ).rejects.toThrow(/maxItemsPerCommit/);
    await expect(
      createSupervisor({ ...options, log: 'memory', sqlite: { durability: 'normal' } }),
    ).rejects.toThrow(ConfigurationError);
    await expect(
      createSupervisor({ ...options, log: dir.file('s.db'), sqlite: { durability: 'x' as never } }),
    ).rejects.toThrow(/sqlite.durability/);
  });

  describe('in a process of its own (the built package)', () => {
    const run = (script: string, file: string) =>
      spawnSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `const { openSqliteLog } = await import(${JSON.stringify(BUILT)}); ${script}`,
          file,
        ],
        { encoding: 'utf8', timeout: 15_000 },
      );

    it('never keeps the process alive, and finishes an append pending at its end', async () => {
      if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run npm run build first`);
      const file = dir.file('exit.db');
      // Left open: the process still ends once its work is done.
      const idle = run(
        `const log = await openSqliteLog(process.argv[1]);
         await log.append('clock', [{ kind: 'input', at: 1, record: { at: 1, type: 'tick' } }], { expectedVersion: 0 });
         console.log('appended');`,
        file,
      );
      expect(idle.error).toBeUndefined();
      expect(idle.status).toBe(0);
      expect(idle.stdout.trim()).toBe('appended');
      // Not awaited: the append is still written before the process ends.
      const pending = run(
        `const log = await openSqliteLog(process.argv[1]);
         log.append('clock', [{ kind: 'input', at: 2, record: { at: 2, type: 'tick' } }], { expectedVersion: 1 })
           .then(() => console.log('appended'));`,
        file,
      );
      expect(pending.status).toBe(0);
      expect(pending.stdout.trim()).toBe('appended');
      const log = await openSqliteLog(file, { readOnly: true });
      expect((await log.readAll()).map((entry) => entry.at)).toEqual([1, 2]);
      await log.close();
    });
  });
});
