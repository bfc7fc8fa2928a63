// The host API of two supervisors sharing one PostgreSQL log, in process: any instance answers
// for every recording at once (it catches up with the log before it answers), and a command for
// a recording the other instance took is appended where it arrives, not refused.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openPostgresLog, type PostgresEventLog } from '../../src/postgres.js';
import { createSupervisor, type Supervisor } from '../../src/runtime/index.js';
import { createServer, type RecwatchServer } from '../../src/serve/index.js';
import { describePostgres, freshSchema } from '../fixtures/postgres.js';

describePostgres('the host API on a shared PostgreSQL log', (url) => {
  const instances: { log: PostgresEventLog; supervisor: Supervisor; server: RecwatchServer }[] = [];

  beforeAll(async () => {
    const schema = freshSchema('serve');
    for (const instance of ['a', 'b']) {
      const log = await openPostgresLog(url, { schema });
      const supervisor = await createSupervisor({
        // Nothing listens there: a start is logged and its calls fail, which is all this needs.
        agora: {
          appId: 'app',
          customerId: 'c',
          customerSecret: 's',
          baseUrl: 'http://127.0.0.1:9',
          retryDelaysMs: [],
        },
        clientRequest: () => ({}),
        log,
        instance,
      });
      const server = createServer(supervisor, {
        api: { tokens: ['w'] },
        agora: { secret: 'ncs' },
        log,
      });
      instances.push({ log, supervisor, server });
    }
  });
  afterAll(async () => {
    for (const { log, supervisor, server } of instances) {
      await server.drain();
      await supervisor.close();
      await log.close();
    }
  });

  const call = (at: number, method: string, path: string, body?: object) =>
    (instances[at] as { server: RecwatchServer }).server.fetch(
      new Request(`http://recwatch${path}`, {
        method,
        headers: {
          authorization: 'Bearer w',
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      }),
    );

  it('answers a read or a stop through B for a recording started through A, at once', async () => {
    const [a, b] = instances as [(typeof instances)[0], (typeof instances)[0]];
    expect(a.supervisor.shared?.instance).toBe('a');
    expect(b.supervisor.shared?.holder).toMatch(/^b#/);
    for (let n = 0; n < 5; n += 1) {
      const recording = `shared-${n}`;
      const body = { recording, cname: `room${n}`, uid: '1001', mode: 'mix' };
      expect((await call(0, 'POST', '/v1/recordings', body)).status).toBe(201);
      // Straight after A's answer: B has not been told by the log's feed yet.
      const got = await call(1, 'GET', `/v1/recordings/${recording}`);
      expect(got.status).toBe(200);
      expect(((await got.json()) as { state: string }).state).toBe('starting');
      const listed = (await (await call(1, 'GET', '/v1/recordings')).json()) as {
        recordings: { recording: string }[];
      };
      expect(listed.recordings.map((one) => one.recording)).toContain(recording);
      // The same body again through B: the start is known there, so 200, not a second start.
      expect((await call(1, 'POST', '/v1/recordings', body)).status).toBe(200);
      const stopped = await call(1, 'POST', `/v1/recordings/${recording}/stop`);
      expect(stopped.status).toBe(202);
      expect(a.supervisor.state.recordings.has(recording)).toBe(true);
    }
    // A client that read events from A resumes on B from A's position: B has stepped that far.
    const position = a.supervisor.state.position;
    expect(
      (
        await call(0, 'POST', '/v1/recordings', {
          recording: 'last',
          cname: 'room',
          uid: '1',
          mode: 'mix',
        })
      ).status,
    ).toBe(201);
    const resumed = await call(1, 'GET', `/v1/events?after=${a.supervisor.state.position}`);
    expect(resumed.status).toBe(200);
    await resumed.body?.cancel();
    expect(a.supervisor.state.position).toBeGreaterThan(position);
    // Each stop is in the log once, appended by B.
    const stops = (await a.log.readAll({ fromPosition: 1 })).filter(
      (entry) => entry.item.kind === 'input' && entry.item.record.type === 'stop',
    );
    expect(stops).toHaveLength(5);
  });

  it('keeps the first of two starts of one id sent to both at once; the other is told 409', async () => {
    const b = instances[1] as (typeof instances)[0];
    // Other bodies: the start first in the log is kept (never a second 201, never a 500).
    for (let n = 0; n < 8; n += 1) {
      const recording = `raced-${n}`;
      const answers = await Promise.all(
        [0, 1].map((at) =>
          call(at, 'POST', '/v1/recordings', {
            recording,
            cname: `room-${at}`,
            uid: '1',
            mode: 'mix',
          }),
        ),
      );
      const statuses = answers.map((answer) => answer.status);
      expect([...statuses].sort(), recording).toEqual([201, 409]);
      // The 201 went to the instance whose body the recording has, as both now see it.
      const kept = `room-${statuses.indexOf(201)}`;
      expect(
        (
          (await (await call(0, 'GET', `/v1/recordings/${recording}/manifest`)).json()) as {
            cname: string;
          }
        ).cname,
      ).toBe(kept);
      expect(b.supervisor.state.recordings.get(recording)?.snapshot.context.host?.cname).toBe(kept);
    }
  });
});
