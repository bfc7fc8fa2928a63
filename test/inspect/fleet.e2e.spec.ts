// The fleet view on two demo logs (failoverStorm and chaos, seed 7), in Chromium: a lane per
// recording, the counts per state as the pictures have them, a gap where the truth has one,
// lanes that open the recording below, text of 11 px or more at the default size. Its
// screenshots go to test-output/; with RECWATCH_DOC_IMAGES=1 they replace the ones
// docs/inspector.md and the README show (docs/images/): a test run leaves the tree as it was.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recwatchObserver } from '../../src/fleet/recwatch-observer.js';
import { type FleetRun, runFleet } from '../../src/fleet/run.js';
import type { SupervisedRecording, Supervisor } from '../../src/runtime/index.js';
import type { TrueRecording } from '../../src/sim/index.js';
import { root } from '../cli/recwatch.js';
import { tempDir } from '../fixtures/temp-dir.js';
import { builtInspector, hasChromium, launchChromium, OUTPUT } from './browser.js';

const SLOW = 240_000;
const IMAGES = process.env.RECWATCH_DOC_IMAGES === '1' ? join(root, 'docs/images') : OUTPUT;
const work = tempDir('recwatch-fleet-view-');

interface DemoLog {
  readonly path: string;
  readonly run: FleetRun;
  readonly pictures: readonly SupervisedRecording[];
}

/** A demo run kept as a SQLite log, with the supervisor's final pictures and the truth. */
async function demoLog(profile: 'failoverStorm' | 'chaos', recordings: number): Promise<DemoLog> {
  const path = work.file(`${profile}.db`);
  let supervisor: Supervisor | undefined;
  let pictures: SupervisedRecording[] = [];
  const run = await runFleet({
    profile,
    seed: 7,
    recordings,
    durationMs: 30 * 60_000,
    observer: async (context) => {
      const observer = await recwatchObserver(context, { log: path });
      supervisor = observer.supervisor;
      return observer;
    },
    onStep: (progress) => {
      if (progress.now >= progress.end) pictures = supervisor?.list() ?? [];
    },
  });
  return { path, run, pictures };
}

interface Lane {
  recording: string;
  state: string;
  gaps: { from: number; to: number; cause: string }[];
}

const lanes = (page: Page): Promise<Lane[]> =>
  page.$$eval('#fleet g.lane', (groups) =>
    groups.map((g) => ({
      recording: g.getAttribute('data-recording') ?? '',
      state: g.getAttribute('data-state') ?? '',
      gaps: [...g.querySelectorAll('rect.gap')].map((r) => ({
        from: Number(r.getAttribute('data-from')),
        to: Number(r.getAttribute('data-to')),
        cause: r.getAttribute('data-cause') ?? '',
      })),
    })),
  );

/** The smallest text on the page as drawn (px): HTML text and SVG text at their screen scale. */
// A script, not a function: it runs in the page, and the tests compile without the DOM library.
const SMALLEST_TEXT = `(() => {
  let smallest = { px: Infinity, what: '' };
  for (const element of document.querySelectorAll('body *')) {
    const own = [...element.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim() !== '');
    if (!own || element.getClientRects().length === 0 || element.closest('[hidden]')) continue;
    let px = Number.parseFloat(getComputedStyle(element).fontSize);
    if (element instanceof SVGTextElement) {
      const ctm = element.getScreenCTM();
      px *= ctm === null ? 1 : Math.hypot(ctm.a, ctm.b);
    }
    if (px < smallest.px) smallest = { px, what: element.tagName + ' ' + element.textContent };
  }
  return smallest;
})()`;
const smallestText = (page: Page): Promise<{ px: number; what: string }> =>
  page.evaluate(SMALLEST_TEXT);

/** Whether a rectangle lies within another (screen px). */
type Box = { left: number; top: number; right: number; bottom: number };
const inside = (inner: Box, outer: Box) =>
  inner.left >= outer.left - 1 &&
  inner.right <= outer.right + 1 &&
  inner.top >= outer.top - 1 &&
  inner.bottom <= outer.bottom + 1;
const overlaps = (a: Box, b: Box) =>
  a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

/** The truth's gaps of a recording: failover windows, and quit → next sid. */
function trueGaps(sids: readonly TrueRecording[], end: number): { from: number; to: number }[] {
  const sorted = [...sids].sort((a, b) => a.startedAt - b.startedAt);
  const gaps: { from: number; to: number }[] = [];
  for (const [i, sid] of sorted.entries()) {
    for (const f of sid.failovers) gaps.push({ from: f.at, to: f.resumedAt });
    const next = sorted[i + 1];
    if (sid.quit !== null && sid.quit.cause !== 'stopped')
      gaps.push({ from: sid.quit.at, to: next?.startedAt ?? end });
  }
  return gaps.filter((g) => g.to - g.from >= 20_000);
}

