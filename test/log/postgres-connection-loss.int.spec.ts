// A PostgreSQL connection cut under the log (pg_terminate_backend: what a server restart, a
// failover or a proxy timeout does): the process survives, the append under way rejects with
// LogDatabaseError, later appends succeed, and nothing acknowledged is lost.
import { createHmac } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSupervisor, createWebhookHandler, VirtualClock } from '../../src/index.js';
import { LogDatabaseError, openPostgresLog } from '../../src/postgres.js';
import { notificationBody } from '../fixtures/agora.js';
import { describePostgres, freshSchema, withApplicationName } from '../fixtures/postgres.js';
import { tick } from './items.js';

describePostgres('PostgreSQL log: connections cut under it', (url) => {
  let admin: pg.Pool;
  beforeAll(() => {
    admin = new pg.Pool({ connectionString: url, max: 3 });
    admin.on('error', () => {});
  });
  afterAll(() => admin.end());

  const cut = async (application: string) =>
    (
      await admin.query<{ cut: number }>(
        'SELECT count(pg_terminate_backend(pid))::int AS cut FROM pg_stat_activity WHERE application_name = $1',
        [application],
      )
    ).rows[0]?.cut ?? 0;
  const waitingOnLock = async (application: string) =>
    (
      await admin.query(
        "SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'",
        [application],
      )
    ).rowCount !== 0;
  // Each check is a round trip to the server: a wait for a state, not for an amount of time.
  const untilWaitingOnLock = async (application: string) => {
    while (!(await waitingOnLock(application))) {}
  };
  // Another session holds the log's head: the next group commit waits inside its transaction.
  const holdHead = async (schema: string) => {
    const holder = await admin.connect();
    await holder.query('BEGIN');
    await holder.query(`SELECT position FROM "${schema}".head FOR UPDATE`);
    return async () => {
      await holder.query('ROLLBACK');
      holder.release();
    };
  };

  it('tries a group commit cut mid-transaction on new connections, then rejects it with LogDatabaseError', async () => {
    const schema = freshSchema();
    const application = `cut_${schema}`;
    const log = await openPostgresLog(withApplicationName(url, application), { schema });
    try {
      await log.append('clock', [tick(1)], { expectedVersion: 'any' });
      const release = await holdHead(schema);
      let settled = false;
      const cutOff = log.append('clock', [tick(2)], { expectedVersion: 'any' });
      const settle = () => {
        settled = true;
      };
      cutOff.then(settle, settle);
      // Each try waits for the head inside its transaction, on its own connection; each is cut there.
      const tries = new Set<number>();
      try {
        while (!settled) {
          const waiting = await admin.query<{ pid: number }>(
            "SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'",
            [application],
          );
          for (const { pid } of waiting.rows) {
            tries.add(pid);
            await admin.query('SELECT pg_terminate_backend($1)', [pid]);
          }
        }
      } finally {
        await release();
      }
      await expect(cutOff).rejects.toBeInstanceOf(LogDatabaseError);
      await expect(cutOff).rejects.toThrow(/cannot append: connection lost/);
      expect(tries.size).toBe(3);
      await log.append('clock', [tick(3)], { expectedVersion: 'any' });
      expect((await log.readAll()).map((entry) => entry.at)).toEqual([1, 3]);
    } finally {
      await log.close();
    }
  });

  it('appends through a connection cut once mid-transaction, on a new one', async () => {
    const schema = freshSchema();
    const application = `once_${schema}`;
    const log = await openPostgresLog(withApplicationName(url, application), { schema });
    try {
      const release = await holdHead(schema);
      const append = log.append('clock', [tick(1)], { expectedVersion: 'any' });
      await untilWaitingOnLock(application);
      await cut(application);
      await release();
      expect((await append).positions).toEqual([1]);
      expect((await log.readAll()).map((entry) => entry.at)).toEqual([1]);
    } finally {
      await log.close();
    }
  });

  it('survives idle connections of a host pool being cut, and appends on new ones', async () => {
    const schema = freshSchema();
    const application = `idle_${schema}`;
    // The host's pool, without an 'error' listener of its own.
    const pool = new pg.Pool({ connectionString: withApplicationName(url, application), max: 4 });
    const log = await openPostgresLog(pool, { schema });
    try {
      await Promise.all(
        [1, 2, 3].map((at) => log.append('clock', [tick(at)], { expectedVersion: 'any' })),
      );
      expect(await cut(application)).toBeGreaterThan(0);
      await log.append('clock', [tick(4)], { expectedVersion: 'any' });
      expect(await log.streamVersion('clock')).toBe(4);
    } finally {
      await log.close();
      await pool.end();
    }
  });

  it('keeps every acknowledged append through repeated cuts; retried, the rest go in once', async () => {
    const schema = freshSchema();
    const application = `storm_${schema}`;
    const log = await openPostgresLog(withApplicationName(url, application), { schema });
    try {
      const acknowledged = new Set<number>();
      let pending = Array.from({ length: 200 }, (_, index) => index + 1);
      let cuts = 0;
      for (let round = 0; pending.length > 0; round += 1) {
        expect(round).toBeLessThan(50);
        const batch = pending.map((at) =>
          log.append('clock', [tick(at)], { expectedVersion: 'any' }).then(
            () => ({ at, ok: true as const }),
            (error: unknown) => ({ at, ok: false as const, error }),
          ),
        );
        // Cut while the batch's group commits are under way (the first rounds only).
        if (round < 3) cuts += await cut(application);
        const settled = await Promise.all(batch);
        for (const each of settled) {
          if (each.ok) acknowledged.add(each.at);
          else expect(each.error).toBeInstanceOf(LogDatabaseError);
        }
        pending = settled.filter((each) => !each.ok).map((each) => each.at);
      }
      const stored = (await log.readAll({ limit: 1000 })).map((entry) => entry.at);
      expect([...stored].sort((a, b) => a - b)).toEqual(
        Array.from({ length: 200 }, (_, index) => index + 1),
      );
      expect(acknowledged.size).toBe(200);
      expect(cuts).toBeGreaterThan(0);
    } finally {
      await log.close();
    }
  });

  it('goes on watching after its listening connection is cut', async () => {
    const schema = freshSchema();
    const application = `watch_${schema}`;
    const log = await openPostgresLog(withApplicationName(url, application), { schema });
    const clock = new VirtualClock(0);
    const seen: number[] = [];
    let wake = () => {};
    // Settles at the next entry delivered or read that failed (a read is retried at the next poll).
    const next = () =>
      new Promise<void>((resolve) => {
        wake = resolve;
      });
    const subscription = log
      .watch({ clock, pollIntervalMs: 1000, onError: () => wake() })
      .subscribe((entry) => {
        seen.push(entry.at);
        wake();
      });
    const until = async (at: number) => {
      while (!seen.includes(at)) {
        const woken = next();
        clock.advanceBy(1000);
        await woken;
      }
    };
    try {
      await log.append('clock', [tick(1)], { expectedVersion: 'any' });
      await until(1);
      expect(await cut(application)).toBeGreaterThan(0);
      await log.append('clock', [tick(2)], { expectedVersion: 'any' });
      await until(2);
      expect(seen).toEqual([1, 2]);
    } finally {
      subscription.unsubscribe();
      await log.close();
    }
  });

  it('answers the webhook 503 while its append is cut off, and 200 to the resend', async () => {
    const schema = freshSchema();
    const application = `hook_${schema}`;
    const log = await openPostgresLog(withApplicationName(url, application), { schema });
    const supervisor = await createSupervisor({
      agora: { appId: 'a', customerId: 'c', customerSecret: 's', baseUrl: 'http://127.0.0.1:9' },
      clientRequest: () => ({}),
      log,
      instance: 'host-a',
      clock: new VirtualClock(1_700_000_000_000),
    });
    try {
      const secret = 'ncs-secret';
      const webhook = createWebhookHandler(supervisor, { secret });
      const body = JSON.stringify(notificationBody({ eventType: 43, sid: 'S-cut', uid: '9' }));
      const send = () =>
        webhook.fetch(
          new Request('http://127.0.0.1/agora', {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'Agora-Signature-V2': createHmac('sha256', secret).update(body).digest('hex'),
            },
            body,
          }),
        );
      const release = await holdHead(schema);
      let answered = false;
      const answer = send().finally(() => {
        answered = true;
      });
      try {
        // Cut on every try of its group commit.
        while (!answered) if (await waitingOnLock(application)) await cut(application);
      } finally {
        await release();
      }
      expect((await answer).status).toBe(503);
      let status = 503;
      // Agora resends until it gets 200; the first resend may meet another cut connection.
      for (let resend = 0; status === 503 && resend < 5; resend += 1)
        status = (await send()).status;
      expect(status).toBe(200);
      const stored = (await log.readAll()).filter((entry) => entry.stream === 'sid-S-cut');
      expect(stored).toHaveLength(1);
    } finally {
      await supervisor.close();
    }
  });
});
