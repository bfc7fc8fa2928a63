import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createCore, stepLine } from '../../src/core/index.js';
import { createLiveFeed } from '../../src/inspect/feed.js';
import { inspectLines, logSource, openSource, traceSource } from '../../src/inspect/offline.js';
import { startInspector } from '../../src/inspect/server.js';
import { LogFileError, openSqliteLog } from '../../src/log/index.js';
import { keep } from '../../src/log/sqlite-keep.js';
import { Journal } from '../../src/runtime/index.js';
import { tempDir } from '../fixtures/temp-dir.js';
import { readEvents } from './sse.js';
import { TRACES, traceLines } from './traces.js';

const work = tempDir('recwatch-inspect-');
afterAll(() => work.remove());

describe('the inspector server', () => {
  it('serves the page on loopback with its own assets only', async () => {
    const { feed } = traceSource(`${TRACES}rule-04-failover.jsonl`);
    const inspector = await startInspector({ feed });
    try {
      expect(inspector.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const page = await fetch(inspector.url);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
      const html = await page.text();
      expect(html).toContain('<script type="module" src="/page/client.js">');
      expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
      const css = await fetch(new URL('inspector.css', inspector.url));
      expect(css.headers.get('content-type')).toContain('text/css');
      expect((await fetch(new URL('page/../../etc/passwd', inspector.url))).status).toBe(404);
      expect((await fetch(new URL('page/nope.js', inspector.url))).status).toBe(404);
      expect((await fetch(inspector.url, { method: 'POST' })).status).toBe(405);
      const chart = (await (await fetch(new URL('api/statechart', inspector.url))).json()) as {
        nodes: { id: string }[];
      };
      expect(chart.nodes.map((n) => n.id)).toContain('recording.failoverPending');
    } finally {
      await inspector.close();
    }
  }, 60_000);

  it('streams the history of a trace, then nothing more', async () => {
    const { feed } = traceSource(`${TRACES}rule-08-redundancy.jsonl`);
    const inspector = await startInspector({ feed });
    try {
      const response = await fetch(new URL('api/events', inspector.url));
      expect(response.headers.get('content-type')).toContain('text/event-stream');
      const [history] = await readEvents(response, 1);
      expect(history?.event).toBe('history');
      const steps = inspectLines(traceLines('rule-08-redundancy.jsonl'));
      expect(history?.data).toEqual({
        title: 'rule-08-redundancy.jsonl',
        live: false,
        base: {},
        steps: JSON.parse(JSON.stringify(steps)),
      });
      expect(history?.id).toBe(String(steps.length));
    } finally {
      await inspector.close();
    }
  });

  it('pushes each new step of a live feed to every page, and only what a page missed', async () => {
    const lines = traceLines('rule-01-start.jsonl');
    let state = createCore();
    const feed = createLiveFeed({ state, title: 'supervisor' });
    const push = (index: number) => {
      const line = lines[index]!;
      const result = stepLine(state, line);
      state = result.state;
      return feed.push({ item: line, outputs: result.outputs, state: result.state });
    };
    push(0);
    const inspector = await startInspector({ feed });
    try {
      // Headers come with the history, written in the same turn the stream subscribes.
      const response = await fetch(new URL('api/events', inspector.url));
      const reading = readEvents(response, 3);
      push(1);
      push(2);
      const [history, first, second] = await reading;
      expect(history).toMatchObject({
        event: 'history',
        data: { title: 'supervisor', live: true },
      });
      expect((history?.data as { steps?: unknown[] } | undefined)?.steps).toHaveLength(1);
      expect([first?.event, first?.id, second?.id]).toEqual(['step', '2', '3']);
      expect(first?.data).toMatchObject({ position: 2, received: lines[1] });
      // A page that reconnects after step 2 gets step 3 alone, not the history again.
      const again = await fetch(new URL('api/events', inspector.url), {
        headers: { 'last-event-id': '2' },
      });
      const [missed] = await readEvents(again, 1);
      expect(missed).toMatchObject({ event: 'step', id: '3' });
    } finally {
      await inspector.close();
    }
  });
});

describe('offline sources', () => {
  it('read a SQLite log read-only: the same steps as its trace, the file unchanged', async () => {
    const path = work.file('recwatch.db');
    const log = await openSqliteLog(path);
    const journal = await Journal.open(log);
    const lines = traceLines('rule-07-restart.jsonl');
    for (const line of lines) {
      if (line.kind === 'input') await journal.receiveUntrusted(line.record, 1);
    }
    await log.close();
    const hash = () => createHash('sha256').update(readFileSync(path)).digest('hex');
    const before = hash();
    const { feed } = await openSource(path);
    expect(feed.title).toBe('recwatch.db');
    expect(feed.history().steps.map((s) => s.decisions)).toEqual(
      inspectLines(lines).map((s) => s.decisions),
    );
    expect(hash()).toBe(before);
  });

  it("refuse another application's database, unchanged", async () => {
    const path = work.file('other.db');
    const { default: Database } = await import('better-sqlite3');
    const db = keep(new Database(path));
    db.exec('CREATE TABLE notes (text TEXT)');
    db.close();
    const before = readFileSync(path);
    await expect(logSource(path)).rejects.toThrow(/not a recwatch log/);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('never create a log that is not there', async () => {
    const path = work.file('missing.db');
    await expect(logSource(path)).rejects.toBeInstanceOf(LogFileError);
    expect(existsSync(path)).toBe(false);
  });
});
