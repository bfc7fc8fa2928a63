import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, stepLine } from '../../src/core/index.js';
import { inspectLines } from '../../src/inspect/offline.js';
import { fleetTrace, NO_FAULTS } from '../fixtures/scenario.js';
import { builtInspector, hasChromium, launchChromium, OUTPUT } from './browser.js';
import { TRACES, traceLines } from './traces.js';

const SLOW = 90_000;

describe.skipIf(!hasChromium)('the inspector page, in Chromium', () => {
  let browser: Browser;
  let inspect: Awaited<ReturnType<typeof builtInspector>>;

  beforeAll(async () => {
    inspect = await builtInspector();
    browser = await launchChromium();
  }, SLOW);
  afterAll(async () => {
    await browser?.close();
  });

  async function open(url: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(url);
    await page.waitForSelector('body[data-ready="true"]');
    await page.waitForSelector('#statechart svg g.node.current');
    expect(errors).toEqual([]);
    return page;
  }

  const rows = (page: Page) =>
    page.$$eval('#timeline .row', (els) =>
      els
        .map((el) => ({
          index: Number(el.getAttribute('data-index')),
          position: Number(el.getAttribute('data-position')),
          decision: el.getAttribute('data-decision'),
          state: el.querySelector('.state')?.textContent ?? '',
          recording: el.querySelector('.recording')?.textContent ?? '',
        }))
        .sort((a, b) => a.index - b.index),
    );
  const current = (page: Page) =>
    page.$eval('#statechart g.node.current', (el) => el.getAttribute('data-id'));
  const stateOf = (page: Page, recording: string) =>
    page.$eval(`#recordings tr[data-recording="${recording}"] td.state`, (el) => el.textContent);
  const scrubTo = (page: Page, value: number) =>
    page.$eval(
      '#scrubber',
      (el, v) => {
        // Typed by hand: this runs in the page, and the tests compile without the DOM library.
        const input = el as unknown as { value: string; dispatchEvent(event: Event): boolean };
        input.value = String(v);
        input.dispatchEvent(new Event('input', { bubbles: true }));
      },
      value,
    );

  it(
    'shows a trace: decisions colour-coded, state highlighted, scrubber, raw body',
    async () => {
      const { feed } = inspect.traceSource(join(TRACES, 'rule-09-order.jsonl'));
      const inspector = await inspect.startInspector({ feed });
      try {
        const page = await open(inspector.url);
        const expected = inspectLines(traceLines('rule-09-order.jsonl')).flatMap((step) =>
          step.decisions.map(({ decision }) => ({
            position: decision.position,
            decision: decision.decision,
            state: decision.state ?? '',
          })),
        );
        expect((await rows(page)).map(({ index: _, recording: __, ...row }) => row)).toEqual(
          expected,
        );
        expect(expected.map((r) => r.decision)).toEqual(
          // Since rule 9 holds only what order can change, this trace's one hold is for its sid.
          expect.arrayContaining(['held', 'applied']),
        );
        // Runs in the page; typed by hand, as the tests compile without the DOM library.
        const colour = await page
          .locator('#timeline .row[data-decision="held"] .badge')
          .first()
          .evaluate(
            (el) =>
              (
                globalThis as unknown as {
                  getComputedStyle(element: unknown): { backgroundColor: string };
                }
              ).getComputedStyle(el).backgroundColor,
          );
        expect(colour).toBe('rgb(183, 121, 31)');
        // At the end: r1 is recording (healthy), after the failover.
        expect(await stateOf(page, 'r1')).toBe('recording');
        expect(await current(page)).toBe('recording.recording.healthy');
        await page.screenshot({ path: join(OUTPUT, 'inspector-rule-09-end.png') });

        // Back to the first input: r1 has just been asked to start.
        await scrubTo(page, 1);
        await page.waitForSelector(
          '#statechart g.node.current[data-id="recording.starting.attempt.acquiring.calling"]',
        );
        expect(await stateOf(page, 'r1')).toBe('starting');
        expect(await page.textContent('#cursor')).toContain('position 1 of');
        const taken = await page.$$eval('#statechart g.edge.taken', (els) =>
          els.map((el) => el.getAttribute('data-id')),
        );
        expect(taken).toEqual(['recording.idle -> recording.starting']);
        // On to input 5: a 40 from a recorder uid never seen on S1 is failover evidence (rule 4),
        // so r1 stays recording (no hop is taken) while the failover is counted.
        await scrubTo(page, 5);
        await page.locator('#cursor', { hasText: 'position 5 of' }).waitFor();
        expect(await current(page)).toBe('recording.recording.healthy');
        expect(await page.$$eval('#statechart g.edge.taken', (els) => els.length)).toBe(0);
        expect(await page.$$eval('#timeline .row.future', (els) => els.length)).toBeGreaterThan(0);
        await page.screenshot({ path: join(OUTPUT, 'inspector-rule-09-failover.png') });

        // A row's raw body and the outputs it produced.
        await page.click('#timeline .row[data-position="5"]');
        const body = await page.textContent('#details pre.raw-body');
        expect(JSON.parse(body ?? '{}')).toMatchObject({
          eventType: 40,
          payload: { sid: 'S1', uid: '2002', details: { msgName: 'recorder_started' } },
        });
        const outputs = await page.$$eval('#details ul.outputs li', (els) =>
          els.map((el) => `${el.getAttribute('data-kind')} ${el.getAttribute('data-type')}`),
        );
        expect(outputs).toContain('event failover');
        await page.screenshot({ path: join(OUTPUT, 'inspector-rule-09-row.png') });
        await page.close();
      } finally {
        await inspector.close();
      }
    },
    SLOW,
  );

  it(
    'marks the eventless step of a quit that restarts, and filters recordings by state',
    async () => {
      const { feed } = inspect.traceSource(join(TRACES, 'rule-02-quit-evidence.jsonl'));
      const inspector = await inspect.startInspector({ feed });
      try {
        const page = await open(inspector.url);
        const states = await page.$$eval('#recordings tbody tr', (els) =>
          els.map((el) => [el.getAttribute('data-recording'), el.getAttribute('data-state')]),
        );
        expect(states.length).toBe(3);
        const [, other] = states;
        await page.selectOption('#state-filter', other?.[1] ?? '');
        // The page redraws on its next frame: wait for the filter to apply (a bound, not a sleep).
        const stateOfRows = () =>
          page.$$eval('#recordings tbody tr', (els) =>
            els.map((el) => el.getAttribute('data-state')),
          );
        await expect
          .poll(async () => (await stateOfRows()).every((s) => s === other?.[1]), {
            timeout: 20_000,
          })
          .toBe(true);
        const shown = await stateOfRows();
        expect(shown.length).toBeGreaterThan(0);
        expect(shown.every((s) => s === other?.[1])).toBe(true);
        await page.close();
      } finally {
        await inspector.close();
      }
      const restart = await inspect.startInspector({
        feed: inspect.traceSource(join(TRACES, 'rule-08-redundancy.jsonl')).feed,
      });
      try {
        const page = await open(restart.url);
        // Input 6: session_exit (11) quits r1, and the restart policy moves it on at once.
        await scrubTo(page, 6);
        await page.locator('#cursor', { hasText: 'position 6 of' }).waitFor();
        expect(await current(page)).toBe('recording.restarting.attempt.acquiring.calling');
        expect(
          await page.$$eval('#statechart g.edge.taken', (els) =>
            els.map((el) => el.getAttribute('data-id')),
          ),
        ).toEqual([
          'recording.recording -> recording.quit',
          'recording.quit.deciding -> recording.restarting',
          'recording.restarting.delay -> recording.restarting.attempt',
        ]);
        const decisions = await rows(page);
        expect(decisions.map((r) => r.decision)).toEqual(
          expect.arrayContaining(['duplicate', 'stale']),
        );
        await page.screenshot({ path: join(OUTPUT, 'inspector-rule-08-restart.png') });
        await page.close();
      } finally {
        await restart.close();
      }
    },
    SLOW,
  );

  it(
    'stays light with thousands of inputs: only the rows in view are in the page',
    async () => {
      const trace = fleetTrace(
        60,
        { minutes: 4, failovers: 2, ending: 'exit', restartReports: true, chatterPerMinute: 3 },
        NO_FAULTS,
        7,
      );
      const steps = inspect.inspectLines(
        trace.map((record) => ({ kind: 'input' as const, record })),
      );
      expect(steps.length).toBeGreaterThan(2000);
      const inspector = await inspect.startInspector({ feed: inspect.staticFeed('fleet', steps) });
      try {
        const page = await open(inspector.url);
        const decisions = steps.reduce((n, s) => n + s.decisions.length, 0);
        expect(await page.textContent('#counts')).toContain(`${decisions} decisions`);
        expect((await rows(page)).length).toBeLessThan(80);
        // Scrolled to the end (following), the last decision is in view.
        expect((await rows(page)).at(-1)?.index).toBe(decisions - 1);
        await page.$eval('#timeline', (el) => {
          el.scrollTop = 0;
        });
        await page.waitForSelector('#timeline .row[data-index="0"]');
        expect((await rows(page)).length).toBeLessThan(80);
        await page.screenshot({ path: join(OUTPUT, 'inspector-fleet.png') });
        // Ticks that reached no machine hide on request; the rest stay, in order.
        const idle = steps.reduce(
          (n, step) =>
            n +
            step.decisions.filter(
              ({ decision }) => decision.input === 'tick' && Object.keys(step.changed).length === 0,
            ).length,
          0,
        );
        expect(idle).toBeGreaterThan(0);
        await page.check('#hide-ticks');
        await expect
          .poll(() => page.textContent('#shown'), { timeout: 20_000 })
          .toBe(`${decisions - idle} shown`);
        // Only the selected recording: every row shown concerns it.
        await page.click('#recordings tr[data-recording="r7"]');
        await page.check('#only-selected');
        const mine = steps.reduce(
          (n, step) =>
            n +
            step.decisions.filter(
              ({ decision }) =>
                decision.recording === 'r7' ||
                (decision.recording === undefined && step.changed.r7 !== undefined),
            ).length,
          0,
        );
        await expect
          .poll(() => page.textContent('#shown'), { timeout: 20_000 })
          .toBe(`${mine} shown`);
        const shown = await rows(page);
        expect(shown.length).toBeGreaterThan(0);
        // Its own inputs, and the ticks that fired its deadlines (they name no recording).
        expect(shown.every((r) => r.recording === 'r7' || r.recording === '')).toBe(true);
        await page.screenshot({ path: join(OUTPUT, 'inspector-fleet-r7.png') });
        await page.close();
      } finally {
        await inspector.close();
      }
    },
    SLOW,
  );

  it(
    'shows a live feed: a new row appears when an input is pushed',
    async () => {
      const lines = traceLines('rule-04-failover.jsonl');
      let state = createCore();
      const feed = inspect.createLiveFeed({ state, title: 'live supervisor' });
      const push = (index: number) => {
        const line = lines[index]!;
        const result = stepLine(state, line);
        state = result.state;
        feed.push({ item: line, outputs: result.outputs, state: result.state });
      };
      push(0);
      const inspector = await inspect.startInspector({ feed });
      try {
        const page = await open(inspector.url);
        expect(await page.isVisible('#live')).toBe(true);
        expect(await page.$$eval('#timeline .row', (els) => els.length)).toBe(1);
        push(1);
        await page.waitForSelector('#timeline .row[data-position="2"]');
        push(2);
        await page.waitForSelector('#timeline .row[data-position="3"].current');
        expect(await stateOf(page, 'r1')).toBe('recording');
        expect(await current(page)).toBe('recording.recording.healthy');
        await page.screenshot({ path: join(OUTPUT, 'inspector-live.png') });
        await page.close();
      } finally {
        await inspector.close();
      }
    },
    SLOW,
  );
});
