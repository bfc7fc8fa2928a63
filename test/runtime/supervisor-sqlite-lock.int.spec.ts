// One SQLite file serves one supervisor: a second one on the same file is refused with a typed
// error, whether it opens the file itself or is handed a log the host opened; the lock goes with
// the first supervisor's close, and with its process (kill -9).
import { spawn } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { relative } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  createSupervisor,
  isRecwatchError,
  LogInUseError,
  openSqliteLog,
  type Supervisor,
  VirtualClock,
} from '../../src/index.js';
import { tempDir } from '../fixtures/temp-dir.js';

const work = tempDir('recwatch-lock-');
afterAll(() => work.remove());

const options = {
  agora: {
    appId: 'app',
    customerId: 'cid',
    customerSecret: 'very-secret-value',
    baseUrl: 'http://127.0.0.1:9',
    retryDelaysMs: [],
  },
  clientRequest: () => ({}),
  clock: new VirtualClock(0),
} as const;

const opened: Supervisor[] = [];
afterEach(async () => {
  for (const supervisor of opened.splice(0)) await supervisor.close();
});

async function open(log: Parameters<typeof createSupervisor>[0]['log']): Promise<Supervisor> {
  const supervisor = await createSupervisor({ ...options, log });
  opened.push(supervisor);
  return supervisor;
}

describe('two supervisors on one SQLite file', () => {
  it('refuses the second with LogInUseError (code LOG_IN_USE), and the first runs on', async () => {
    const file = work.file('one.db');
    const first = await open(file);
    const refused = await createSupervisor({ ...options, log: file }).catch((error) => error);
    expect(refused).toBeInstanceOf(LogInUseError);
    expect(isRecwatchError(refused, 'LOG_IN_USE')).toBe(true);
    expect(String(refused.message)).toContain('one SQLite file serves one instance');
    await first.start({ recording: 'r1', cname: 'room1', uid: '1', mode: 'mix' });
    expect(first.get('r1')?.state).toBe('starting');
  });

  it('refuses to open the file again for writing while a supervisor writes it', async () => {
    const file = work.file('handed.db');
    await open(file);
    await expect(openSqliteLog(file)).rejects.toBeInstanceOf(LogInUseError);
  });

  it('refuses a second supervisor handed the log the first was handed', async () => {
    const log = await openSqliteLog(work.file('shared-handle.db'));
    await open(log);
    await expect(createSupervisor({ ...options, log })).rejects.toBeInstanceOf(LogInUseError);
  });

  it('refuses the second when it reaches the file through a symlink or a relative path', async () => {
    const file = work.file('named.db');
    await open(file);
    const link = work.file('link.db');
    symlinkSync(file, link);
    const folderLink = work.file('folder-link');
    mkdirSync(work.file('real-folder'));
    symlinkSync(work.file('real-folder'), folderLink);
    await open(work.file('real-folder/fresh.db'));
    for (const other of [link, relative(process.cwd(), file), `${folderLink}/fresh.db`]) {
      const refused = await createSupervisor({ ...options, log: other }).catch((error) => error);
      expect(refused, other).toBeInstanceOf(LogInUseError);
    }
  });

  it('lets a new supervisor in once the first has closed', async () => {
    const file = work.file('closed.db');
    const first = await open(file);
    await first.start({ recording: 'r1', cname: 'room1', uid: '1', mode: 'mix' });
    await first.close();
    const second = await open(file);
    expect(second.get('r1')?.state).toBe('starting');
  });

  it('lets a new supervisor in once the first process was killed with SIGKILL', async () => {
    const file = work.file('killed.db');
    const { lockSqliteWriter } = await import('../../src/log/index.js');
    // A child process holds the lock (as a running supervisor does), then dies without a close.
    const child = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { lockSqliteWriter } = await import(${JSON.stringify(new URL('../../dist/src/log/index.js', import.meta.url).href)});
         await lockSqliteWriter(process.argv[1]); process.stdout.write('held\\n'); setInterval(() => {}, 1000);`,
        file,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    await expect(lockSqliteWriter(file)).rejects.toBeInstanceOf(LogInUseError);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    const supervisor = await open(file);
    expect(supervisor.list()).toEqual([]);
  });
});
