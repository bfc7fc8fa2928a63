// `startLiveInspector(supervisor)`: the page for a running supervisor on loopback, starting from
// the recordings it holds, each step it takes (a signed webhook over HTTP included) sent to the
// page as it happens, and closed with the supervisor.
import { afterEach, describe, expect, it } from 'vitest';
import { startLiveInspector } from '../../src/inspect/live.js';
import type { WireHistory, WireStep } from '../../src/inspect/page/wire.js';
import { type Supervised, supervised } from '../fixtures/supervised.js';
import { type ReadEvent, readEvents } from './sse.js';

let harness: Supervised | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** The record type of a step's input (undefined for a reject). */
const typeOf = (step: WireStep) => {
  const received = step.received as { kind: string; record?: { type?: string } };
  return received.kind === 'input' ? received.record?.type : undefined;
};
const isWebhook = (e: ReadEvent) =>
  e.event === 'step' && typeOf(e.data as WireStep) === 'notification';

describe('the live inspector of a supervisor', () => {
  it('starts from the recordings it holds and sends each new step, webhooks included', async () => {
    harness = await supervised();
    const { supervisor } = harness;
    await supervisor.start({ recording: 'r1', cname: 'room1', uid: '1001', mode: 'mix' });
    await harness.settle();
    const inspector = await startLiveInspector(supervisor, { port: 0, title: 'test supervisor' });
    expect(inspector.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await fetch(inspector.url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>');

    const stream = await fetch(new URL('api/events', inspector.url));
    const reading = readEvents(stream, (events) => events.some(isWebhook));
    await harness.advance(5_000);
    const r2 = supervisor.start({ recording: 'r2', cname: 'room2', uid: '2001', mode: 'mix' });
    await r2;
    await harness.advance(5_000);
    const events = await reading;
    const [history, ...steps] = events;
    expect(history?.event).toBe('history');
    const wire = history?.data as WireHistory;
    expect(wire).toMatchObject({ title: 'test supervisor', live: true, steps: [] });
    // r1 was started before the page: it is there from the start, as the supervisor sees it.
    expect(wire.base.r1?.state).toBe(supervisor.get('r1')?.state);
    expect(wire.base.r2).toBeUndefined();
    // Steps come in log order, one per position, as the journal took them.
    const positions = steps.map((e) => (e.data as WireStep).position);
    expect(positions).toEqual(positions.map((_, i) => (positions[0] as number) + i));
    const started = steps.find((e) => typeOf(e.data as WireStep) === 'start')?.data as
      | WireStep
      | undefined;
    expect(started?.changed.r2?.after.state).toBe('starting');
    const webhook = steps.find(isWebhook)?.data as WireStep;
    expect(webhook.decisions.length).toBeGreaterThan(0);
    expect(webhook.received).toMatchObject({ kind: 'input', record: { type: 'notification' } });
    await inspector.close();
  });

  it('closes with the supervisor', async () => {
    harness = await supervised();
    const inspector = await startLiveInspector(harness.supervisor);
    expect((await fetch(inspector.url)).status).toBe(200);
    await harness.supervisor.close();
    await inspector.closed;
    await expect(fetch(inspector.url)).rejects.toThrow();
    await inspector.close(); // idempotent
  });

  it('refuses a port in use with the listen error, and follows nothing then', async () => {
    harness = await supervised();
    const first = await startLiveInspector(harness.supervisor);
    await expect(startLiveInspector(harness.supervisor, { port: first.port })).rejects.toThrow(
      /EADDRINUSE/,
    );
    await first.close();
  });
});
