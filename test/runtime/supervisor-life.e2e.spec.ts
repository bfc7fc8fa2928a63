import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { eventsOf, SECRETS, type Supervised, supervised } from '../fixtures/supervised.js';
import { tempDir } from '../fixtures/temp-dir.js';

const work = tempDir('recwatch-supervisor-');
let harness: Supervised | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const r1 = {
  recording: 'r1',
  cname: 'room1',
  uid: '1001',
  mode: 'mix',
  backupUid: '1002',
} as const;

describe('the supervisor, against a fake Agora on loopback', () => {
  it('starts, confirms and stops a recording, and its picture matches what Agora did', async () => {
    harness = await supervised({ log: work.file('life.db') });
    const { supervisor, agora } = harness;
    await supervisor.start(r1);
    await harness.settle();
    const [session] = agora.live();
    expect(session?.uid).toBe('1001');
    expect(supervisor.get('r1')).toMatchObject({
      state: 'recording',
      sid: session?.sid,
      uid: '1001',
    });
    await harness.advance(130_000);
    expect(supervisor.get('r1')?.state).toBe('recording');
    expect(agora.requests().filter((r) => r.kind === 'query').length).toBeGreaterThanOrEqual(2);
    await supervisor.stop('r1');
    await harness.settle();
    expect(agora.live()).toEqual([]);
    await harness.advance(30_000);
    expect(supervisor.get('r1')).toMatchObject({ state: 'stopped', quitReason: 'stopped' });
    expect(eventsOf(harness.events, 'started').map((e) => e.sid)).toEqual([session?.sid]);
    expect(eventsOf(harness.events, 'stopped')).toHaveLength(1);
  });

  it('keeps every secret out of the SQLite log and out of its log lines', async () => {
    harness = await supervised({ log: work.file('secrets.db') });
    const { supervisor, agora } = harness;
    await supervisor.start(r1);
    await harness.advance(70_000);
    await supervisor.stop('r1');
    await harness.advance(30_000);
    await supervisor.close();
    const file = readFileSync(work.file('secrets.db')).toString('latin1');
    const wal = (() => {
      try {
        return readFileSync(work.file('secrets.db-wal')).toString('latin1');
      } catch {
        return '';
      }
    })();
    expect(file).toContain('room1'); // the log does hold the recording
    expect(harness.lines.length).toBeGreaterThan(0);
    const secrets = [...Object.values(SECRETS), agora.credentials().customerSecret];
    for (const secret of secrets) {
      expect(file + wal).not.toContain(secret);
      expect(harness.lines.join('\n')).not.toContain(secret);
    }
  });
});
