// One writer per SQLite log, whatever name reaches the file, and nothing acknowledged into a file
// the log's path no longer names: the writer lock is on the log file itself, and every commit
// checks the path still names the file opened.
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  renameSync,
  rmSync,
  unlinkSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  createSupervisor,
  createWebhookHandler,
  type EventLog,
  LogFileError,
  LogInUseError,
  openSqliteLog,
  type Supervisor,
  VirtualClock,
} from '../../src/index.js';
import { lockSqliteWriter } from '../../src/log/index.js';
import { notificationBody } from '../fixtures/agora.js';
import { tempDir } from '../fixtures/temp-dir.js';
import { tick } from './items.js';

const work = tempDir('recwatch-writer-lock-');
afterAll(() => work.remove());

const BUILT = new URL('../../dist/src/log/index.js', import.meta.url).href;

const closing: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const each of closing.splice(0).reverse()) await each.close().catch(() => {});
});

async function writer(file: string): Promise<EventLog> {
  const log = await openSqliteLog(file);
  closing.push(log);
  return log;
}

async function supervisorOn(log: string): Promise<Supervisor> {
  const supervisor = await createSupervisor({
    agora: { appId: 'a', customerId: 'c', customerSecret: 's', baseUrl: 'http://127.0.0.1:9' },
    clientRequest: () => ({}),
    log,
    clock: new VirtualClock(1_700_000_000_000),
  });
  closing.push(supervisor);
  return supervisor;
}

describe('the SQLite writer lock', () => {
  it('refuses the second of two writers this process opens at once', async () => {
    const file = work.file('twice.db');
    const outcomes = await Promise.allSettled([lockSqliteWriter(file), lockSqliteWriter(file)]);
    const taken = outcomes.flatMap((outcome) =>
      outcome.status === 'fulfilled' ? [outcome.value] : [],
    );
    for (const lock of taken) lock.release();
    expect(taken).toHaveLength(1);
    const refused = outcomes.find((outcome) => outcome.status === 'rejected');
    expect(refused?.status === 'rejected' && refused.reason).toBeInstanceOf(LogInUseError);
    // Released, the lock is free for the next writer.
    (await lockSqliteWriter(file)).release();
  });

  it('refuses a second writer that reaches the log through a hard link', async () => {
    const file = work.file('linked.db');
    await supervisorOn(file);
    const link = work.file('other-name.db');
    linkSync(file, link);
    await expect(supervisorOn(link)).rejects.toBeInstanceOf(LogInUseError);
    await expect(openSqliteLog(link)).rejects.toBeInstanceOf(LogInUseError);
  });

  it('refuses a second writer even when a lock file beside the log is deleted', async () => {
    const file = work.file('side.db');
    await supervisorOn(file);
    rmSync(`${file}-lock`, { force: true });
    await expect(supervisorOn(file)).rejects.toBeInstanceOf(LogInUseError);
  });

  it('refuses a second bare log handle on the file, and lets one in after close', async () => {
    const file = work.file('bare.db');
    const first = await openSqliteLog(file);
    await expect(openSqliteLog(file)).rejects.toBeInstanceOf(LogInUseError);
    await first.close();
    const second = await writer(file);
    await second.append('clock', [tick(1)], { expectedVersion: 0 });
  });

  it('refuses a writer in another process, through a hard link, while this one writes', async () => {
    const file = work.file('two-processes.db');
    await writer(file);
    const link = work.file('two-processes-link.db');
    linkSync(file, link);
    const child = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { openSqliteLog } = await import(${JSON.stringify(BUILT)});
         try { await openSqliteLog(process.argv[1]); console.log('opened'); }
         catch (error) { console.log(error.code); }`,
        link,
      ],
      { encoding: 'utf8' },
    );
    expect(child.stdout.trim()).toBe('LOG_IN_USE');
  });

  it('lets a writer in once the process holding the lock was killed with SIGKILL', async () => {
    const file = work.file('killed.db');
    const child = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { openSqliteLog } = await import(${JSON.stringify(BUILT)});
         await openSqliteLog(process.argv[1]); process.stdout.write('held\\n'); setInterval(() => {}, 1000);`,
        file,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    await expect(openSqliteLog(file)).rejects.toBeInstanceOf(LogInUseError);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    const log = await writer(file);
    await log.append('clock', [tick(1)], { expectedVersion: 0 });
  });

  it('refuses at open, with LogFileError, a log it cannot write', async () => {
    const dir = work.file('read-only');
    mkdirSync(dir);
    const file = join(dir, 'log.db');
    const log = await openSqliteLog(file);
    await log.append('clock', [tick(1)], { expectedVersion: 0 });
    await log.close();
    chmodSync(file, 0o444);
    chmodSync(work.path, 0o755);
    // Root ignores permissions: the writer then runs as nobody, for whom they hold.
    const as = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const child = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { openSqliteLog } = await import(${JSON.stringify(BUILT)});
         try { await openSqliteLog(process.argv[1]); console.log('opened'); }
         catch (error) { console.log(error.code, error.message); }`,
        file,
      ],
      { encoding: 'utf8', ...as },
    );
    expect(child.error).toBeUndefined();
    expect(child.stdout).toMatch(/^LOG_FILE .*cannot open for writing/);
  });
});

describe('a log file deleted or replaced under its writer', () => {
  it('fails appends with LogFileError once the file is deleted', async () => {
    const file = work.file('deleted.db');
    const log = await writer(file);
    await log.append('clock', [tick(1)], { expectedVersion: 0 });
    for (const name of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(name)) unlinkSync(name);
    const append = log.append('clock', [tick(2)], { expectedVersion: 'any' });
    await expect(append).rejects.toBeInstanceOf(LogFileError);
    await expect(append).rejects.toThrow(/deleted/);
  });

  it('fails appends with LogFileError once another file takes its name', async () => {
    const file = work.file('replaced.db');
    const log = await writer(file);
    await log.append('clock', [tick(1)], { expectedVersion: 0 });
    const backup = work.file('replaced-backup.db');
    copyFileSync(file, backup);
    renameSync(backup, file);
    await expect(log.append('clock', [tick(2)], { expectedVersion: 'any' })).rejects.toThrow(
      /replaced/,
    );
  });

  it('answers the webhook 503, not 200, once its log file is gone', async () => {
    const file = work.file('webhook.db');
    const supervisor = await supervisorOn(file);
    const webhook = createWebhookHandler(supervisor, { unsigned: true });
    const send = (sequence: number) => {
      const body = JSON.stringify(notificationBody({ eventType: 43, sid: 'S1', sequence }));
      return webhook.fetch(new Request('http://127.0.0.1/agora', { method: 'POST', body }));
    };
    expect((await send(1)).status).toBe(200);
    unlinkSync(file);
    expect((await send(2)).status).toBe(503);
  });
});
