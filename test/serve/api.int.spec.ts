// The host API in process (createServer's web-standard handler, no socket): problem details for
// every refusal, size and media-type limits, idempotent starts under concurrency, read-only tokens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryLog } from '../../src/log/index.js';
import { createSupervisor, type Supervisor } from '../../src/runtime/index.js';
import { createServer, openapiDocument, type RecwatchServer } from '../../src/serve/index.js';

let supervisor: Supervisor;
let server: RecwatchServer;

beforeAll(async () => {
  const log = createMemoryLog();
  supervisor = await createSupervisor({
    // Nothing listens there: starts are logged and their calls fail, which is all this needs.
    agora: {
      appId: 'app',
      customerId: 'c',
      customerSecret: 's',
      baseUrl: 'http://127.0.0.1:9',
      retryDelaysMs: [],
    },
    clientRequest: () => ({}),
    log,
  });
  server = createServer(supervisor, {
    api: { tokens: ['w'], readTokens: ['r'], maxBodyBytes: 1024 },
    agora: { secret: 'ncs' },
    log,
  });
});
afterAll(async () => {
  await server.drain();
  await supervisor.close();
});

const call = (
  method: string,
  path: string,
  init: { token?: string; body?: string; type?: string } = {},
) =>
  server.fetch(
    new Request(`http://recwatch${path}`, {
      method,
      headers: {
        ...(init.token !== undefined && { authorization: `Bearer ${init.token}` }),
        ...(init.body !== undefined && { 'content-type': init.type ?? 'application/json' }),
      },
      ...(init.body !== undefined && { body: init.body }),
    }),
  );
const start = (recording: string, cname = 'room') =>
  JSON.stringify({ recording, cname, uid: '1001', mode: 'mix' });

describe('the host API', () => {
  it('starts once for concurrent identical starts: one 201, the others 200 with the same recording', async () => {
    const answers = await Promise.all(
      [1, 2, 3].map(() => call('POST', '/v1/recordings', { token: 'w', body: start('same') })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 201]);
    const bodies = (await Promise.all(answers.map((a) => a.json()))) as { recording: string }[];
    expect(new Set(bodies.map((b) => b.recording))).toEqual(new Set(['same']));
    const other = await call('POST', '/v1/recordings', {
      token: 'w',
      body: start('same', 'another'),
    });
    expect(other.status).toBe(409);
    expect(other.headers.get('content-type')).toBe('application/problem+json');
  });

  it('answers refusals as problem details: 401, 403, 400 by field, 413, 415, 404', async () => {
    const expectProblem = async (response: Response, status: number) => {
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      const body = (await response.json()) as { status: number; type: string; title: string };
      expect(body.status).toBe(status);
      expect(body.type).toMatch(/^urn:recwatch:problem:/);
      return body;
    };
    const unauthorized = await call('GET', '/v1/recordings');
    await expectProblem(unauthorized, 401);
    expect(unauthorized.headers.get('www-authenticate')).toMatch(/^Bearer/);
    await expectProblem(await call('GET', '/v1/recordings', { token: 'wrong' }), 401);
    await expectProblem(await call('POST', '/v1/recordings/same/stop', { token: 'r' }), 403);
    expect((await call('GET', '/v1/recordings/same', { token: 'r' })).status).toBe(200);
    const invalid = await expectProblem(
      await call('POST', '/v1/recordings', {
        token: 'w',
        // A mode must be a name (it goes in Agora's REST path as is).
        body: JSON.stringify({ recording: 'x', cname: 'c', uid: 'abc', mode: 'mix/../acquire' }),
      }),
      400,
    );
    expect(
      (invalid as unknown as { errors: { path: string }[] }).errors.map((e) => e.path).sort(),
    ).toEqual(['mode', 'uid']);
    await expectProblem(
      await call('POST', '/v1/recordings', { token: 'w', body: '{"recording":' }),
      400,
    );
    await expectProblem(
      await call('POST', '/v1/recordings', { token: 'w', body: `{"pad":"${'x'.repeat(2000)}"}` }),
      413,
    );
    await expectProblem(
      await call('POST', '/v1/recordings', { token: 'w', body: start('t'), type: 'text/plain' }),
      415,
    );
    await expectProblem(await call('GET', '/v1/recordings/nobody', { token: 'w' }), 404);
    await expectProblem(await call('GET', '/v1/nothing', { token: 'w' }), 404);
    await expectProblem(await call('GET', '/v1/events?after=x', { token: 'w' }), 400);
    // A position this log never had: its events would be skipped, so it is refused.
    await expectProblem(await call('GET', '/v1/events?after=99999999', { token: 'w' }), 400);
  });

  it('filters the list by state and serves the whole picture', async () => {
    const list = (await (
      await call('GET', '/v1/recordings?state=stopped', { token: 'r' })
    ).json()) as { recordings: unknown[] };
    expect(list.recordings).toEqual([]);
    expect((await call('GET', '/v1/recordings?state=nonsense', { token: 'r' })).status).toBe(400);
    const picture = (await (await call('GET', '/v1/picture', { token: 'r' })).json()) as {
      recordings: Record<string, unknown>;
    };
    expect(Object.keys(picture.recordings)).toContain('same');
  });

  it('starts a recording in a mode recwatch does not know yet, as the library keeps it', async () => {
    const started = await call('POST', '/v1/recordings', {
      token: 'w',
      body: JSON.stringify({ recording: 'new-mode', cname: 'room', uid: '7', mode: 'rtsc_v3' }),
    });
    expect(started.status).toBe(201);
    expect(supervisor.state.recordings.get('new-mode')?.snapshot.context.host?.mode).toBe(
      'rtsc_v3',
    );
    const empty = await call('POST', '/v1/recordings', {
      token: 'w',
      body: JSON.stringify({ recording: 'no-mode', cname: 'room', uid: '7', mode: '' }),
    });
    expect(empty.status).toBe(400);
  });

  it("serves a recording's manifest (sessions and coverage), 404 for one the log never named", async () => {
    const answer = await call('GET', '/v1/recordings/same/manifest', { token: 'r' });
    expect(answer.status).toBe(200);
    const manifest = (await answer.json()) as {
      recording: string;
      cname: string;
      sessions: unknown[];
      coverage: { wanted: { from: number }; recordedMs: number; gaps: { cause: string }[] };
      states: { state: string }[];
    };
    expect(manifest).toMatchObject({ recording: 'same', cname: 'room', sessions: [] });
    // Agora never answered (nothing listens at its URL): all the time wanted is a starting gap.
    expect(manifest.coverage.recordedMs).toBe(0);
    expect(manifest.coverage.gaps.map((gap) => gap.cause)).toEqual(['starting']);
    expect(manifest.states[0]?.state).toBe('starting');
    // The supervisor's own (its `until` is the time asked, so it moves on).
    const direct = await supervisor.manifest('same');
    expect(direct?.states).toEqual(manifest.states);
    expect(direct?.coverage.wanted.from).toBe(manifest.coverage.wanted.from);
    const unknown = await call('GET', '/v1/recordings/nobody/manifest', { token: 'r' });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toBe('application/problem+json');
    expect((await call('GET', '/v1/recordings/same/manifest')).status).toBe(401);
  });

  it('serves the same OpenAPI document as openapiDocument()', async () => {
    expect(await (await call('GET', '/openapi.json')).json()).toEqual(openapiDocument());
  });
});
