// The simulator's `failoverStorm` profile through a real supervisor with its live inspector: the
// page, opened in Chromium, agrees with the supervisor on every recording, shows the failovers
// the storm caused and what the core decided, and leaves screenshots and a summary in
// test-output/ (re-run with `npm run inspect:storm`).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recwatchObserver } from '../../src/fleet/recwatch-observer.js';
import { runFleet } from '../../src/fleet/run.js';
import type { Supervisor } from '../../src/runtime/index.js';
import { builtInspector, hasChromium, launchChromium, OUTPUT } from './browser.js';

const SLOW = 240_000;

/** A step of `/api/history`, as far as this test reads it. */
interface HistoryStep {
  decisions: { decision: { decision: string; input: string } }[];
  position: number;
  changed: Record<string, { events: string[]; after: { state: string } }>;
}

/** Every step the inspector holds, read a page of `/api/history` at a time. */
async function allSteps(url: string): Promise<HistoryStep[]> {
  const steps: HistoryStep[] = [];
  let after = '';
  for (;;) {
    const page = (await (await fetch(new URL(`api/history?limit=200${after}`, url))).json()) as {
      steps: HistoryStep[];
      next: number | null;
    };
    steps.push(...page.steps);
    if (page.next === null) return steps;
    after = `&after=${page.next}`;
  }
}

describe.skipIf(!hasChromium)('failoverStorm on the live inspector, in Chromium', () => {
  let browser: Browser;
  let inspect: Awaited<ReturnType<typeof builtInspector>>;

  beforeAll(async () => {
    inspect = await builtInspector();
    browser = await launchChromium();
  }, SLOW);
  afterAll(async () => {
    await browser?.close();
  });

  const cells = (page: Page) =>
    page.$$eval('#recordings tbody tr', (rows) =>
      rows.map((row) => {
        const text = (cell: string) => row.querySelector(`td.${cell}`)?.textContent ?? '';
        return {
          recording: row.getAttribute('data-recording') ?? '',
          state: text('state'),
          cells: [...row.querySelectorAll('td')].map((td) => td.textContent ?? ''),
        };
      }),
    );

  it(
    'shows every recording as the supervisor has it, the failovers and the decisions',
    async () => {
      let supervisor: Supervisor | undefined;
      let inspector: Awaited<ReturnType<typeof inspect.startLiveInspector>> | undefined;
      const run = await runFleet({
        profile: 'failoverStorm',
        seed: 7,
        recordings: 8,
        durationMs: 30 * 60_000,
        observer: async (context) => {
          const observer = await recwatchObserver(context);
          supervisor = observer.supervisor;
          inspector = await inspect.startLiveInspector(supervisor, {
            title: 'failoverStorm, seed 7',
            // Read after the run: the page outlives the supervisor.
            closeWithSupervisor: false,
          });
          return observer;
        },
      });
      if (supervisor === undefined || inspector === undefined) throw new Error('no supervisor');
      const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      try {
        await page.goto(inspector.url);
        await page.waitForSelector('body[data-ready="true"]');
        await page.waitForSelector('#statechart svg g.node.current');
        const pictures = supervisor.list();
        expect(pictures).toHaveLength(8);
        // Every recording, in the supervisor's final state.
        const shown = await cells(page);
        expect(shown.map((r) => [r.recording, r.state])).toEqual(
          pictures.map((p) => [p.recording, p.state]),
        );
        const history = { steps: await allSteps(inspector.url) };
        const decisions: Record<string, number> = {};
        for (const step of history.steps) {
          for (const { decision } of step.decisions) {
            decisions[decision.decision] = (decisions[decision.decision] ?? 0) + 1;
          }
        }
        expect(await page.textContent('#counts')).toBe(
          `${history.steps.length} inputs · ${Object.values(decisions).reduce((a, b) => a + b, 0)} decisions`,
        );
        // The storm: failovers happened, and the page has them (haAttempts, failover notices).
        const failovers = pictures.reduce((n, p) => n + p.haAttempts, 0);
        expect(failovers).toBeGreaterThan(0);
        const stormiest = [...pictures].sort(
          (a, b) => b.haAttempts - a.haAttempts || b.restarts - a.restarts,
        )[0];
        if (stormiest === undefined) throw new Error('no recording');
        await page.screenshot({ path: join(OUTPUT, 'inspector-failover-storm.png') });

        // The stormiest recording alone, at the moment of its first failover.
        await page.click(`#recordings tr[data-recording="${stormiest.recording}"]`);
        await page.check('#hide-ticks');
        await page.check('#only-selected');
        const failover = history.steps.findIndex(
          (step) => step.changed[stormiest.recording]?.after.state === 'failoverPending',
        );
        expect(failover).toBeGreaterThan(0);
        const at = history.steps[failover] as { position: number };
        await page.$eval(
          '#scrubber',
          (el, v) => {
            // Typed by hand: this runs in the page, and the tests compile without the DOM library.
            const input = el as unknown as { value: string; dispatchEvent(event: Event): boolean };
            input.value = String(v);
            input.dispatchEvent(new Event('input', { bubbles: true }));
          },
          failover + 1,
        );
        await page.click(`#timeline .row[data-position="${at.position}"]`);
        expect(
          await page.textContent(
            `#recordings tr[data-recording="${stormiest.recording}"] td.state`,
          ),
        ).toBe('failoverPending');
        expect(await page.textContent('#details')).toContain(`position ${at.position}`);
        await page.screenshot({
          path: join(OUTPUT, 'inspector-failover-storm-recording.png'),
        });
        expect(errors).toEqual([]);
        writeFileSync(
          join(OUTPUT, 'inspector-failover-storm.json'),
          `${JSON.stringify(
            {
              profile: 'failoverStorm',
              seed: 7,
              recordings: pictures.map((p) => ({
                recording: p.recording,
                state: p.state,
                haAttempts: p.haAttempts,
                restarts: p.restarts,
                quitReason: p.quitReason,
              })),
              inputs: history.steps.length,
              decisions,
              stormiest: stormiest.recording,
              score: run.score,
            },
            null,
            2,
          )}\n`,
        );
      } finally {
        await page.close();
        await inspector.close();
      }
    },
    SLOW,
  );
});
