// The live inspector of a real supervisor, in Chromium: a signed webhook sent over HTTP to the
// supervisor's endpoint on loopback appears as a new row, with its decision and the state after.
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { signatureHeaders } from '../../src/sim/signature.js';
import { DETAILS, notificationBody } from '../fixtures/agora.js';
import { SECRETS, type Supervised, supervised } from '../fixtures/supervised.js';
import { builtInspector, hasChromium, launchChromium, OUTPUT } from './browser.js';

const SLOW = 90_000;

describe.skipIf(!hasChromium)('the live inspector of a supervisor, in Chromium', () => {
  let browser: Browser;
  let inspect: Awaited<ReturnType<typeof builtInspector>>;
  let harness: Supervised | undefined;

  beforeAll(async () => {
    inspect = await builtInspector();
    browser = await launchChromium();
  }, SLOW);
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it(
    'shows a new row when a signed webhook reaches the supervisor',
    async () => {
      // The fake Agora sends no webhooks of its own: the one row to come is the test's.
      harness = await supervised({ notify: false });
      const { supervisor } = harness;
      await supervisor.start({ recording: 'r1', cname: 'room1', uid: '1001', mode: 'mix' });
      await harness.settle();
      const sid = supervisor.get('r1')?.sid;
      expect(sid).toBeTruthy();
      const inspector = await inspect.startLiveInspector(supervisor, { title: 'host supervisor' });
      const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      try {
        await page.goto(inspector.url);
        await page.waitForSelector('body[data-ready="true"]');
        expect(await page.isVisible('#live')).toBe(true);
        expect(await page.textContent('#title')).toBe('host supervisor');
        // Started before the page opened: there from the start, in the supervisor's state.
        expect(await page.textContent('#recordings tr[data-recording="r1"] td.state')).toBe(
          supervisor.get('r1')?.state,
        );
        const position = supervisor.state.position + 1;
        expect(await page.$(`#timeline .row[data-position="${position}"]`)).toBeNull();

        const body = JSON.stringify(
          notificationBody({
            eventType: 12,
            sid: sid as string,
            cname: 'room1',
            uid: '1001',
            sequence: 0,
            sendts: harness.clock.now(),
            details: DETAILS[12],
          }),
        );
        const answer = await fetch(harness.webhookUrl, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...signatureHeaders(body, SECRETS.webhookSecret),
          },
          body,
        });
        expect(answer.status).toBe(200);
        await harness.settle();

        const row = await page.waitForSelector(`#timeline .row[data-position="${position}"]`);
        expect(await row.getAttribute('data-decision')).toBe('applied');
        const after = supervisor.get('r1')?.state;
        expect(await row.$eval('.state', (el) => el.textContent)).toContain(after);
        await page.waitForFunction(
          (state) =>
            (
              globalThis as unknown as {
                document: { querySelector(s: string): { textContent: string } | null };
              }
            ).document.querySelector('#recordings tr[data-recording="r1"] td.state')
              ?.textContent === state,
          after,
        );
        await page.screenshot({ path: join(OUTPUT, 'inspector-live-supervisor.png') });
        expect(errors).toEqual([]);
      } finally {
        await page.close();
        await inspector.close();
      }
    },
    SLOW,
  );
});
