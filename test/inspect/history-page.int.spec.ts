// `/api/history` a page at a time: `after` and `limit` in, `next` out, the pages together the
// whole history; a bad cursor is a 400, never the whole history.
import { describe, expect, it } from 'vitest';
import { inspectLines, traceSource } from '../../src/inspect/offline.js';
import type { WireHistoryPage } from '../../src/inspect/page/wire.js';
import { startInspector } from '../../src/inspect/server.js';
import { TRACES, traceLines } from './traces.js';

const TRACE = 'rule-04-failover.jsonl';

describe('the history, a page at a time', () => {
  it('pages through every step with after and limit; base on the first page only', async () => {
    const { feed } = traceSource(`${TRACES}${TRACE}`);
    const all = JSON.parse(JSON.stringify(inspectLines(traceLines(TRACE)))) as {
      position: number;
    }[];
    expect(all.length).toBeGreaterThan(7);
    const inspector = await startInspector({ feed });
    try {
      const pages: WireHistoryPage[] = [];
      let query = 'limit=3';
      for (;;) {
        const response = await fetch(new URL(`api/history?${query}`, inspector.url));
        expect(response.status).toBe(200);
        const page = (await response.json()) as WireHistoryPage;
        pages.push(page);
        if (page.next === null) break;
        query = `after=${page.next}&limit=3`;
      }
      expect(pages).toHaveLength(Math.ceil(all.length / 3));
      expect(pages.every((p) => p.steps.length <= 3)).toBe(true);
      expect(pages.flatMap((p) => p.steps)).toEqual(all);
      expect(pages[0]).toMatchObject({ title: TRACE, live: false, base: {} });
      expect(pages.slice(1).every((p) => p.base === undefined)).toBe(true);
      expect(pages[0]?.next).toBe(all[2]?.position);
      // With no limit, a page of at most 500: this whole short trace, and the end.
      const whole = (await (
        await fetch(new URL('api/history', inspector.url))
      ).json()) as WireHistoryPage;
      expect(whole.steps).toEqual(all);
      expect(whole.next).toBeNull();
      // Past the last step: an empty page, the end.
      const past = await fetch(new URL(`api/history?after=${all.at(-1)?.position}`, inspector.url));
      expect(await past.json()).toMatchObject({ steps: [], next: null });
    } finally {
      await inspector.close();
    }
  });

  it('answers 400 to a cursor or a limit that is not a whole number in range', async () => {
    const { feed } = traceSource(`${TRACES}${TRACE}`);
    const inspector = await startInspector({ feed });
    try {
      for (const query of ['after=-1', 'after=x', 'limit=0', 'limit=5001', 'limit=2.5']) {
        const response = await fetch(new URL(`api/history?${query}`, inspector.url));
        expect([query, response.status]).toEqual([query, 400]);
      }
    } finally {
      await inspector.close();
    }
  });
});