describe.skipIf(!hasChromium)('the fleet view, in Chromium', () => {
  let browser: Browser;
  let inspect: Awaited<ReturnType<typeof builtInspector>>;

  beforeAll(async () => {
    inspect = await builtInspector();
    browser = await launchChromium();
  }, SLOW);
  afterAll(async () => {
    await browser?.close();
    work.remove();
  });

  it.each([
    ['failoverStorm', 8],
    ['chaos', 12],
  ] as const)(
    'on the %s demo log: lanes, counts, gaps where the truth has them, readable text',
    async (profile, recordings) => {
      const demo = await demoLog(profile, recordings);
      const { feed } = await inspect.logSource(demo.path);
      const inspector = await inspect.startInspector({ feed });
      const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      try {
        await page.goto(inspector.url);
        await page.waitForSelector('body[data-ready="true"][data-fleet="true"]');
        await page.waitForSelector('#statechart svg g.node.current');

        // A lane per recording, each ending in the recording's state.
        const shown = await lanes(page);
        expect(shown.map((l) => [l.recording, l.state])).toEqual(
          demo.pictures.map((p) => [p.recording, p.state]),
        );
        // The counts per state are the pictures'.
        const counts = await page.$$eval('#fleet-counts .count', (els) =>
          Object.fromEntries(
            els.map((el) => [el.getAttribute('data-state'), Number(el.getAttribute('data-count'))]),
          ),
        );
        const expected: Record<string, number> = {};
        for (const p of demo.pictures) expected[p.state] = (expected[p.state] ?? 0) + 1;
        expect(counts).toEqual(expected);

        // Where the truth had no recording for 20 s or more, the lane shows a gap over it.
        let checked = 0;
        for (const plan of demo.run.plans) {
          const sids = demo.run.truth.filter(
            (r): r is TrueRecording => r.type === 'recording' && r.cname === plan.cname,
          );
          const stopAt = plan.stopAt === null ? demo.run.end : demo.run.t0 + plan.stopAt;
          const lane = shown.find((l) => l.recording === plan.recording);
          for (const truth of trueGaps(sids, demo.run.end)) {
            if (truth.to > stopAt || truth.to > demo.run.end - 180_000) continue;
            const covered = (lane?.gaps ?? []).reduce(
              (ms, g) => ms + Math.max(0, Math.min(g.to, truth.to) - Math.max(g.from, truth.from)),
              0,
            );
            expect(covered, `${plan.recording} ${JSON.stringify(truth)}`).toBeGreaterThanOrEqual(
              0.8 * (truth.to - truth.from),
            );
            checked += 1;
          }
        }
        expect(checked).toBeGreaterThan(0);

        // Text at the default size: 11 px or more, the statechart's included.
        const smallest = await smallestText(page);
        // (to a hundredth: the chart's scale is 1 within floating-point error)
        expect(Math.round(smallest.px * 100) / 100, smallest.what).toBeGreaterThanOrEqual(11);
        // The active state in view, and an edge of it.
        const view = await page.$eval('#statechart', (el) => {
          const r = el.getBoundingClientRect();
          return { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
        });
        const node = await page.$eval('#statechart g.node.current', (el) => {
          const r = el.getBoundingClientRect();
          return {
            id: el.getAttribute('data-id') ?? '',
            box: { left: r.left, top: r.top, right: r.right, bottom: r.bottom },
          };
        });
        expect(inside(node.box, view)).toBe(true);
        const edges = await page.$$eval(
          '#statechart g.edge',
          (els, id) =>
            els
              .filter((el) => {
                const [source, target] = (el.getAttribute('data-id') ?? '').split(' -> ');
                return [source, target].some((s) => s !== undefined && id.startsWith(s ?? '~'));
              })
              .map((el) => {
                const r = el.getBoundingClientRect();
                return { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
              }),
          node.id,
        );
        expect(edges.some((edge) => overlaps(edge, view))).toBe(true);
        await page.screenshot({ path: join(IMAGES, `inspector-fleet-${profile}.png`) });

        // A lane opens its recording: selected in the table, drawn on the statechart.
        const pick = shown.find((l) => l.gaps.length > 1) ?? shown[0];
        await page.click(`#fleet g.lane[data-recording="${pick?.recording}"] text.label`);
        await page.waitForSelector(`#recordings tr.selected[data-recording="${pick?.recording}"]`);
        expect(await page.textContent('#chart-caption')).toMatch(
          new RegExp(`^${pick?.recording}: `),
        );
        // Every recording's row can be reached.
        const last = demo.pictures.at(-1)?.recording ?? '';
        await page.locator(`#recordings tr[data-recording="${last}"]`).scrollIntoViewIfNeeded();
        expect(await page.isVisible(`#recordings tr[data-recording="${last}"]`)).toBe(true);
        expect(errors).toEqual([]);
      } finally {
        await page.close();
        await inspector.close();
      }
    },
    SLOW,
  );
});
