// The `serve` bench suite on a tiny configuration: it runs its servers, the simulator and 100
// event-stream clients, and reports well-formed rows. No timing is asserted (a busy box's figures
// mean nothing); what must hold at any speed is: no request failed, every event reached every
// client, and the baseline sides measured what they say.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { runBench } from '../../bench/harness.js';
import type { Row } from '../../bench/row.js';
import { SUITES } from '../../bench/suites.js';
import { tempDir } from '../fixtures/temp-dir.js';

const dirs: ReturnType<typeof tempDir>[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) dir.remove();
});

describe('the serve suite, tiny', () => {
  it('measures the host API and the event fan-out, every request answered and event delivered', async () => {
    const dir = tempDir('recwatch-bench-serve-spec-');
    dirs.push(dir);
    const out = dir.file('results.json');
    await runBench(SUITES, { only: ['serve'], check: false, tiny: true, out }, () => {});
    const written = JSON.parse(readFileSync(out, 'utf8')) as {
      suites: Record<string, { rows: Row[] }>;
    };
    const rows = written.suites.serve?.rows ?? [];
    expect(rows.map((r) => r.row)).toEqual(['serve-api-latency', 'serve-sse-fanout']);
    for (const r of rows) {
      expect(r.target?.kind).toBe('atMost');
      expect(Number.isFinite(r.ratio) && (r.ratio as number) > 0).toBe(true);
      if (!r.ok) expect(r.miss).toMatch(/p99/);
    }
    const [api, fanOut] = rows as [Row, Row];
    const ours = api.figures as { requests: number; ok: number; errors: number };
    expect(ours.requests).toBe(200);
    expect([ours.ok, ours.errors]).toEqual([200, 0]);
    expect((api.baseline as { ok?: number }).ok).toBe(200);
    const many = fanOut.figures as {
      clients: number;
      events: number;
      missing: number;
      unemitted: number;
      perDelivery: { requests: number };
    };
    expect(many).toMatchObject({ clients: 100, events: 20, missing: 0, unemitted: 0 });
    expect(many.perDelivery.requests).toBe(100 * 20);
    expect(fanOut.baseline).toMatchObject({ clients: 1, events: 20, missing: 0 });
  }, 180_000);
});
